"""The points a live chart draws: bounded, thinned, and sent as increments.

The front end must stay responsive for a 1,000-epoch run and the bytes sent
per epoch must not grow with the epochs already drawn. So every series (one
metric, training or validation, epoch or batch values, of one ``fit``) keeps at
most a fixed number of points: when it is full it drops every other point and
from then on keeps every second new one (its stride doubles). New points are
sent as increments; only when a series was thinned is the whole (bounded) set
sent again, which happens a logarithmic number of times in a run. A thinned
series may lag the training by a few points (every 4th epoch of 1,000 is
drawn); every full copy, the one at the end included, ends at the newest point.

The journal itself keeps everything; this is only what is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

#: Epoch points kept per series (1,000 epochs are drawn as 250 points, every 4th epoch).
EPOCH_POINTS = 250
#: Batch points kept per series over the whole fit.
BATCH_POINTS = 400
#: Batch values sampled per epoch for the light per-batch curve.
BATCH_SAMPLES_PER_EPOCH = 25

#: A row as sent to the front end: kind (``e`` epoch, ``b`` batch), metric, split
#: (``training``/``validation``), part, x (epochs completed), y.
Row = list[str | int | float]


class _Thinned:
    """One series, at most ``limit`` points, every ``stride``-th of those offered."""

    __slots__ = ("limit", "rows", "seen", "stride", "tail")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows: list[Row] = []
        self.stride = 1
        self.seen = 0
        self.tail: Row | None = None  # the newest point, when the stride skipped it

    def offer(self, row: Row) -> tuple[bool, bool]:
        """Whether the row is kept, and whether the series was thinned to make room."""
        kept = self.seen % self.stride == 0
        self.seen += 1
        if not kept:
            self.tail = row
            return False, False
        self.tail = None
        self.rows.append(row)
        if len(self.rows) <= self.limit:
            return True, False
        self.rows = self.rows[::2]
        self.stride *= 2
        return True, True


class ChartData:
    """All series of one run's live chart, and what the front end has not been sent yet."""

    def __init__(self, epoch_points: int = EPOCH_POINTS, batch_points: int = BATCH_POINTS) -> None:
        self.limits = {"e": epoch_points, "b": batch_points}
        self.metrics: list[str] = []  # panel order: loss first, then as they appear
        self.nonpositive: set[str] = set()  # metrics with a value <= 0: no log scale for them
        self._series: dict[tuple[str, str, str, int], _Thinned] = {}
        self._fresh: list[Row] = []
        self._thinned = False

    def add_epoch(self, part: int, epoch: int, values: Mapping[str, object]) -> None:
        """One epoch's logs; the point sits at x = epochs completed."""
        for name, value in values.items():
            self._add("e", name, part, epoch + 1, value)

    def add_batch(self, part: int, x: float, values: Mapping[str, object]) -> None:
        """A sampled batch's logs (training only); ``x`` is a fraction of epochs completed."""
        for name, value in values.items():
            self._add("b", name, part, x, value)

    def take(self) -> tuple[list[Row] | None, list[Row]]:
        """``(everything, [])`` after a thinning, else ``(None, rows not sent yet)``."""
        if self._thinned:
            self._thinned = False
            self._fresh = []
            return self.rows(), []
        fresh, self._fresh = self._fresh, []
        return None, fresh

    def log_scaled(self) -> list[str]:
        """Panels drawn on a log scale: losses, unless one went to zero or below.

        A loss falls by orders of magnitude; on a linear axis the first epochs squash
        everything after them (overfitting, a plateau) into a flat line at the bottom.
        """
        return [m for m in self.metrics if "loss" in m and m not in self.nonpositive]

    def rows(self) -> list[Row]:
        """Every kept point, and each series' newest one (so a full copy ends where training is)."""
        rows = []
        for series in self._series.values():
            rows.extend(series.rows)
            if series.tail is not None:
                rows.append(series.tail)
        return rows

    def kinds(self) -> list[str]:
        """Per panel (in :attr:`metrics` order), the kinds of points it has: ``"b"``, ``"e"``
        or ``"be"``. A panel draws a layer only for a kind it has: Vega warns ("Infinite
        extent") for every scale fed by an empty layer, as before the first epoch ends."""
        have = {(kind, metric) for kind, metric, _, _ in self._series}
        return ["".join(k for k in "be" if (k, m) in have) for m in self.metrics]

    def __len__(self) -> int:
        return sum(len(series.rows) for series in self._series.values())

    def _add(self, kind: str, name: str, part: int, x: float, value: object) -> None:
        number = _number(value)
        if number is None:  # NaN, inf, text: not drawn, the finite points stay
            return
        split, metric = ("validation", name[4:]) if name.startswith("val_") else ("training", name)
        if number <= 0:
            self.nonpositive.add(metric)
        if metric not in self.metrics:
            if metric == "loss":
                self.metrics.insert(0, metric)
            else:
                self.metrics.append(metric)
        key = (kind, metric, split, part)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = _Thinned(self.limits[kind])
        row: Row = [kind, metric, split, part, round(x, 4), number]
        kept, thinned = series.offer(row)
        if thinned:
            self._thinned = True
        elif kept:
            self._fresh.append(row)


def _number(value: object) -> float | None:
    if value is None or isinstance(value, (bool, str)):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # what float() refuses is no number
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return float(f"{number:.5g}")
