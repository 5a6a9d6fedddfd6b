"""Outside a notebook (terminal IPython, a plain script): a text progress line.

On a terminal one line is rewritten in place (``\\r``) at most every
``LINE_INTERVAL_S``; a line per epoch is kept, at most one every
``EPOCH_LINE_INTERVAL_S`` (and always the first and the last), so 1,000 quick
epochs do not flood the output. When Keras prints its own progress bar
(``verbose`` not 0) only what Keras does not say is printed: the run, its
diagnoses and its end. The recording is the same as in a notebook.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from ..rules import format as fmt
from .progress import Progress, clock, rate
from .sink_base import SinkBase, locked
from .state import RunState

if TYPE_CHECKING:
    from ..recording.recorder import RunRecorder

LINE_INTERVAL_S = 0.5
EPOCH_LINE_INTERVAL_S = 1.0


class TextProgress(SinkBase):
    """The :class:`~nbjournal.recording.recorder.Sink` for terminals and scripts."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        super().__init__()
        self._keras_prints = False
        self._next_line = 0.0
        self._last_epoch_line = -1e9
        self._open = 0  # length of the line being rewritten, 0 when none

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stdout

    # -- recorder events -----------------------------------------------------------------

    @locked
    def fit_started(
        self, recorder: RunRecorder, part: int, epochs: int | None, steps: int | None
    ) -> None:
        state, fit = self._start_fit(recorder, part, epochs, steps)
        self._keras_prints = bool(fit is not None and fit.get("verbose"))
        if part == 0:
            hypothesis = f" — {state.hypothesis}" if state.hypothesis else ""
            self._line(f"nbjournal: run {state.label} {state.experiment}{hypothesis}")
        else:
            self._line(f"nbjournal: fit {part + 1} ({state.labels[part]})")

    @locked
    def batch_ended(
        self, recorder: RunRecorder, part: int, epoch: int, batch: int, logs: Mapping[str, object]
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

    @locked
    def epoch_ended(
        self, recorder: RunRecorder, part: int, epoch: int, logs: Mapping[str, float | None]
    ) -> None:
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

    @locked
    def diagnosed(self, recorder: RunRecorder, diagnosis: dict[str, object]) -> None:
        self._state(recorder).diagnoses.append(diagnosis)
        self._line(f"nbjournal: {diagnosis.get('kind')}: {diagnosis.get('message')}")

    @locked
    def checked(self, recorder: RunRecorder, found: list[dict[str, object]]) -> None:
        for finding in found:
            self._line(f"{finding.get('name')}: {finding.get('message')}")

    @locked
    def diagnoses_restated(
        self, recorder: RunRecorder, part: int, diagnoses: list[dict[str, object]]
    ) -> None:
        for diagnosis in self._state(recorder).restate(part, diagnoses):
            self._line(
                f"nbjournal: {diagnosis.get('kind')} (whole curve): {diagnosis.get('message')}"
            )

    def fit_ended(self, recorder: RunRecorder, part: int) -> None:
        """Nothing to add: the fit's last epoch line has said it."""

    def diagnoses_refreshed(
        self, recorder: RunRecorder, part: int, diagnoses: list[dict[str, object]]
    ) -> None:
        """Nothing to print: a line said each diagnosis once; the whole curve's reading
        comes at the fit's end (:meth:`diagnoses_restated`)."""

    @locked
    def warned(self, recorder: RunRecorder, message: str) -> None:
        # ``warnings`` already prints it; kept for the summary only.
        self._state(recorder).warnings.append(message)

    @locked
    def run_ended(self, recorder: RunRecorder, status: str, error: str | None) -> None:
        state = self._state(recorder)
        state.ended_as(status, error)
        if state.fits:
            self._line(summary(state))
            self.summarised = True

    # -- output --------------------------------------------------------------------------

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
