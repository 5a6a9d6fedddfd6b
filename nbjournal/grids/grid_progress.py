"""What a grid has done so far: one row per point, the counts, the best point, the time left.

Pure state, no display: the widget and the text line read it, and so do tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..rules.metric_goals import goal, key_metric


@dataclass
class PointRow:
    index: int
    values: dict[str, object]
    status: str = "pending"  # pending | running | finished | failed | interrupted | skipped
    run_id: int | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)
    seconds: float | None = None
    error: str | None = None
    started: float | None = None


class GridProgress:
    """The grid's rows and what the header says about them."""

    def __init__(
        self, experiment: str, grid_id: int | None, values: list[dict[str, object]]
    ) -> None:
        self.experiment = experiment
        self.grid_id = grid_id
        self.rows = [PointRow(i, v) for i, v in enumerate(values)]
        self.names = list(dict.fromkeys(name for v in values for name in v))
        self.current: int | None = None
        self._durations: list[float] = []

    @property
    def total(self) -> int:
        return len(self.rows)

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def processed(self) -> int:
        return self.count("finished", "failed", "interrupted", "skipped")

    def skip(self, index: int, run_id: int, metrics: dict[str, float | None]) -> None:
        row = self.rows[index]
        row.status, row.run_id, row.metrics = "skipped", run_id, metrics

    def start(self, index: int) -> None:
        row = self.rows[index]
        row.status, row.started = "running", time.time()
        self.current = index

    def end(
        self,
        index: int,
        status: str,
        run_id: int | None,
        metrics: dict[str, float | None],
        error: str | None = None,
    ) -> None:
        row = self.rows[index]
        row.status, row.run_id, row.metrics, row.error = status, run_id, metrics, error
        if row.started is not None:
            row.seconds = time.time() - row.started
            self._durations.append(row.seconds)
        self.current = None

    @property
    def key(self) -> str | None:
        """The grid's headline metric (as for a single run)."""
        return key_metric({name for r in self.rows for name in r.metrics})

    def best(self) -> PointRow | None:
        """The point with the best final key metric so far (finished or skipped as done)."""
        key = self.key
        if key is None:
            return None
        direction = goal(key)
        candidates = [
            r
            for r in self.rows
            if r.status in ("finished", "skipped")
            and r.metrics.get(key) is not None
            and r.metrics[key] == r.metrics[key]
        ]
        if not candidates:
            return None
        pick = min if direction == "min" else max
        return pick(candidates, key=lambda r: r.metrics[key])  # type: ignore[arg-type,return-value]

    def seconds_left(self) -> float | None:
        """The mean duration of points run so far times the points still to run."""
        if not self._durations:
            return None
        remaining = self.count("pending", "running")
        return remaining * sum(self._durations) / len(self._durations)

    def headline(self) -> str:
        """``7 of 12 · 3 skipped · ~2:10 left``."""
        parts = [f"{self.processed} of {self.total}"]
        skipped, failed = self.count("skipped"), self.count("failed")
        if skipped:
            parts.append(f"{skipped} skipped")
        if failed:
            parts.append(f"{failed} failed")
        left = self.seconds_left()
        if left is not None and self.count("pending", "running"):
            parts.append(f"~{clock(left)} left")
        return " · ".join(parts)


def clock(seconds: float) -> str:
    """``2:10``, or ``1:02:10`` beyond an hour."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
