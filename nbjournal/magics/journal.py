"""``%inference`` and ``%journal``: reading and annotating the journal from a notebook."""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.display import display

from ..display.views import Comparison, RunDetail, RunsTable
from ..recorder import active, last_run_id
from ..store import open_store
from . import parse

LIST_LIMIT = 20


def record_inference(
    shell: Any, run: str | None, text: str, verdict: str | None, url: str | None
) -> None:
    text = (text or "").strip()
    if not text:
        raise UsageError("%inference needs your conclusion: %inference --verdict supported TEXT")
    run_id = parse.run_id(run) if run is not None else _default_run()
    store = open_store(url)
    earlier = store.get_run(run_id).inferences
    if earlier and (earlier[-1].text, earlier[-1].verdict) == (text, verdict):
        # the notebook was run again from the top: the conclusion is already there
        print(f"Inference already recorded on run #{run_id}; nothing added.")
        return
    inference = store.add_inference(run_id, text, verdict)
    verdict_text = f" ({inference.verdict})" if inference.verdict else ""
    print(f"Inference recorded on run #{run_id}{verdict_text}.")


def _default_run() -> int:
    recorder = active()
    if recorder is not None:
        return recorder.run_id
    run_id = last_run_id()
    if run_id is None:
        raise UsageError("no run in this kernel yet: give one with %inference --run ID TEXT")
    return run_id


def journal_command(words: list[str]) -> None:
    store = open_store()
    if not words:
        display(RunsTable(store.list_runs(limit=LIST_LIMIT), f"Last {LIST_LIMIT} runs"))
    elif words[0] == "show":
        if len(words) != 2:
            raise UsageError("usage: %journal show ID")
        display(RunDetail(store.get_run(parse.run_id(words[1]))))
    elif words[0] == "compare":
        if len(words) < 3:
            raise UsageError("usage: %journal compare ID ID [ID…] (two runs at least)")
        runs = [store.get_run(parse.run_id(w)) for w in words[1:]]
        display(Comparison(runs))
        _show_curves(store, runs)
    elif words[0] == "insights":
        raise UsageError("%journal insights is not available in this version of nbjournal yet")
    elif len(words) == 1:
        runs = store.list_runs(experiment=words[0])
        if not runs:
            raise UsageError(f"no experiment named {words[0]!r} in this journal (try %journal)")
        display(RunsTable(runs, f"{words[0]}: {len(runs)} runs"))
    else:
        raise UsageError("usage: %journal [NAME | show ID | compare ID ID…]")


def _show_curves(store: Any, runs: list[Any]) -> None:
    """Curves overlaid per metric, as an Altair chart (rendered by JupyterLab itself)."""
    from ..display.charts import comparison_chart

    chart = comparison_chart(store, runs)
    if chart is not None:
        display(chart)
