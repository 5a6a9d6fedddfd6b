"""Runs: the one place where a run starts, is made the kernel's active run, and ends.

Callers (the ``%%experiment`` magic, :class:`~nbjournal.callback.JournalCallback`,
grids, Dask workers) build a :class:`RunSpec` and go through :mod:`.lifecycle`.
"""

from __future__ import annotations

from .current import active, last_run_id, log_metric, remember_run, set_active
from .lifecycle import RunSpec, finish_run, open_journal, recorded, start_run
from .restore import names_to_save, restore_run, save_artifacts

__all__ = [
    "RunSpec",
    "active",
    "finish_run",
    "last_run_id",
    "log_metric",
    "names_to_save",
    "open_journal",
    "recorded",
    "remember_run",
    "restore_run",
    "save_artifacts",
    "set_active",
    "start_run",
]
