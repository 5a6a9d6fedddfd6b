"""A grid's summary table, as data: one row per combination of the axes, over its repeats
(mean ± 95 % interval); the best point by the experiment's metric of record, and the points
the comparison rule cannot tell from it ("within noise of").

Pure (no IPython, no HTML): the notebook's view (:mod:`nbjournal.display.grid_summary_view`)
and the REST API (:mod:`nbjournal.server.payloads`) both read it.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..rules import format as fmt
from ..rules.params import SEED
from ..rules.record_metric import RecordMetric, metric_of_record
from ..store import Grid
from .configurations import Ranking, rank_groups, spreads

if TYPE_CHECKING:
    from ..store.store import Store


@dataclass(frozen=True)
class SummaryRow:
    """One combination of the axes, over its repeats."""

    values: dict[str, Any]
    runs: tuple[int, ...]
    statuses: tuple[str, ...]
    means: dict[str, float]
    #: the sample standard deviation, and the 95 % interval of each mean (all NaN with fewer
    #: than two finished repeats: one value has no spread to measure, not a spread of 0)
    stds: dict[str, float]
    lows: dict[str, float] = field(default_factory=dict)
    highs: dict[str, float] = field(default_factory=dict)
    values_of: dict[str, tuple[float, ...]] = field(default_factory=dict)


def summary_rows(grid: Grid) -> list[SummaryRow]:
    """Combinations in grid order; finished runs give the means, every run is listed."""
    groups: dict[str, dict[str, Any]] = {}
    order = {name: i for i, name in enumerate(grid.spec.get("order") or [])}
    for point in grid.points:
        names = sorted(point.values, key=lambda n: order.get(n, len(order)))  # as given
        values = {k: point.values[k] for k in names if k != SEED}
        key = repr(sorted(values.items(), key=lambda kv: kv[0]))
        group = groups.setdefault(key, {"values": values, "runs": [], "statuses": [], "m": {}})
        group["runs"].append(point.run_id)
        group["statuses"].append(point.status)
        if point.status == "finished":
            for name, summary in point.metrics.items():
                if summary.last is not None:
                    group["m"].setdefault(name, []).append(summary.last)
    rows = []
    for group in groups.values():
        names = list(group["m"])
        found = spreads([np.asarray(group["m"][n], dtype=float) for n in names])
        rows.append(
            SummaryRow(
                group["values"],
                tuple(group["runs"]),
                tuple(group["statuses"]),
                {n: statistics.fmean(group["m"][n]) for n in names},
                # statistics' exact sum: equal values have a std of exactly 0, not float noise
                {
                    n: statistics.stdev(group["m"][n]) if len(group["m"][n]) > 1 else math.nan
                    for n in names
                },
                lows={n: f.low for n, f in zip(names, found, strict=True)},
                highs={n: f.high for n, f in zip(names, found, strict=True)},
                values_of={n: tuple(group["m"][n]) for n in names},
            )
        )
    return rows


def varying_axes(rows: list[SummaryRow]) -> list[str]:
    """The axes that take more than one value among the rows (the chart's dimensions)."""
    names = list(dict.fromkeys(n for r in rows for n in r.values))
    return [n for n in names if len({repr(r.values.get(n)) for r in rows}) > 1]


class GridTable:
    """The summary of a grid: its rows, the metric it is ranked by, and its best row."""

    def __init__(self, grid: Grid, chosen: str | None = None) -> None:
        """``chosen``: the experiment's metric of record as chosen (``NAME[:max|min]``)."""
        self.grid = grid
        self.rows = summary_rows(grid)
        available = sorted({n for r in self.rows for n in r.means})
        reported = sorted(
            {n for p in grid.points for n, m in p.metrics.items() if m.last_epoch is None}
        )
        self.ranked: RecordMetric | None = metric_of_record(available, reported, chosen=chosen)
        self.key = self.ranked.name if self.ranked else None
        self._ranking: Ranking | None = None

    def ranking(self) -> Ranking:
        """The best point and the comparison rule's verdict of it against every other."""
        if self._ranking is None:
            key = self.key
            groups = [r.values_of.get(key, ()) if key else () for r in self.rows]
            higher = self.ranked.higher_is_better if self.ranked else True
            self._ranking = rank_groups(groups, higher_is_better=higher)
        return self._ranking

    def best(self) -> SummaryRow | None:
        index = self.ranking().best if self.key else None
        return None if index is None else self.rows[index]

    def ties(self) -> tuple[list[SummaryRow], list[SummaryRow]]:
        """The points within noise of the best, and those that need repeats to tell."""
        ranking = self.ranking()
        return (
            [self.rows[i] for i in ranking.within_noise()],
            [self.rows[i] for i in ranking.undecided()],
        )

    def best_text(self) -> str | None:
        """``best val_accuracy: 0.962 ± 0.006 at units=128 · within noise of units=64; 256``."""
        best = self.best()
        if best is None or not self.key:
            return None
        if len(self.rows) == 1:  # one point (only the seed varied): nothing to rank it against
            runs = fmt.count(len(best.values_of.get(self.key, ())), "run")
            return f"{self.key}: {mean_interval(best, self.key)} over {runs} of one point"
        axes = varying_axes(self.rows)
        text = f"best {self.key}: {mean_interval(best, self.key)} at {described(best, axes)}"
        tied = [
            r for r in self.rows if r is not best and r.means.get(self.key) == best.means[self.key]
        ]
        if tied:  # the same mean: no point is crowned over the others
            text += " · tied with " + _point_list(tied, axes)
        if not any(len(r.values_of.get(self.key, ())) >= 2 for r in self.rows):
            return text + " · no repeats: run `--repeat 3` to tell which points are within noise"
        within, _ = self.ties()
        if within:
            text += " · within noise of " + _point_list(within, axes)
        for need, rows in self.needs().items():  # the rule's N, whatever the point has
            text += f" · {need} a side to tell from " + _point_list(rows, axes)
        return text

    def needs(self) -> dict[str, list[SummaryRow]]:
        """The points the rule cannot tell from the best yet, by its verdict
        (``needs 2 more repeats``: the runs a side it asks for, docs/statistics.md)."""
        ranking = self.ranking()
        found: dict[str, list[SummaryRow]] = {}
        for i in ranking.undecided():
            found.setdefault(str(ranking.verdicts[i]), []).append(self.rows[i])
        return found

    def ranked_by(self) -> str | None:
        """Which metric ranks the points and why, and what ± means."""
        if self.ranked is None:
            return None
        return f"{self.ranked.label()}; ± is the 95 % interval of the mean"

    def metric_names(self) -> list[str]:
        names = list(dict.fromkeys(n for r in self.rows for n in r.means))
        key = self.key
        ordered = ([key] if key in names else []) + sorted(n for n in names if n != key)
        return ordered[:4]

    def headline(self) -> str:
        g = self.grid
        return (
            f"grid #{g.id} {g.experiment}: {fmt.count(len(self.rows), 'point')}, "
            f"{fmt.count(g.runs, 'run')} "
            f"({g.done} finished, {g.failed} failed)"
        )

    def origin(self) -> str | None:
        """Where explicit points came from: ``4 suggested points (TPE over 24 runs, for score)``."""
        origin = self.grid.spec.get("origin") or {}
        if "suggested" not in origin:
            return None
        count = origin["suggested"]
        by = ", ".join(
            part
            for part in (
                origin.get("by"),
                f"for {origin['metric']}" if origin.get("metric") else "",
            )
            if part
        )
        return f"{count} suggested point{'' if count == 1 else 's'}" + (f" ({by})" if by else "")


def chosen_metric(store: Store | None, experiment: str) -> str | None:
    """The metric chosen for ``experiment`` (``--metric``), ``None`` when none was or the
    journal cannot say."""
    if store is None:
        return None
    from ..errors import JournalError
    from ..store.choices import METRIC, choice

    try:
        return choice(store, experiment, METRIC)
    except JournalError:
        return None


def mean_interval(row: SummaryRow, name: str, *, exponents: bool = False) -> str:
    """The mean, ± half its 95 % interval when the point has two repeats or more;
    ``exponents``: its column is in exponent form (:func:`~nbjournal.rules.format.in_exponents`)."""
    if name not in row.means:
        return "–"
    low, high = row.lows.get(name, math.nan), row.highs.get(name, math.nan)
    if math.isfinite(low) and math.isfinite(high):
        return fmt.spread(row.means[name], (high - low) / 2, exponents=exponents)
    return fmt.number(row.means[name], exponents=exponents)


def described(row: SummaryRow, axes: list[str]) -> str:
    """The point by its varying axes: ``units=128, lr=0.001``."""
    names = [n for n in axes if n in row.values] or list(row.values)
    return ", ".join(f"{k}={fmt.param(row.values[k])}" for k in names)


def _point_list(rows: list[SummaryRow], axes: list[str], limit: int = 6) -> str:
    shown = [described(r, axes) for r in rows[:limit]]
    more = len(rows) - limit
    return "; ".join(shown) + (f" and {more} more" if more > 0 else "")
