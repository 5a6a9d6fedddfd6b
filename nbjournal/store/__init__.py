"""The journal store: schema, migrations and queries (no IPython, no Keras)."""

from __future__ import annotations

import threading

from ..config import resolve_url
from .records import (
    ARTIFACT_STATUSES,
    STATUSES,
    VERDICTS,
    Artifact,
    ExperimentSummary,
    Grid,
    GridInference,
    GridPoint,
    GridSummary,
    History,
    HistoryRow,
    Inference,
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
    "GridInference",
    "GridPoint",
    "GridSummary",
    "History",
    "HistoryRow",
    "Inference",
    "MetricPoint",
    "MetricSummary",
    "Run",
    "RunSummary",
    "Store",
    "open_store",
]

_open: dict[str, Store] = {}
_lock = threading.Lock()


def open_store(url: str | None = None) -> Store:
    """The process's store for ``url`` (resolved as in :func:`nbjournal.config.resolve_url`)."""
    resolved = resolve_url(url)
    with _lock:
        store = _open.get(resolved)
        if store is None:
            store = _open[resolved] = Store(resolved)
        return store


def forget_stores() -> None:
    """Close every open store (tests point ``NBJOURNAL_HOME`` elsewhere between cases)."""
    with _lock:
        for store in _open.values():
            store.close()
        _open.clear()
