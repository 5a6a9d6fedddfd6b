"""Answers the server keeps while the journal is unchanged: insights and groups.

At 10,000 runs insights take about a second of CPU (importances and suggestions
are Optuna's), and the experiment page asks for them again every time it opens;
grouping every run costs ~0.2 s a request. An answer is kept under the revision of what
it reads (:meth:`nbjournal.store.Store.revision`): a run of the experiment added,
edited, tagged, trashed or restored, an inference added, edited or deleted, a
grid or a chosen metric changed, and the next request computes it anew; a run
training in another experiment leaves it kept. Answers are shared and
must not be changed by whoever receives them (the handlers only encode them).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ..store import Store

T = TypeVar("T")

#: Answers kept at most (an insights answer at 10,000 runs is ~0.3 MB of JSON), oldest use first out.
KEPT_MAX = 16

_kept: OrderedDict[tuple[Hashable, ...], tuple[tuple[object, ...], object]] = OrderedDict()
_lock = threading.Lock()


def kept(
    store: Store, key: tuple[Hashable, ...], compute: Callable[[], T], experiment: str | None
) -> T:
    """``compute()``, or the answer it gave for ``key`` when nothing it reads has changed
    since: ``experiment``'s runs (None: any run), and the journal's inferences, grids and
    chosen metrics.

    The revision is read before computing: a write that lands meanwhile leaves the
    answer kept under the older revision, so the next request computes it again.
    """
    revision = store.revision(experiment)
    full = (store.engine.url.render_as_string(hide_password=True), *key)
    with _lock:
        found = _kept.get(full)
        if found is not None and found[0] == revision:
            _kept.move_to_end(full)
            return found[1]  # type: ignore[return-value]
    with gc_paused():
        answer = compute()
    with _lock:
        _kept[full] = (revision, answer)
        _kept.move_to_end(full)
        while len(_kept) > KEPT_MAX:
            _kept.popitem(last=False)
    return answer


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector held off while an answer is computed, then as it was.

    Grouping 10,000 runs makes some 10^6 objects (parameters, values, payloads), and the
    collector's passes over a server's whole heap meanwhile were a third of the CPU (1.07 s
    against 0.71 s by configuration); the answer holds no cycle to collect. Process-wide:
    another request computing at the same time is spared them too, and whichever started
    it with the collector on turns it on again.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def forget() -> None:
    """Drop every kept answer."""
    with _lock:
        _kept.clear()
