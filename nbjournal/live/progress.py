"""Where a fit is: epoch and batch, elapsed and remaining time, throughput.

Shared by the notebook view and the text line. The per-batch update only
stores two integers (it runs on the training thread, every batch); rates and
estimates are computed when something is drawn, a few times a second at most.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Progress:
    """One ``fit`` (a part of the run) in progress."""

    part: int = 0
    epochs: int | None = None
    steps: int | None = None
    batch_size: int | None = None
    initial_epoch: int = 0
    epoch: int = 0  #: the current epoch, as Keras counts (from 0)
    batch: int = -1  #: the last finished batch of the current epoch
    epochs_done: int = 0
    started: float = field(default_factory=time.monotonic)
    #: (monotonic time, batches done) at the first finished batch: later rates leave out
    #: the first batch, which carries tracing and compilation.
    _first: tuple[float, int] | None = None

    def batch_ended(self, epoch: int, batch: int) -> None:
        if self._first is None:
            self.initial_epoch = epoch - self.epochs_done  # fit(initial_epoch=...) starts later
            self.epoch, self.batch = epoch, batch
            self._first = (time.monotonic(), self.batches_done)
            return
        if (epoch, batch) > (self.epoch, self.batch):  # never backwards, whoever calls
            self.epoch = epoch
            self.batch = batch

    def epoch_ended(self, epoch: int, steps_seen: int | None = None) -> None:
        self.epoch = epoch
        self.epochs_done = epoch + 1 - self.initial_epoch
        if self.steps is None and steps_seen:
            self.steps = steps_seen  # learnt from the first epoch when fit did not know it
        self.batch = -1

    @property
    def batches_done(self) -> int:
        """Batches finished in this fit so far."""
        steps = self.steps or 0
        in_epoch = self.batch + 1
        return (self.epoch - self.initial_epoch) * steps + in_epoch if steps else in_epoch

    @property
    def total_batches(self) -> int | None:
        if not self.steps or not self.epochs:
            return None
        return (self.epochs - self.initial_epoch) * self.steps

    def fraction(self) -> float | None:
        total = self.total_batches
        if not total:
            return None
        done = self.epochs_done * (self.steps or 0) if self.batch < 0 else self.batches_done
        return min(1.0, max(0.0, done / total))

    def elapsed(self, now: float | None = None) -> float:
        return (now if now is not None else time.monotonic()) - self.started

    def batches_per_second(self, now: float | None = None) -> float | None:
        if self._first is None:
            return None
        now = now if now is not None else time.monotonic()
        first_time, first_done = self._first
        done = self.batches_done if self.batch >= 0 else self.epochs_done * (self.steps or 0)
        if now - first_time < 1e-3 or done <= first_done:
            return None
        return (done - first_done) / (now - first_time)

    def samples_per_second(self, now: float | None = None) -> float | None:
        rate = self.batches_per_second(now)
        return rate * self.batch_size if rate is not None and self.batch_size else None

    def remaining(self, now: float | None = None) -> float | None:
        """Seconds left in this fit, from the recent rate (validation time not included)."""
        total = self.total_batches
        rate = self.batches_per_second(now)
        if total is None or rate is None:
            return None
        fraction = self.fraction() or 0.0
        return max(0.0, (1.0 - fraction) * total / rate)

    # -- words ---------------------------------------------------------------------------

    def position(self, ended: bool = False) -> str:
        """``epoch 3 of 10 · batch 20 of 45`` (counted from 1, as Keras prints); a fit that
        ``ended`` before its last epoch (early stopping) says ``stopped early at 17 of 60``."""
        epochs = f" of {self.epochs}" if self.epochs else ""
        if self.batch < 0:
            shown = max(self.epochs_done + self.initial_epoch, 1)
            if ended and self.epochs and shown < self.epochs:
                return f"stopped early at epoch {shown}{epochs}"
            return f"epoch {shown}{epochs}"
        steps = f" of {self.steps}" if self.steps else ""
        return f"epoch {self.epoch + 1}{epochs} · batch {self.batch + 1}{steps}"


def clock(seconds: float | None) -> str:
    """``0:07``, ``12:34``, ``1:02:03``: a stopwatch, easy to read at a glance."""
    if seconds is None:
        return "–"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def rate(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if value >= 100:
        return f"{value:,.0f} {unit}/s"
    return f"{value:.3g} {unit}/s"
