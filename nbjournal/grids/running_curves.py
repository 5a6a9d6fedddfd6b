"""The per-epoch curves of a grid's running points, read from the journal as workers record them.

A grid in the kernel shows its running point's own live view below the table. On a
Dask cluster the points run elsewhere and the journal is all the notebook sees, so
the grid view follows the running points' runs there: each poll reads the epoch
points recorded since the last one (a few rows, never the whole history again) and
draws them in the live view's own chart (same specification, same offline widget,
same bounded series), one colour per point. A point's curve leaves the chart when
the point ends; its final values are in the table, its whole curve in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import JournalError
from ..live.series import ChartData

if TYPE_CHECKING:
    from ..live.chart import LiveChart
    from ..store import MetricPoint, Store

#: Running points drawn at once (the lowest run ids: the points that started first).
MAX_CURVES = 6


@dataclass
class _Followed:
    """One running point's run: its label and the epoch points read so far."""

    label: str
    part: int = 0  # the ``fit`` drawn: a cell's latest one
    last: dict[str, int] = field(default_factory=dict)  # metric → last step read
    epochs: dict[int, dict[str, float]] = field(default_factory=dict)  # step → metric → value


class RunningCurves:
    """What the journal holds of the running points' curves, as the live chart's data."""

    def __init__(self) -> None:
        self.runs: dict[int, _Followed] = {}  # the runs drawn, by run id
        self.data = ChartData()  # their points; a run's slot (its colour) is its rank by id
        self.generation = 0  # bumped when the data was made anew (the chart is sent it whole)

    @property
    def labels(self) -> list[str]:
        """The drawn points' labels, by slot."""
        return [self.runs[run_id].label for run_id in sorted(self.runs)]

    def read(self, store: Store, running: dict[int, str]) -> bool:
        """Follow ``running`` (run id → point label): read their epoch points recorded since
        the last read, forget the runs that ended. Whether the chart has anything new."""
        chosen = dict(sorted(running.items())[:MAX_CURVES])
        anew = set(chosen) != set(self.runs)
        self.runs = {
            run_id: self.runs.get(run_id) or _Followed(chosen[run_id]) for run_id in chosen
        }
        fresh: list[tuple[int, int, dict[str, float]]] = []
        for run_id, followed in self.runs.items():
            since = min(followed.last.values(), default=None)
            try:
                points = store.metric_points(run_id, kinds=["epoch"], after_step=since)
            except JournalError:
                continue  # the next poll reads them
            restarted, new = _take(followed, points)
            anew |= restarted
            fresh.extend((run_id, step, values) for step, values in new)
        if anew:
            self._rebuild()
            return True
        slots = {run_id: slot for slot, run_id in enumerate(sorted(self.runs))}
        for run_id, step, values in fresh:
            self.data.add_epoch(slots[run_id], step, values)
        return bool(fresh)

    def _rebuild(self) -> None:
        self.generation += 1
        self.data = ChartData()
        for slot, run_id in enumerate(sorted(self.runs)):
            for step, values in sorted(self.runs[run_id].epochs.items()):
                self.data.add_epoch(slot, step, values)


def _take(
    followed: _Followed, points: list[MetricPoint]
) -> tuple[bool, list[tuple[int, dict[str, float]]]]:
    """Keep the points not read before, of the run's latest ``fit``: whether a new fit began
    (its curve replaces the last one's), and the new values by step."""
    restarted = False
    new: dict[int, dict[str, float]] = {}
    for point in points:
        if point.value is None:
            continue
        if point.part > followed.part:
            followed.part, followed.last, followed.epochs = point.part, {}, {}
            restarted, new = True, {}
        if point.part < followed.part or point.step <= followed.last.get(point.name, -1):
            continue
        followed.last[point.name] = point.step
        followed.epochs.setdefault(point.step, {})[point.name] = point.value
        new.setdefault(point.step, {})[point.name] = point.value
    return restarted, sorted(new.items())


class CurvesChart:
    """The live view's chart widget, drawing a :class:`RunningCurves` (in the notebook)."""

    def __init__(self) -> None:
        from ..live import preparation

        preparation.prepare()  # the bundle and Altair, off this thread
        self.chart: LiveChart | None = None
        self.spec: dict[str, object] = {}
        self._key: tuple[object, ...] | None = None
        self._generation = -1

    def draw(self, curves: RunningCurves) -> LiveChart | None:
        """Send what changed; the chart widget, or ``None`` while it cannot be made yet."""
        from ..live import preparation
        from ..live.spec import MAX_DOTS, live_spec

        if self.chart is None:
            if not preparation.ready() or preparation.failure() is not None:
                return None
            from ..live.chart import LiveChart

            self.chart = LiveChart()
        data = curves.data
        if not data.metrics:
            return self.chart
        # the rows first, then a spec that has a layer only for the kinds of points there
        # are: Vega warns for a scale fed by an empty layer (as the live view sends them)
        everything, fresh = data.take()
        if curves.generation != self._generation or everything is not None:
            self._generation = curves.generation
            self.chart.replace(data.rows())  # the whole (bounded) data: the saved state too
        else:
            self.chart.append(fresh)
        labels = curves.labels
        longest = max((len(f.epochs) for f in curves.runs.values()), default=0)
        kinds = data.kinds()
        key = (tuple(data.metrics), tuple(labels), longest <= MAX_DOTS, tuple(data.log_scaled()),
               tuple(kinds))  # fmt: skip
        if key != self._key:
            self._key = key
            self.spec = live_spec(
                data.metrics,
                labels,
                [],
                dots=key[2],
                log=list(key[3]),
                kinds=kinds,
                part_title="point",
            )
            self.chart.spec = self.spec
        return self.chart
