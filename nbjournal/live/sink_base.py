"""What every sink shares: one lock, one :class:`RunState`, and starting a ``fit``'s progress.

Training events come from the training thread, warnings may come from the
journal's writer thread (a failed write): one lock per sink keeps its state whole.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from .progress import Progress
from .state import RunState

if TYPE_CHECKING:
    from ..recording.recorder import FitRecord, RunRecorder

_Handler = TypeVar("_Handler", bound=Callable[..., None])


def locked(handler: _Handler) -> _Handler:
    """Run a sink's event handler under the sink's lock."""

    @functools.wraps(handler)
    def run_locked(self: SinkBase, *args: object) -> None:
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
    def run_started(self, recorder: RunRecorder) -> None:
        self.state = RunState(recorder.experiment, recorder.run_id, recorder.hypothesis)

    def _state(self, recorder: RunRecorder) -> RunState:
        if self.state is None:
            self.run_started(recorder)
        assert self.state is not None
        return self.state

    def _start_fit(
        self, recorder: RunRecorder, part: int, epochs: int | None, steps: int | None
    ) -> tuple[RunState, FitRecord | None]:
        """A new ``fit``: its progress becomes current; returns the state and the fit's record
        (``verbose``, ``params``) as the recorder keeps it."""
        state = self._state(recorder)
        fits: list[FitRecord] = list(getattr(recorder, "fits", []))
        fit = fits[part] if part < len(fits) else None
        arguments = fit["params"].get("fit") if fit is not None else None
        batch_size = arguments.get("batch_size") if isinstance(arguments, dict) else None
        self._fit = Progress(part=part, epochs=epochs, steps=steps, batch_size=batch_size)
        state.fit_started(self._fit, [f["params"] for f in fits] or [{}] * (part + 1))
        return state, fit
