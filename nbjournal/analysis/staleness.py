"""Whether a run's recorded procedure still stands in its notebook: its status and reason.

Statuses, most serious first (a run shows the first that applies, the reason
names every problem found):

- ``upstream gone``: an upstream cell is no longer in the notebook as saved now;
- ``upstream edited``: the saved notebook has other code in an upstream cell
  than what ran;
- ``out of order``: an upstream cell ran after a cell that sits below it in the
  saved notebook (the experiment cell included), or one cell that may change a
  name ran twice;
- ``hidden state``: a name was read that no recorded cell bound (``%run``,
  ``exec``, a cell from before the kernel's history);
- ``clean``: none of these.

Cells are matched by the cell id JupyterLab sent where there was one, else by
their code. Without the notebook (not known, not saved, moved) only what the
kernel's history tells is checked, and the reason says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..rules.code_hash import code_hash

if TYPE_CHECKING:
    from ..store.store import Store

STATUSES = ("clean", "out of order", "upstream edited", "upstream gone", "hidden state")
_ORDER = ("upstream gone", "upstream edited", "out of order", "hidden state")


@dataclass(frozen=True)
class NotebookCell:
    """A code cell of the saved notebook: its id (``None`` before nbformat 4.5) and code."""

    cell_id: str | None
    source: str


@dataclass(frozen=True)
class Status:
    status: str
    reason: str
    #: every problem found: ``(status, reason)``
    problems: tuple[tuple[str, str], ...] = ()
    #: whether a saved notebook was compared
    notebook_checked: bool = False


def read_notebook(path: Path) -> list[NotebookCell] | None:
    """The code cells of a saved notebook, or ``None`` when it cannot be read."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cells = []
    for cell in document.get("cells", []) if isinstance(document, dict) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        cells.append(NotebookCell(cell.get("id"), text))
    return cells


def find_notebook(notebook: str | None, folders: Sequence[str | Path]) -> Path | None:
    """The saved notebook a run named: absolute, or under one of ``folders`` (the server's
    root, the kernel's working folder and its parents), or beside the working folder."""
    if not notebook:
        return None
    path = Path(notebook)
    if path.is_absolute():
        return path if path.is_file() else None
    for folder in folders:
        base = Path(folder)
        for parent in (base, *base.parents):
            if (parent / path).is_file():
                return parent / path
        if (base / path.name).is_file():
            return base / path.name
    return None


def _label(entry: Mapping[str, object]) -> str:
    return f"In [{entry.get('execution_count')}]"


def status_of(record: dict[str, Any], notebook: Sequence[NotebookCell] | None) -> Status:
    """The status of a recorded procedure against the notebook as saved now (or ``None``)."""
    cells: list[dict[str, Any]] = list(record.get("cells") or [])
    experiment: dict[str, Any] = record.get("cell") or {}
    problems: list[tuple[str, str]] = []
    hidden = list(record.get("hidden") or [])
    if hidden:
        opaque = [c for c in cells if c.get("opaque")]
        where = "; " + ", ".join(f"{_label(c)} ran {c['opaque']}" for c in opaque) if opaque else ""
        problems.append(("hidden state", f"no recorded cell bound {', '.join(hidden)}{where}"))
    # one cell that may change a name, run twice: a top-to-bottom run does it once
    by_id: dict[str, list[dict[str, Any]]] = {}
    for cell in cells:
        if cell.get("cell_id"):
            by_id.setdefault(cell["cell_id"], []).append(cell)
    for runs in by_id.values():
        if len(runs) > 1:
            labels = " and ".join(_label(c) for c in runs)
            problems.append(("out of order", f"{labels} are one cell run twice"))
    if notebook is not None:
        problems += _against_notebook(cells, experiment, notebook)
    problems.sort(key=lambda p: _ORDER.index(p[0]))
    if not problems:
        reason = (
            "every upstream cell is in the saved notebook, above, unchanged, run in order"
            if notebook is not None
            else "the kernel's history shows nothing stale; the saved notebook was not checked"
        )
        return Status("clean", reason, (), notebook is not None)
    reason = "; ".join(text for _, text in problems)
    return Status(problems[0][0], reason, tuple(problems), notebook is not None)


def _against_notebook(
    cells: list[dict[str, Any]], experiment: dict[str, Any], notebook: Sequence[NotebookCell]
) -> list[tuple[str, str]]:
    ids = {c.cell_id: i for i, c in enumerate(notebook) if c.cell_id}
    hashes: dict[str, list[int]] = {}
    for i, c in enumerate(notebook):
        hashes.setdefault(code_hash(c.source), []).append(i)
    experiment_at = _position(experiment, ids, hashes, None)
    problems: list[tuple[str, str]] = []
    placed: list[tuple[int, int, dict[str, Any]]] = []  # (execution count, position, entry)
    for cell in cells:
        at = _place(cell, notebook, ids, hashes, experiment_at, problems)
        if at is not None:
            placed.append((int(cell.get("execution_count") or 0), at, cell))
    limit = experiment_at if experiment_at is not None else len(notebook)
    problems += _shadowed(placed, ids, hashes, limit)
    if experiment_at is not None:
        placed.append((int(experiment.get("execution_count") or 0), experiment_at, experiment))
    problems += _ran_before_above(placed, experiment)
    return problems


def _place(
    cell: dict[str, Any],
    notebook: Sequence[NotebookCell],
    ids: dict[str, int],
    hashes: dict[str, list[int]],
    experiment_at: int | None,
    problems: list[tuple[str, str]],
) -> int | None:
    """Where an upstream cell sits in the notebook (``None``: gone); a gone or edited
    cell is added to ``problems``."""
    cell_id = cell.get("cell_id")
    if cell_id and cell_id not in ids:
        problems.append(("upstream gone", f"{_label(cell)} is no longer in the notebook"))
        return None
    if cell_id:
        at = ids[cell_id]
        if code_hash(notebook[at].source) != cell.get("code_hash"):
            problems.append(
                ("upstream edited", f"{_label(cell)} has other code in the notebook now")
            )
        return at
    found = _position(cell, ids, hashes, experiment_at)
    if found is None:
        problems.append(
            (
                "upstream gone",
                f"no cell of the notebook has the code of {_label(cell)} (edited or "
                "deleted; no cell id was recorded)",
            )
        )
    return found


def _shadowed(
    placed: list[tuple[int, int, dict[str, Any]]],
    ids: dict[str, int],
    hashes: dict[str, list[int]],
    limit: int,
) -> list[tuple[str, str]]:
    """Upstream cells that ran after a cell below them (above ``limit``) binding the same
    names."""
    problems: list[tuple[str, str]] = []
    for _, at, cell in placed:
        for shadow in cell.get("shadows") or []:
            below = _position(shadow, ids, hashes, None)
            if below is not None and at < below < limit:
                names = ", ".join(cell.get("names") or [])
                problems.append(
                    (
                        "out of order",
                        f"{_label(cell)} ran after {_label(shadow)}, which sits below it and "
                        f"also binds {names}",
                    )
                )
    return problems


def _ran_before_above(
    placed: list[tuple[int, int, dict[str, Any]]], experiment: dict[str, Any]
) -> list[tuple[str, str]]:
    """The first cell that ran before a cell sitting above it (one problem at most)."""
    placed = sorted(placed, key=lambda p: p[0])
    for i, (_, at, cell) in enumerate(placed):
        later = [p for p in placed[i + 1 :] if p[1] < at]
        if later:
            target = later[0][2]
            what = "the experiment cell" if target is experiment else _label(target)
            return [("out of order", f"{_label(cell)} ran before {what} but sits below it")]
    return []


def _position(
    entry: dict[str, Any],
    ids: dict[str, int],
    hashes: dict[str, list[int]],
    before: int | None,
) -> int | None:
    cell_id = entry.get("cell_id")
    if cell_id and cell_id in ids:
        return ids[cell_id]
    if cell_id:
        return None
    positions = hashes.get(str(entry.get("code_hash")), [])
    above = [p for p in positions if before is None or p < before]
    if above:
        return above[-1]
    return positions[0] if positions else None


@dataclass(frozen=True)
class ProcedureReport:
    """A run's recorded procedure and its status now (``None`` when none was recorded)."""

    run_id: int
    record: Any  # nbjournal.store.procedures.ProcedureRecord | None
    status: Status | None
    #: the saved notebook compared, where found
    notebook: Path | None = None


def procedure_report(
    store: Store, run_id: int, folders: Sequence[str | Path] = ()
) -> ProcedureReport:
    """Read the run's procedure and check it against its notebook as saved now.

    ``folders``: where a relative notebook path may start (the server's root); the
    run's own working folder is tried after them.
    """
    from ..store.procedures import procedure

    record = procedure(store, run_id)
    if record is None or not record.slice.get("cell"):
        return ProcedureReport(run_id, record, None)
    run = store.get_run(run_id)
    cwd = (run.env or {}).get("cwd")
    path = find_notebook(run.notebook, [*folders, *([cwd] if cwd else [])])
    cells = read_notebook(path) if path is not None else None
    return ProcedureReport(run_id, record, status_of(record.slice, cells), path if cells else None)
