"""Meta-features of a run's first fit, computed beside the training, never in its way.

The fit hooks hand over ``x`` and ``y`` (references, no copy) as ``fit`` starts;
a daemon thread computes the record (:mod:`.metafeatures`, NumPy, which leaves
the GIL while it works) and the hash naming the data set, and gives it to the
recorder. The run's end waits for it a bounded time; a fit whose data cannot be
read (a stream, a generator) records nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from .fingerprint import combine, describe_value

#: How long the run's end waits for a computation still under way.
WAIT_S = 10.0


class FitMeta:
    """The meta-features of a run's first fit (none when its data cannot be read)."""

    def __init__(self, deliver: Callable[[dict[str, object]], None]) -> None:
        self.deliver = deliver
        self.thread: threading.Thread | None = None

    def start(self, x: object, y: object) -> None:
        """Compute from ``x``/``y`` off this thread, once per run."""
        if self.thread is not None or x is None:
            return
        self.thread = threading.Thread(
            target=self._compute, args=(x, y), name="nbjournal-meta-features", daemon=True
        )
        self.thread.start()

    def wait(self, bound: float = WAIT_S) -> None:
        if self.thread is not None:
            self.thread.join(bound)

    def _compute(self, x: object, y: object) -> None:
        try:
            record = data_meta_features(x, y)
            if record is not None:
                self.deliver(record)
        except Exception:
            return


#: Records of data already read by :func:`cell_meta_features`, by the data's hash.
_CACHE: dict[str, dict[str, Any] | None] = {}
_CACHE_SIZE = 32


def cell_meta_features(values: Mapping[str, object]) -> dict[str, object] | None:
    """The meta-features of a cell's inputs before it runs (its table and target, as
    :func:`.metafeatures.guess_xy` picks them)."""
    from .metafeatures import guess_xy

    picked = guess_xy(values)
    if picked is None:
        return None
    return data_meta_features(values[picked[0]], values[picked[1]] if picked[1] else None)


def data_meta_features(x: object, y: object = None) -> dict[str, object] | None:
    """:func:`.metafeatures.meta_features` with the data's hash, remembered by that hash so
    that a cell run again pays only the hash."""
    from .metafeatures import meta_features

    parts = [describe_value("x", x), describe_value("y", y) if y is not None else None]
    key = combine({"fit": [p["hash"] if p else None for p in parts]})
    if key not in _CACHE:
        record = meta_features(x, y)
        if record is not None:
            record["data"] = key
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = record
    cached = _CACHE[key]
    return dict(cached) if cached is not None else None
