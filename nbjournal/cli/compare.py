"""``nbjournal compare RUN RUN…``: only what differs, then each metric."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .journal import open_journal
from .output import Table, cell, emit, markdown_table, text_table
from .registry import Commands
from .runs import run_id

if TYPE_CHECKING:
    from ..analysis.comparison import Comparison
    from ..analysis.run_diff import RunDifferences
    from ..store import Run, Store


def register(commands: Commands) -> None:
    parser = commands.add(
        "compare",
        compare_runs,
        "what differs between runs: parameters, code, data, environment; then the metrics",
    )
    parser.add_argument(
        "runs",
        nargs="+",
        metavar="RUN",
        help="two runs or more (ids); a group of repeats as 12,13,14 is compared as one",
    )
    parser.add_argument("--all", action="store_true", help="every row, not only those that differ")


def compare_runs(arguments: argparse.Namespace) -> int:
    from ..analysis.run_diff import differences
    from ..errors import BadInput

    groups = [[run_id(text) for text in word.split(",") if text] for word in arguments.runs]
    if len(groups) < 2 or len({tuple(g) for g in groups}) < 2 or not all(groups):
        raise BadInput("compare needs two different runs at least, as in: nbjournal compare 12 15")
    store = open_journal(arguments)
    members = [[store.get_run(i) for i in group] for group in groups]
    found = differences([group[0] for group in members], everything=arguments.all)
    verdicts = metric_verdicts(store, groups)
    if arguments.format == "json":
        return emit("json", Table([], []), payload(found, verdicts))
    table = _table(found)
    if arguments.format == "csv":
        return emit("csv", table, None)
    code = _code_lines(found)
    if arguments.format == "md":
        text = markdown_table(table)
        if code:
            text += "\n\n```diff\n" + "\n".join(code) + "\n```"
        sys.stdout.write(text + "\n")
        return 0
    out = [
        f"compare {' '.join(f'#{i}' for i in found.run_ids)}"
        + ("" if arguments.all else " (only what differs; --all for every row)")
    ]
    sections = [
        ("parameters", found.params),
        ("data (content hash)", found.data),
        ("environment", found.env),
    ]
    for title, rows in sections:
        if rows:
            out += ["", _section(title, found, rows)]
    out += ["", "code: the same" if not code else "code"]
    out += [f"  {line}" for line in code]
    labels = [_label(group) for group in members]
    metrics = Table(
        ["metric (final)", *labels, *(f"{labels[0]} − {b}" for b in labels[1:]),
         *(f"95 % interval vs {b}" for b in labels[1:]),
         *(f"verdict {labels[0]} vs {b}" for b in labels[1:])],
        [
            [name, *(v.mean_b if i else v.mean_a for i, v in _sides(verdicts[name])),
             *(v.difference for v in verdicts[name]),
             *(_interval(v.interval) for v in verdicts[name]),
             *(_verdict(v) for v in verdicts[name])]
            for name in verdicts
        ],
    )  # fmt: skip
    out += ["", text_table(metrics) if verdicts else "metrics: none recorded"]
    borrowed = sorted({c.borrowed for cs in verdicts.values() for c in cs if c.borrowed})
    if borrowed:
        out += [f"noise of a run alone on its side: from {', '.join(borrowed)}"]
    from ..analysis.comparison import MIN_RUNS

    out += [
        "verdicts: the one comparison rule (docs/statistics.md); never better or worse with "
        f"fewer than {MIN_RUNS} runs a side"
    ]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def metric_verdicts(store: Store, groups: list[list[int]]) -> dict[str, list[Comparison]]:
    """Each metric's comparison of the first group with every later one: what
    ``%journal compare`` and the REST API say (the one rule, noise borrowed by a single run
    a side from the nearest configuration with repeats; the difference is first − other)."""
    from ..analysis.repeats import compare_runs

    found = compare_runs(store, groups)
    names = [n for n in (found.results[0] if found.results else {})]
    return {
        name: [result[name] for result in found.results]
        for name in sorted(names)
        if all(name in result for result in found.results)
    }


def _verdict(comparison: Comparison) -> str:
    """The verdict as the notebook words it, with its note (where the noise came from is
    said once, under the table)."""
    return comparison.verdict + (f" ({comparison.note})" if comparison.note else "")


def _label(group: list[Run]) -> str:
    return ",".join(f"#{run.id}" for run in group)


def _sides(comparisons: list[Comparison]) -> list[tuple[int, Comparison]]:
    """The first group's mean (side a of the first comparison), then each later group's."""
    return [(0, comparisons[0]), *((1, c) for c in comparisons)]


def _interval(interval: tuple[float, float]) -> str | None:
    from ..rules.format import number

    if not all(math.isfinite(end) for end in interval):
        return None
    return f"{number(interval[0])} to {number(interval[1])}"


def payload(found: RunDifferences, verdicts: dict[str, list[Comparison]]) -> dict[str, object]:
    from ..server.payloads import clean

    def rows(rows: Sequence[tuple[str, Sequence[object]]]) -> list[dict[str, object]]:
        return [{"name": name, "values": clean(values)} for name, values in rows]

    return {
        "runs": list(found.run_ids),
        "params": rows(found.params),
        "code": ["\n".join(diff) for diff in found.code],
        "data": rows(found.data),
        "env": rows(found.env),
        "metrics": [
            {
                "name": name,
                "values": clean(values),
                "comparisons": [c.evidence() for c in verdicts.get(name, [])],
            }
            for name, values in found.metrics
        ],
    }


def _table(found: RunDifferences) -> Table:
    head = ["what", "name", *(f"#{i}" for i in found.run_ids)]
    rows: list[list[Any]] = []
    for what, section in (
        ("param", found.params),
        ("data", found.data),
        ("env", found.env),
        ("metric", found.metrics),
    ):
        rows += [[what, name, *values] for name, values in section]
    return Table(head, rows)


def _section(
    title: str, found: RunDifferences, rows: Sequence[tuple[str, Sequence[object]]]
) -> str:
    table = Table(
        [title, *(f"#{i}" for i in found.run_ids)],
        [[name, *(cell(v) for v in values)] for name, values in rows],
    )
    return text_table(table)


def _code_lines(found: RunDifferences) -> list[str]:
    return [line for diff in found.code for line in diff]


def _difference_heads(found: RunDifferences) -> list[str]:
    first = found.run_ids[0]
    return [f"#{i} − #{first}" for i in found.run_ids[1:]]


def _differences(values: list[Any]) -> list[float | None]:
    first = values[0]
    return [None if first is None or value is None else value - first for value in values[1:]]
