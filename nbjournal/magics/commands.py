"""What ``%inference`` and ``%journal`` do, once their lines are parsed: read and annotate
the journal from a notebook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from IPython.core.error import UsageError
from IPython.display import display

from ..display.views import RunDetail, RunsTable
from ..runs.current import active, last_run_id
from ..store import open_store

LIST_LIMIT = 20


def record_inference(run: int | None, text: str, verdict: str | None, url: str | None) -> None:
    """``%inference``: a conclusion on a run (this kernel's last one by default)."""
    text = _conclusion(text, "%inference --verdict supported TEXT")
    store = open_store(url)
    run_id = run if run is not None else _default_run()
    _record(
        f"run #{run_id}",
        lambda: store.get_run(run_id).inferences,
        lambda t, v: store.add_inference(run_id, t, v),
        text,
        verdict,
    )


def record_grid_inference(grid: int, text: str, verdict: str | None, url: str | None) -> None:
    """``%inference --grid ID``: a conclusion on a grid as a whole."""
    text = _conclusion(text, "%inference --grid ID TEXT")
    store = open_store(url)
    _record(
        f"grid #{grid}",
        lambda: store.get_grid(grid).inferences,
        lambda t, v: store.add_grid_inference(grid, t, v),
        text,
        verdict,
    )


def _conclusion(text: str, usage: str) -> str:
    text = (text or "").strip()
    if not text:
        raise UsageError(f"%inference needs your conclusion: {usage}")
    return text


def _record(
    what: str,
    earlier: Callable[[], Sequence[Any]],
    add: Callable[[str, str | None], Any],
    text: str,
    verdict: str | None,
) -> None:
    """Add a conclusion unless the same one is already the latest (a notebook run again)."""
    found = earlier()
    if found and (found[-1].text, found[-1].verdict) == (text, verdict):
        print(f"Inference already recorded on {what}; nothing added.")
        return
    inference = add(text, verdict)
    verdict_text = f" ({inference.verdict})" if inference.verdict else ""
    print(f"Inference recorded on {what}{verdict_text}.")


def _default_run() -> int:
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
    display(RunDetail(open_store().get_run(run_id)))


def show_grid(grid_id: int) -> None:
    """The grid's summary table and chart, as at the end of its cell."""
    from ..display.grid_summary_view import show_summary

    show_summary(open_store().get_grid(grid_id))


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
