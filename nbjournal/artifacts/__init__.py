"""Artifacts: what an experiment cell made (the names it bound, its value), kept so that an
identical cell restores them instead of training again.

Bytes go to a content-addressed blob store over fsspec (:mod:`.blobs`), one
codec per kind of value (:mod:`.codecs`); the journal records each artifact's
name, type, size and hash. Nothing here knows IPython: the run lifecycle
(:mod:`nbjournal.runs.restore`) decides what to save and where to put it back.
"""

from __future__ import annotations

import threading

from ..config import artifacts_url
from .blobs import ArtifactUnavailable, BlobStore, content_hash
from .loading import Loaded, Untrusted, load_all, load_one, why_not_restorable
from .saving import RESULT, Snapshot, save_in_background, save_snapshot, snapshot, wait_for_saves

__all__ = [
    "RESULT",
    "ArtifactUnavailable",
    "BlobStore",
    "Loaded",
    "Snapshot",
    "Untrusted",
    "content_hash",
    "load_all",
    "load_one",
    "open_blobs",
    "save_in_background",
    "save_snapshot",
    "snapshot",
    "wait_for_saves",
    "why_not_restorable",
]

_open: dict[str, BlobStore] = {}
_lock = threading.Lock()


def open_blobs(url: str | None = None) -> BlobStore:
    """The process's blob store for ``url`` (else ``NBJOURNAL_ARTIFACTS``, else the default)."""
    resolved = artifacts_url(url)
    with _lock:
        blobs = _open.get(resolved)
        if blobs is None:
            blobs = _open[resolved] = BlobStore(resolved)
        return blobs
