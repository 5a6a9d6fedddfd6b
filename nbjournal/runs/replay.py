"""Replaying a run: its upstream cells and its cell, as a new notebook, in a fresh kernel.

The recorded procedure is what ran (the code of each upstream cell as executed,
not as the notebook holds it now). The data files the run read are checked
first: one that changed or is gone is named and nothing runs. The notebook is
executed with nbclient in the run's working folder, on the same journal; its
experiment cell runs with ``--force`` (so it trains instead of restoring) and
the new run is recorded as a replay of the first. Its metrics are compared with
the recorded ones: equal values are ``identical``; otherwise the comparison rule
of :mod:`nbjournal.analysis.comparison` says whether the difference is within
the noise of the run's repeats. All metrics identical or within noise: the
replayed run is marked ``reproduced``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..config import journal_home
from ..errors import ReplayStopped
from ..store import Run, Store

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: Relative difference below which two metric values are the same number.
IDENTICAL = 1e-9


@dataclass(frozen=True)
class ReplayResult:
    """What a replay found: the new run, each metric compared, whether it reproduced."""

    run_id: int
    replay_id: int | None
    matched: bool
    #: per metric: ``recorded``, ``replayed``, ``verdict`` (``identical``, ``within noise``,
    #: ``differs``...), ``difference``, ``interval``
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    notebook: Path | None = None
    #: the replayed inputs have the recorded fingerprint
    inputs_match: bool | None = None
    error: str | None = None

    def line(self) -> str:
        from ..rules import format as fmt

        if self.replay_id is None:
            return f"replay of run #{self.run_id} failed: {self.error}"
        parts = [
            f"{name} {fmt.number(m['recorded'])} → {fmt.number(m['replayed'])} {m['verdict']}"
            for name, m in self.metrics.items()
        ]
        head = f"replay of run #{self.run_id} → run #{self.replay_id}"
        if self.error:
            head += f" failed: {self.error}"
        inputs = {True: "inputs identical", False: "inputs differ", None: ""}[self.inputs_match]
        verdict = "reproduced" if self.matched else "not reproduced"
        return " · ".join(p for p in [head, *parts, inputs, verdict] if p)

    def __repr__(self) -> str:
        return self.line()


def replay(store: Store, run_id: int, *, timeout: float = 600) -> ReplayResult:
    """Replay run ``run_id`` (see the module's docstring); the executed notebook is kept
    under ``NBJOURNAL_HOME/replays``."""
    from .. import store as stores
    from ..artifacts.code_trust import code_refusal
    from ..store.procedures import procedure, record_replay

    run = store.get_run(run_id)
    record = procedure(store, run_id)
    if record is None or not record.slice.get("cell"):
        raise ReplayStopped(
            f"run #{run_id} recorded no procedure (it ran before nbjournal recorded upstream "
            "cells, or not from a notebook cell): nothing to replay"
        )
    refused = code_refusal(record.slice, run_id)
    if refused is not None:  # never run code whose author is not trusted
        raise ReplayStopped(refused)
    _refuse_redacted(run_id, record.slice)
    check_files(run, record.slice.get("files") or [])
    notebook = replay_notebook(record.slice)
    folder = journal_home() / "replays"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"run-{run_id}.ipynb"
    before = _latest_id(store, run.experiment)
    error = _execute(notebook, path, run, store.url, timeout)
    stores.forget_stores()  # the kernel wrote: read afresh
    store = stores.open_store(store.url)
    new = _replayed_run(store, run, before)
    if new is None:
        return ReplayResult(run_id, None, False, notebook=path, error=error or "no run recorded")
    metrics = compare_metrics(run, new, _repeats(store, run, new.id))
    matched = (
        error is None and new.status == "finished" and bool(metrics)
        and all(m["verdict"] in {"identical", "within noise"} for m in metrics.values())
    )  # fmt: skip
    inputs_match = (
        None
        if not (run.data_fingerprint and new.data_fingerprint)
        else run.data_fingerprint == new.data_fingerprint
    )
    comparison = {"metrics": metrics, "inputs_match": inputs_match, "error": error}
    record_replay(store, new.id, run_id, comparison, matched)
    return ReplayResult(run_id, new.id, matched, metrics, path, inputs_match, error)


def _refuse_redacted(run_id: int, slice_record: Mapping[str, object]) -> None:
    """A cell whose secret the journal did not keep (rules/secrets.py) cannot be replayed:
    run with the placeholder, it would fail or, worse, run on other data."""
    from ..rules.secrets import REDACTED

    cells = cast("list[Mapping[str, object]]", slice_record.get("cells", []))
    for entry in [*cells, cast("Mapping[str, object]", slice_record["cell"])]:
        if REDACTED in str(entry.get("code", "")):
            count = entry.get("execution_count")
            raise ReplayStopped(
                f"run #{run_id}'s cell [{count}] held a secret the journal did not keep "
                f"(shown as {REDACTED}): not replayed — keep keys in environment variables "
                "(os.environ[...]) so a replay can read them"
            )


def check_files(run: Run, upstream: Sequence[Mapping[str, object]] = ()) -> None:
    """Stop before anything runs when a data file the run or its upstream cells read
    changed or is gone."""
    from ..capture.fingerprint import hash_file

    for entry in [*run.data, *upstream]:
        if entry.get("kind") != "file" or not entry.get("path"):
            continue
        path = Path(str(entry["path"]))
        if not path.is_file():
            raise ReplayStopped(f"data file {entry['name']} ({path}) is gone: the replay stops")
        if hash_file(path) != entry.get("hash"):
            raise ReplayStopped(
                f"data file {entry['name']} ({path}) changed since run #{run.id}: the replay stops"
            )


def replay_notebook(slice_record: Mapping[str, object]) -> NotebookNode:
    """The notebook a replay runs: ``%load_ext nbjournal``, the upstream cells as they ran,
    then the experiment cell with ``--force``."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_code_cell("%load_ext nbjournal")]
    upstream = cast("list[Mapping[str, object]]", slice_record.get("cells", []))
    for entry in upstream:
        cells.append(nbformat.v4.new_code_cell(str(entry.get("code", ""))))
    cell = cast("Mapping[str, object]", slice_record["cell"])
    cells.append(nbformat.v4.new_code_cell(forced(str(cell["code"]))))
    notebook.cells = cells
    return notebook


def forced(code: str) -> str:
    """The experiment cell with ``--force`` on its magic line (it trains, never restores)."""
    first, _, rest = code.partition("\n")
    if first.lstrip().startswith("%%experiment") and not re.search(r"\s--force\b", first):
        first = first.rstrip() + " --force"
    return f"{first}\n{rest}" if rest else first


def _execute(notebook: NotebookNode, path: Path, run: Run, url: str, timeout: float) -> str | None:
    """Run the notebook in a fresh kernel; the error of the cell that failed, or ``None``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    cwd = (run.env or {}).get("cwd")
    folder = cwd if cwd and Path(cwd).is_dir() else os.getcwd()
    env = {**os.environ, "NBJOURNAL_URL": url, "NBJOURNAL_LIVE": "off"}
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": folder}}
    )
    error: str | None = None
    try:
        client.execute(env=env)
    except CellExecutionError as failure:
        error = _first_line(str(failure))
    finally:
        nbformat.write(notebook, path)
    return error


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    found = [line for line in lines if re.match(r"^\w+(Error|Exception)\b", line.strip())]
    return (found[-1] if found else (lines[-1] if lines else "the replay failed")).strip()


def _latest_id(store: Store, experiment: str) -> int:
    runs = store.list_runs(experiment=experiment, limit=1)
    return runs[0].id if runs else 0


def _replayed_run(store: Store, run: Run, before: int) -> Run | None:
    """The run the replay's experiment cell recorded: the newest of the experiment since with
    the run's fingerprint (a grid cell replayed runs every point: this one is the run's),
    else the newest."""
    new = [
        s
        for s in store.list_runs(experiment=run.experiment, limit=1000)
        if s.id > before and s.id != run.id
    ]
    same = [s for s in new if s.fingerprint == run.fingerprint]
    found = (same or new)[:1]
    return store.get_run(found[0].id) if found else None


def _repeats(store: Store, run: Run, replay_id: int) -> dict[str, list[float]]:
    """Per metric, the final values of the run and its finished repeats (same fingerprint):
    the recorded side of the comparison."""
    values: dict[str, list[float]] = {}
    for summary in store.list_runs(fingerprint=run.fingerprint, status="finished", limit=100):
        if summary.id == replay_id:
            continue
        for name, metric in summary.metrics.items():
            if metric.last is not None and math.isfinite(metric.last):
                values.setdefault(name, []).append(metric.last)
    return values


def compare_metrics(
    run: Run, new: Run, repeats: dict[str, list[float]] | None = None
) -> dict[str, dict[str, object]]:
    """Each recorded final metric against the replay's: ``identical`` when equal, else the
    comparison rule's verdict against the run and its repeats (with one run a side the
    rule asks for repeats, and the replay does not count as reproduced)."""
    from ..analysis.comparison import compare_values

    found: dict[str, dict[str, object]] = {}
    for name, summary in sorted(run.metrics.items()):
        recorded = summary.last
        replayed = new.metrics[name].last if name in new.metrics else None
        entry: dict[str, object] = {"recorded": recorded, "replayed": replayed}
        if recorded is None or replayed is None or not math.isfinite(recorded):
            entry.update(verdict="missing", difference=None, interval=None)
        elif abs(replayed - recorded) <= IDENTICAL * max(1.0, abs(recorded)):
            entry.update(verdict="identical", difference=replayed - recorded, interval=None)
        else:
            recorded_side = (repeats or {}).get(name) or [recorded]
            result = compare_values([replayed], recorded_side, summary.goal != "min")
            verdict = result.verdict
            entry.update(
                verdict=verdict if verdict == "within noise" else f"differs ({verdict})",
                difference=result.difference,
                interval=list(result.interval),
            )
        found[name] = entry
    return found
