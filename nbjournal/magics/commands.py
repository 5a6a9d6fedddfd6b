"""What ``%inference`` and ``%journal`` do, once their lines are parsed: read and annotate
the journal from a notebook."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from IPython.core.error import UsageError
from IPython.display import display

from ..display.views import RunDetail, RunsTable
from ..runs.current import active, last_run_id
from ..store import open_store

LIST_LIMIT = 20


def record_inference(
    run: int | None,
    text: str,
    verdict: str | None,
    url: str | None,
    sides: list[list[int]] | None = None,
) -> None:
    """``%inference``: a conclusion on a run (this kernel's last one by default), kept with
    the evidence it rests on (``--runs``, else the run against its closest earlier run).
    A verdict the evidence does not decide is recorded, with one line saying so."""
    text = _conclusion(text, "%inference --verdict supported TEXT")
    store = open_store(url)
    run_id = run if run is not None else default_run()
    from ..analysis.repeats import inference_evidence

    result, evidence = inference_evidence(store, run_id, sides)
    added = _record(
        f"run #{run_id}",
        lambda: store.get_run(run_id).inferences,
        lambda t, v: store.add_inference(run_id, t, v, evidence=evidence),
        text,
        verdict,
    )
    if not added or result is None or evidence is None:
        return
    runs = " vs ".join("+".join(f"#{i}" for i in side) for side in evidence["runs"])
    print(f"evidence: {runs}: {result}")
    if verdict in ("supported", "refuted") and not result.decided:
        print(
            f"⚠ {verdict} on a difference the runs do not decide ({result.verdict}): "
            "recorded, as you decide; repeats would tell"
        )


def record_grid_inference(
    grid: int, text: str, verdict: str | None, url: str | None, by_default: bool = False
) -> None:
    """``%inference --grid ID``: a conclusion on a grid as a whole (``by_default``: the grid
    the last cell ran, named as such, with the way to address one of its runs instead)."""
    text = _conclusion(text, "%inference --grid ID TEXT")
    store = open_store(url)
    added = _record(
        f"grid #{grid}",
        lambda: store.get_grid(grid).inferences,
        lambda t, v: store.add_grid_inference(grid, t, v),
        text,
        verdict,
    )
    if not added:
        return
    if by_default:
        print("  (the grid the last cell ran, as a whole; --run ID addresses one of its runs)")
    from ..analysis.grid_table import GridTable, chosen_metric

    record = store.get_grid(grid)
    table = GridTable(record, chosen_metric(store, record.experiment))
    said = table.best_text()
    if said is None:
        return
    print(f"evidence: {said}")
    within, undecided = table.ties()
    repeated = any(len(r.values_of.get(table.key or "", ())) >= 2 for r in table.rows)
    if verdict in ("supported", "refuted") and (within or undecided or not repeated):
        print(
            f"⚠ {verdict} on a grid whose best point the runs do not single out: "
            "recorded, as you decide; repeats would tell"
        )


def _conclusion(text: str, usage: str) -> str:
    text = (text or "").strip()
    if not text:
        raise UsageError(f"%inference needs your conclusion: {usage}")
    return text


class _Conclusion(Protocol):
    """An inference as recorded, on a run or on a grid."""

    @property
    def text(self) -> str: ...
    @property
    def verdict(self) -> str | None: ...


def _record(
    what: str,
    earlier: Callable[[], Sequence[_Conclusion]],
    add: Callable[[str, str | None], _Conclusion],
    text: str,
    verdict: str | None,
) -> bool:
    """Add a conclusion unless the same one is already the latest (a notebook run again)."""
    found = earlier()
    if found and (found[-1].text, found[-1].verdict) == (text, verdict):
        print(f"Inference already recorded on {what}; nothing added.")
        return False
    inference = add(text, verdict)
    verdict_text = f" ({inference.verdict})" if inference.verdict else ""
    print(f"Inference recorded on {what}{verdict_text}.")
    return True


def default_run() -> int:
    recorder = active()
    if recorder is not None:
        if recorder.run_id is None:  # kept locally: the journal was unavailable at its start
            raise UsageError("this run is not in the journal yet: give one with --run ID")
        return recorder.run_id
    run_id = last_run_id()
    if run_id is None:
        raise UsageError("no run in this kernel yet: give one with %inference --run ID TEXT")
    return run_id


def list_recent() -> None:
    display(RunsTable(open_store().list_runs(limit=LIST_LIMIT), f"Last {LIST_LIMIT} runs"))


def list_experiment(name: str) -> None:
    runs = open_store().list_runs(experiment=name)
    if not runs:
        raise UsageError(f"no experiment named {name!r} in this journal (try %journal)")
    display(RunsTable(runs, f"{name}: {len(runs)} runs"))


def show_run(run_id: int) -> None:
    from ..display.procedure_view import with_procedure
    from ..runs.restore import SHOW_WAIT_S, settle_saves

    settle_saves(within=SHOW_WAIT_S)  # a run just made lists what its cell is still saving
    store = open_store()
    display(with_procedure(RunDetail(store.get_run(run_id)), store, run_id))


def show_grid(grid_id: int) -> None:
    """The grid's summary table and chart, as at the end of its cell."""
    from ..display.grid_summary_view import show_summary

    store = open_store()
    show_summary(store.get_grid(grid_id), store=store)


def compare_runs(
    sides: list[list[int]], metric: str | None = None, min_effect: float | None = None
) -> None:
    """``%journal compare A B…``: the same object as ``Journal().compare``."""
    from ..display.compare_view import compare_view

    display(compare_view(open_store(), sides, metric=metric, min_effect=min_effect))


def show_insights(name: str, same_data: bool, metric: str | None) -> None:
    """``%journal insights NAME [--data] [--metric M]``."""
    from ..analysis.insights import insights
    from ..display.insights_view import InsightsView

    store = open_store()
    if not store.list_runs(experiment=name, limit=1):
        raise UsageError(f"no experiment named {name!r} in this journal (try %journal)")
    display(InsightsView(insights(store, name, same_data=same_data, metric=metric)))


def tag_run(run_id: int, words: Sequence[str]) -> None:
    """``%journal tag ID +keep -draft``: a run's tags edited after the fact."""
    from ..store.retire import tag_changes

    add, remove = tag_changes(words)
    tags = open_store().edit_tags(run_id, add, remove)
    print(f"run #{run_id} tags: {', '.join(tags) if tags else 'none'}")


def export_report(experiments: Sequence[str], output: str) -> None:
    """``%journal export [NAME…] -o FILE``: the lab-notebook report (``nbjournal export``)."""
    from pathlib import Path

    from ..analysis.lab_notebook import lab_notebook
    from ..analysis.lab_notebook_page import write

    path = Path(output)
    if not path.parent.is_dir():
        raise UsageError(f"no folder {str(path.parent)!r} to write {path.name!r} in")
    form = "html" if path.suffix in (".html", ".htm") else "md"
    write(lab_notebook(open_store(), experiments), form, path)
    print(f"wrote {path} ({form})")


def show_similar(words: list[str], namespace: Mapping[str, object]) -> None:
    """``%journal similar X [y]`` (names in the notebook) or ``%journal similar --experiment
    NAME``: the earlier data sets nearest to that data."""
    from ..journal import Journal

    usage = "usage: %journal similar X [y] | %journal similar --experiment NAME"
    if words[:1] == ["--experiment"] or (words and words[0].startswith("--experiment=")):
        name = words[0].partition("=")[2] or (words[1] if len(words) > 1 else "")
        if not name or len(words) > (1 if "=" in words[0] else 2):
            raise UsageError(usage)
        display(Journal().similar(experiment=name))
        return
    if not 1 <= len(words) <= 2 or any(w.startswith("-") for w in words):
        raise UsageError(usage)
    missing = [w for w in words if w not in namespace]
    if missing:
        raise UsageError(f"%journal similar: no variable named {missing[0]!r}; {usage}")
    values = [namespace[w] for w in words]
    display(Journal().similar(values[0], values[1] if len(values) > 1 else None))
