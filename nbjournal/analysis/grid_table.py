"""A grid's summary table, as data: one row per combination of the axes, over its repeats.

Pure (no IPython, no HTML): the notebook's view (:mod:`nbjournal.display.grid_summary_view`)
and the REST API (:mod:`nbjournal.server.payloads`) both read it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from ..rules import format as fmt
from ..rules.metric_goals import goal, key_metric
from ..rules.params import SEED
from ..store import Grid


@dataclass(frozen=True)
class SummaryRow:
    """One combination of the axes, over its repeats."""

    values: dict[str, Any]
    runs: tuple[int, ...]
    statuses: tuple[str, ...]
    means: dict[str, float]
    stds: dict[str, float]


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
        means = {n: statistics.fmean(v) for n, v in group["m"].items()}
        stds = {n: statistics.stdev(v) if len(v) > 1 else 0.0 for n, v in group["m"].items()}
        rows.append(
            SummaryRow(group["values"], tuple(group["runs"]), tuple(group["statuses"]), means, stds)
        )
    return rows


def varying_axes(rows: list[SummaryRow]) -> list[str]:
    """The axes that take more than one value among the rows (the chart's dimensions)."""
    names = list(dict.fromkeys(n for r in rows for n in r.values))
    return [n for n in names if len({repr(r.values.get(n)) for r in rows}) > 1]


class GridTable:
    """The summary of a grid: its rows, the metric it is ranked by, and its best row."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.rows = summary_rows(grid)
        self.key = key_metric({n for r in self.rows for n in r.means})

    def best(self) -> SummaryRow | None:
        key = self.key
        candidates = [r for r in self.rows if key in r.means and r.means[key] == r.means[key]]
        if key is None or not candidates:
            return None
        pick = min if goal(key) == "min" else max
        return pick(candidates, key=lambda r: r.means[key])

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
