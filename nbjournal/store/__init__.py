"""The journal store: schema, migrations and queries (no IPython, no Keras)."""

from __future__ import annotations

import threading

from ..config import resolve_url
from .availability import bounded, check_available, mark_available, mark_unavailable
from .records import (
    ARTIFACT_STATUSES,
    STATUSES,
    VERDICTS,
    Artifact,
    ExperimentSummary,
    Grid,
    GridConclusion,
    GridInference,
    GridPoint,
    GridSummary,
    History,
    HistoryRow,
    Inference,
    InferenceVersion,
    MetricPoint,
    MetricSummary,
    Run,
    RunSummary,
)
from .store import Store

__all__ = [
    "ARTIFACT_STATUSES",
    "STATUSES",
    "VERDICTS",
    "Artifact",
    "ExperimentSummary",
    "Grid",
    "GridConclusion",
    "GridInference",
    "GridPoint",
    "GridSummary",
    "History",
    "HistoryRow",
    "Inference",
    "InferenceVersion",
    "MetricPoint",
    "MetricSummary",
    "Run",
    "RunSummary",
    "Store",
    "bounded",
    "check_available",
    "mark_available",
    "mark_unavailable",
    "open_store",
]

_open: dict[str, Store] = {}
_opening: dict[str, threading.Lock] = {}
_lock = threading.Lock()


def open_store(url: str | None = None, *, bound: float | None = None) -> Store:
    """The process's store for ``url`` (resolved as in :func:`nbjournal.config.resolve_url`).

    Opening waits at most ``bound`` seconds (default :func:`nbjournal.config.timeout`);
    a journal that failed to open or to answer is not tried again for a while
    (:mod:`.availability`), so the caller gets :class:`JournalUnavailable` at once.
    """
    resolved = resolve_url(url)
    check_available(resolved)
    with _lock:
        store = _open.get(resolved)
    if store is not None:
        return store
    return bounded(resolved, lambda: _open_once(resolved), bound)


def _open_once(resolved: str) -> Store:
    """Open (and migrate) once per URL; a stuck opening holds only its own URL's lock."""
    with _lock:
        opening = _opening.setdefault(resolved, threading.Lock())
    with opening:
        with _lock:
            store = _open.get(resolved)
        if store is None:
            store = Store(resolved)
            with _lock:
                _open[resolved] = store
        return store


def forget_stores() -> None:
    """Close every open store (tests point ``NBJOURNAL_HOME`` elsewhere between cases)."""
    from . import availability

    with _lock:
        for store in _open.values():
            store.close()
        _open.clear()
    with availability._lock:
        availability._down.clear()
