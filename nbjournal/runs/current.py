"""The kernel's active run: what ``log_metric`` and ``%inference`` address without an id.

One process-wide slot, written only by :mod:`nbjournal.runs.lifecycle` when a run
starts or ends (and by a duplicate cell, which points ``%inference`` at the run it
showed).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from ..errors import JournalWarning

if TYPE_CHECKING:
    from ..recording.recorder import RunRecorder

_active: RunRecorder | None = None
_last_run_id: int | None = None
_last_grid_id: int | None = None


def set_active(recorder: RunRecorder | None) -> None:
    """Make ``recorder`` the kernel's running run (``None``: no run is running)."""
    global _active, _last_run_id, _last_grid_id
    _active = recorder
    if recorder is not None:
        _last_run_id, _last_grid_id = recorder.run_id, None


def remember_run(run_id: int | None) -> None:
    """Make ``run_id`` the run that ``%inference`` addresses by default."""
    global _last_run_id, _last_grid_id
    _last_run_id, _last_grid_id = run_id, None


_grids_here: set[tuple[str | None, int]] = set()


def remember_grid(grid_id: int | None, last_run: int | None, journal: str | None = None) -> None:
    """A grid cell ended (in ``journal``, its URL): ``%inference`` with no id addresses the
    grid as a whole, not its last point, which the person never looked at on its own
    (issue 21.10)."""
    global _last_grid_id
    remember_run(last_run)
    _last_grid_id = grid_id
    if grid_id is not None:
        _grids_here.add((journal, grid_id))


def grid_ran_here(journal: str | None, grid_id: int) -> bool:
    """Whether this kernel ran (or re-ran) grid ``grid_id`` of ``journal``: a suggested grid
    re-run by a fresh kernel (Restart & Run All) is restored, in the kernel that ran it the
    next suggestions follow."""
    return (journal, grid_id) in _grids_here


def last_grid_id() -> int | None:
    """The grid of this kernel's last experiment cell, when that cell ran a grid."""
    return _last_grid_id


def active() -> RunRecorder | None:
    return _active


def last_run_id() -> int | None:
    """This kernel's most recent run, finished or not."""
    return _last_run_id


def log_metric(name: str, value: float, step: int | None = None) -> None:
    """Record ``name = value`` on the running experiment (a curve when ``step`` is given)."""
    recorder = _active
    if recorder is None:
        warnings.warn(
            "nbjournal.log_metric: no experiment is running; call it inside an %%experiment cell",
            JournalWarning,
            stacklevel=3,
        )
        return
    recorder.log_value(str(name), value, step)
