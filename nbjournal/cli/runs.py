"""``nbjournal runs`` and ``nbjournal show``: runs listed and searched, one run in full."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..rules import format as fmt
from .journal import open_journal
from .output import Table, emit, iso
from .registry import Commands

if TYPE_CHECKING:
    from ..store import RunSummary, Store

QUERY_HELP = """\
QUERY is the experiment page's grammar; every term must hold:
  lr=0.003  units>=64  val_accuracy>0.97   a parameter, else a final metric
  verdict:refuted  verdict:none            the run's verdict (none: not given yet)
  status:failed  tag:baseline  #tag        status, a tag
  inference:none                           runs that still need an inference (none of their
                                           own, none on a grid they are a point of)
  #123                                     one run
  deep "two words"                         free text (hypothesis, tags, inferences)
The first word is an experiment's name when it is no term (use experiment:NAME to be sure).

examples:
  nbjournal runs digits-mlp val_accuracy>0.97 --sort val_accuracy
  nbjournal runs verdict:none status:finished --csv > todo.csv
"""
#: Columns of every listing, in this order, before parameters and metrics.
FIXED_COLUMNS = ("id", "experiment", "status", "started", "duration")
#: Parameters that vary, and metrics, shown at most in a terminal table (--columns shows any).
MAX_PARAMS = 5
MAX_METRICS = 3
#: Runs in a terminal or Markdown table unless --limit or --all says otherwise.
SCREEN = 50


def register(commands: Commands) -> None:
    parser = commands.add(
        "runs",
        list_runs,
        "list runs, newest first, filtered by a query",
        description="List runs, newest first.\n\n" + QUERY_HELP,
    )
    parser.add_argument("words", nargs="*", metavar="[EXPERIMENT] QUERY", help="what to list")
    parser.add_argument(
        "--sort",
        metavar="COL[:asc|desc]",
        help="sort by a column, parameter or metric (a metric: best first by default)",
    )
    parser.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help=f"show N runs (default {SCREEN} in a table; every run with --csv or --json)",
    )
    parser.add_argument("--all", action="store_true", help="show every matching run")
    parser.add_argument(
        "--columns",
        metavar="A,B,…",
        help="the columns, by name: id, experiment, status, started, duration, hypothesis, "
        "tags, verdict, inference, or a parameter or metric name (param.X, metric.X)",
    )
    show = commands.add(
        "show", show_run, "one run in full (what %%journal show shows)", formats=("json", "md")
    )
    show.add_argument("run", metavar="RUN", help="the run's id (123 or #123)")


def list_runs(arguments: argparse.Namespace) -> int:
    from ..store import run_order

    store = open_journal(arguments)
    experiment, q = split_words(store, arguments.words)
    limit = arguments.limit
    if limit is None and not arguments.all and arguments.format in ("text", "md"):
        limit = SCREEN
    with store._transaction() as connection:
        ids, total = run_order.find(
            connection, experiment=experiment, q=q, sort=arguments.sort, limit=limit
        )
    # the ids the query chose, in or out of the trash (`status:trashed` lists the trash)
    by_id = {run.id: run for run in store.list_runs(ids=ids, trashed=None)} if ids else {}
    runs = [by_id[i] for i in ids if i in by_id]
    if arguments.format == "json":
        from ..server.payloads import run_summary

        return emit("json", Table([], []), {"runs": [run_summary(r) for r in runs], "total": total})
    columns = _columns(arguments.columns, runs, experiment)
    table = Table(columns, [[_value(run, c) for c in columns] for run in runs])
    if arguments.format == "text":
        shown = f"{len(runs)} of {total} runs" if len(runs) < total else fmt.count(total, "run")
        more = " (--limit N or --all for more)" if len(runs) < total else ""
        trashed = _trashed(store, experiment) if not total and experiment else 0
        if trashed:
            more = (f" ({fmt.count(trashed, 'run')} of {experiment} in the trash: "
                    f"nbjournal runs {experiment} status:trashed)")  # fmt: skip
        table.notes.append(f"{shown}{more}")
    return emit(arguments.format, table, None)


def show_run(arguments: argparse.Namespace) -> int:
    import sys

    from ..display.views import RunDetail

    store = open_journal(arguments)
    run = store.get_run(run_id(arguments.run))
    if arguments.format == "json":
        from ..server.payloads import run as run_payload

        return emit("json", Table([], []), run_payload(run))
    text = RunDetail(run).text()
    if arguments.format == "md":
        text = f"```\n{text}\n```"
    sys.stdout.write(text + "\n")
    return 0


def split_words(store: Store, words: list[str]) -> tuple[str | None, str | None]:
    """``(experiment, query)``: the first word names an experiment unless it is a query term."""
    from ..errors import UnknownExperiment
    from ..store import query

    if not words:
        return None, None
    first, rest = words[0], words[1:]
    listed = len(words) > 1 and words[1].lower() in ("in", "not")  # `act in (relu,tanh)`
    if query.is_term(first) or listed:
        return None, " ".join(_quoted(w) for w in words)
    if not store.list_runs(experiment=first, limit=1) and not _trashed(store, first):
        raise UnknownExperiment(first)
    return first, " ".join(_quoted(w) for w in rest) or None


def _trashed(store: Store, experiment: str) -> int:
    """How many of the experiment's runs are in the trash (an experiment all in the trash
    still exists: its listing says where its runs are)."""
    from ..store import query, run_order

    with store._transaction() as connection:
        return run_order.find(
            connection, experiment=experiment, q=f"status:{query.TRASHED}", limit=1
        )[1]


def run_id(text: str) -> int:
    """A run id as typed (``123`` or ``#123``)."""
    from ..errors import BadInput

    try:
        value = int(text.lstrip("#"))
    except ValueError:
        raise BadInput(f"{text!r} is not a run id (a number, as in 123)") from None
    if value <= 0:
        raise BadInput(f"{text!r} is not a run id (a number, as in 123)")
    return value


def _quoted(word: str) -> str:
    """A shell word with spaces (``"two words"`` typed in quotes) stays one term (text),
    unless it is one filter (``'act in (relu, tanh)'``)."""
    from ..store import query

    spaced = any(c.isspace() for c in word) and '"' not in word
    return f'"{word}"' if spaced and not query.is_term(word) else word


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not above 0")
    return value


def _columns(asked: str | None, runs: list[RunSummary], experiment: str | None) -> list[str]:
    if asked:
        return [name.strip() for name in asked.split(",") if name.strip()]
    fixed = [c for c in FIXED_COLUMNS if not (experiment and c == "experiment")]
    names = sorted({name for run in runs for name in run.params})
    varying = [n for n in names if len({_param_text(r, n) for r in runs}) > 1][:MAX_PARAMS]
    keys = [run.key_metric.name for run in runs if run.key_metric is not None]
    ranked = sorted({*keys}, key=keys.count, reverse=True)
    others = sorted({m for run in runs for m in run.metrics} - set(ranked))
    metrics = (ranked + others)[:MAX_METRICS] if experiment else ranked[:MAX_METRICS]
    return [*fixed, *(f"param.{n}" for n in varying), *(f"metric.{m}" for m in metrics),
            "verdict", "hypothesis"]  # fmt: skip


def _param_text(run: RunSummary, name: str) -> str:
    return repr(run.params.get(name, "–"))


def _value(run: RunSummary, column: str) -> object:
    from ..rules.format import first_line

    if column == "started":
        return iso(run.started)
    if column == "duration":
        return None if run.duration is None else round(run.duration, 3)
    if column in ("hypothesis",):
        return first_line(run.hypothesis)
    if column == "inference":  # the run's own, else its grid's, said as the grid's
        if run.inference is not None:
            return run.inference.text
        said = run.grid_inference
        return None if said is None else f"(grid #{said.grid_id}) {said.text}"
    if column in ("id", "experiment", "status", "verdict", "tags", "repeat_of", "notebook"):
        return getattr(run, column)
    if column == "error":
        return run.error_summary
    if column.startswith("metric."):
        metric = run.metrics.get(column[len("metric.") :])
        return None if metric is None else metric.last
    if column.startswith("param."):
        return run.params.get(column[len("param.") :])
    if column in run.metrics:
        return run.metrics[column].last
    return run.params.get(column)
