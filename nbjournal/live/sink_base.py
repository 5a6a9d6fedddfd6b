"""What every sink shares: one lock, one :class:`RunState`, and starting a ``fit``'s progress.

Training events come from the training thread, warnings may come from the
journal's writer thread (a failed write): one lock per sink keeps its state whole.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from .progress import Progress
from .state import RunState

_Handler = TypeVar("_Handler", bound=Callable[..., None])


def locked(handler: _Handler) -> _Handler:
    """Run a sink's event handler under the sink's lock."""

    @functools.wraps(handler)
    def run_locked(self: SinkBase, *args: Any) -> None:
        with self._lock:
            handler(self, *args)

    return run_locked  # type: ignore[return-value]


class SinkBase:
    """The state plumbing of a :class:`~nbjournal.recording.recorder.Sink`; subclasses draw."""

    def __init__(self) -> None:
        self.state: RunState | None = None
        self._fit: Progress | None = None
        self._lock = threading.RLock()
        #: The sink now stands as the run's summary (the closing card would repeat it).
        self.summarised = False

    @locked
    def run_started(self, recorder: Any) -> None:
        self.state = RunState(recorder.experiment, recorder.run_id, recorder.hypothesis)

    def _state(self, recorder: Any) -> RunState:
        if self.state is None:
            self.run_started(recorder)
        assert self.state is not None
        return self.state

    def _start_fit(
        self, recorder: Any, part: int, epochs: int | None, steps: int | None
    ) -> tuple[RunState, dict[str, Any]]:
        """A new ``fit``: its progress becomes current; returns the state and the fit's record
        (``verbose``, ``params``) as the recorder keeps it."""
        state = self._state(recorder)
        fits = list(getattr(recorder, "fits", []))
        fit = fits[part] if part < len(fits) else {}
        batch_size = ((fit.get("params") or {}).get("fit") or {}).get("batch_size")
        self._fit = Progress(part=part, epochs=epochs, steps=steps, batch_size=batch_size)
        state.fit_started(self._fit, fits or [{}] * (part + 1))
        return state, fit
