"""Outside a notebook (terminal IPython, a plain script): a text progress line.

On a terminal one line is rewritten in place (``\\r``) at most every
``LINE_INTERVAL_S``; a line per epoch is kept, at most one every
``EPOCH_LINE_INTERVAL_S`` (and always the first and the last), so 1,000 quick
epochs do not flood the output. When Keras prints its own progress bar
(``verbose`` not 0) only what Keras does not say is printed: the run, its
diagnoses and its end. The recording is the same as in a notebook.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

from ..display import format as fmt
from .progress import Progress, clock, rate
from .state import RunState

LINE_INTERVAL_S = 0.5
EPOCH_LINE_INTERVAL_S = 1.0

_Handler = TypeVar("_Handler", bound=Callable[..., None])


def _locked(handler: _Handler) -> _Handler:
    """Training events come from the training thread, warnings may come from the journal's
    writer thread: one writer at a time."""

    @functools.wraps(handler)
    def locked(self: TextProgress, *args: Any) -> None:
        with self._lock:
            handler(self, *args)

    return locked  # type: ignore[return-value]


class TextProgress:
    """The :class:`~nbjournal.recorder.Sink` for terminals and scripts."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self.state: RunState | None = None
        self._fit: Progress | None = None
        self._keras_prints = False
        self._next_line = 0.0
        self._last_epoch_line = -1e9
        self._open = 0  # length of the line being rewritten, 0 when none
        self._lock = threading.RLock()
        #: The closing line now stands as the run's summary.
        self.summarised = False

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stdout

    # -- recorder events -----------------------------------------------------------------

    @_locked
    def run_started(self, recorder: Any) -> None:
        self.state = RunState(recorder.experiment, recorder.run_id, recorder.hypothesis)

    @_locked
    def fit_started(self, recorder: Any, part: int, epochs: int | None, steps: int | None) -> None:
        state = self._state(recorder)
        fits = list(getattr(recorder, "fits", []))
        fit = fits[part] if part < len(fits) else {}
        self._keras_prints = bool(fit.get("verbose"))
        batch_size = ((fit.get("params") or {}).get("fit") or {}).get("batch_size")
        self._fit = Progress(part=part, epochs=epochs, steps=steps, batch_size=batch_size)
        state.fit_started(self._fit, fits or [{}] * (part + 1))
        if part == 0:
            hypothesis = f" — {state.hypothesis}" if state.hypothesis else ""
            self._line(f"nbjournal: run {state.label} {state.experiment}{hypothesis}")
        else:
            self._line(f"nbjournal: fit {part + 1} ({state.labels[part]})")

    @_locked
    def batch_ended(
        self, recorder: Any, part: int, epoch: int, batch: int, logs: dict[str, Any]
    ) -> None:
        fit = self._fit
        if fit is None or self._state(recorder).status != "running":
            return
        fit.batch_ended(epoch, batch)
        if self._keras_prints:
            return
        now = time.monotonic()
        if now < self._next_line or not _is_terminal(self.stream):
            return
        self._next_line = now + LINE_INTERVAL_S
        loss = logs.get("loss")
        shown = f" · loss {fmt.number(float(loss))}" if isinstance(loss, (int, float)) else ""
        self._rewrite(f"{fit.position()}{shown} · {_timing(self._state(recorder), fit)}")

    @_locked
    def epoch_ended(self, recorder: Any, part: int, epoch: int, logs: dict[str, Any]) -> None:
        state = self._state(recorder)
        state.epoch_ended(part, epoch, logs)
        fit = self._fit
        if fit is None:
            return
        fit.epoch_ended(epoch, steps_seen=fit.batch + 1 if fit.batch >= 0 else None)
        if self._keras_prints:
            return
        now = time.monotonic()
        last = bool(fit.epochs) and epoch + 1 >= (fit.epochs or 0)
        first = fit.epochs_done == 1
        if first or last or now - self._last_epoch_line >= EPOCH_LINE_INTERVAL_S:
            self._last_epoch_line = now
            values = " · ".join(
                f"{name} {fmt.number(value)}" for name, value in logs.items() if value is not None
            )
            self._line(f"{fit.position()}: {values}  ({_timing(state, fit)})")

    @_locked
    def diagnosed(self, recorder: Any, diagnosis: dict[str, Any]) -> None:
        self._state(recorder).diagnoses.append(diagnosis)
        self._line(f"nbjournal: {diagnosis.get('kind')}: {diagnosis.get('message')}")

    @_locked
    def warned(self, recorder: Any, message: str) -> None:
        # ``warnings`` already prints it; kept for the summary only.
        self._state(recorder).warnings.append(message)

    @_locked
    def run_ended(self, recorder: Any, status: str, error: str | None) -> None:
        state = self._state(recorder)
        state.ended_as(status, error)
        if state.fits:
            self._line(summary(state))
            self.summarised = True

    # -- output --------------------------------------------------------------------------

    def _state(self, recorder: Any) -> RunState:
        if self.state is None:
            self.run_started(recorder)
        assert self.state is not None
        return self.state

    def _rewrite(self, text: str) -> None:
        stream = self.stream
        padding = " " * max(0, self._open - len(text))
        stream.write(f"\r{text}{padding}")
        stream.flush()
        self._open = len(text)

    def _line(self, text: str) -> None:
        stream = self.stream
        if self._open:
            stream.write("\r" + " " * self._open + "\r")
            self._open = 0
        stream.write(text + "\n")
        stream.flush()


def summary(state: RunState) -> str:
    """One line: how the run ended, its best values, its diagnoses."""
    fit = state.current
    where = f" at {fit.position()}" if fit and state.status != "finished" else ""
    words = [f"run {state.label} {state.experiment}: {state.status}{where} after "
             f"{clock(state.elapsed())}"]  # fmt: skip
    last_part = max(state.bests, default=None)
    if last_part is not None:
        bests = state.bests[last_part]
        names = [n for n in state.metric_names() if n in bests][:4]
        words.append(
            "best "
            + ", ".join(f"{n} {fmt.number(bests[n][0])} (epoch {bests[n][1] + 1})" for n in names)
        )
    if state.diagnoses:
        words.append("diagnoses: " + ", ".join(str(d.get("kind")) for d in state.diagnoses))
    if state.warnings:
        words.append(f"{len(state.warnings)} journal warning(s)")
    return " · ".join(words)


def _timing(state: RunState, fit: Progress) -> str:
    parts = [f"{clock(state.elapsed())} elapsed"]
    left = fit.remaining()
    if left is not None:
        parts.append(f"~{clock(left)} left")
    speed = rate(fit.samples_per_second(), "samples")
    if speed:
        parts.append(speed)
    return ", ".join(parts)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
