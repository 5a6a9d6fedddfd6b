"""The grid's summary: a table of every point (repeats' mean ± 95 % interval, run ids) and a
chart; the best point by the experiment's metric of record, and the points the comparison rule
cannot tell from it ("within noise of").

It stays in the saved notebook like the live view's static record: the table as
HTML (escaped, inline styles that survive JupyterLab's sanitiser), the chart
made offline by vl-convert as SVG with a PNG beside it.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np

from ..analysis.configurations import Ranking, rank_groups, spreads
from ..display import format as fmt
from ..rules.metric_goals import goal
from ..rules.record_metric import RecordMetric, metric_of_record
from ..store import Grid
from .expand import SEED

_CELL = "padding:1px 12px 1px 0;text-align:left;white-space:nowrap"
_NUM = "padding:1px 12px 1px 0;text-align:right;white-space:nowrap"


@dataclass(frozen=True)
class SummaryRow:
    """One combination of the axes, over its repeats."""

    values: dict[str, Any]
    runs: tuple[int, ...]
    statuses: tuple[str, ...]
    means: dict[str, float]
    stds: dict[str, float]
    #: the 95 % interval of each mean (NaN with fewer than two finished repeats)
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
        means = {n: statistics.fmean(v) for n, v in group["m"].items()}
        stds = {n: statistics.stdev(v) if len(v) > 1 else 0.0 for n, v in group["m"].items()}
        names = list(group["m"])
        found = spreads([np.asarray(group["m"][n], dtype=float) for n in names])
        rows.append(
            SummaryRow(
                group["values"],
                tuple(group["runs"]),
                tuple(group["statuses"]),
                means,
                stds,
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


class GridSummaryView:
    """The summary as a notebook output: HTML table, text table, and the chart after it."""

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
        """``best val_accuracy: 0.962 ± 0.006 at units=128 · within noise of units=64, 256``."""
        best = self.best()
        if best is None or not self.key:
            return None
        axes = varying_axes(self.rows)
        text = f"best {self.key}: {_mean_std(best, self.key)} at {_described(best, axes)}"
        if not any(len(r.values_of.get(self.key, ())) >= 2 for r in self.rows):
            return text + " · no repeats: run `--repeat 3` to tell which points are within noise"
        within, undecided = self.ties()
        if within:
            text += " · within noise of " + _point_list(within, axes)
        if undecided:
            text += " · needs repeats to tell from " + _point_list(undecided, axes)
        return text

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

    def html(self) -> str:
        names = varying_axes(self.rows) or list(
            dict.fromkeys(n for r in self.rows for n in r.values)
        )
        metrics = self.metric_names()
        best = self.best()
        head = "".join(f"<th style='{_CELL}'>{escape(n)}</th>" for n in names)
        head += "".join(f"<th style='{_NUM}'>{escape(m)}</th>" for m in metrics)
        head += f"<th style='{_CELL}'>runs</th>"
        body = []
        for row in self.rows:
            cells = "".join(
                f"<td style='{_CELL}'>{escape(fmt.param(row.values.get(n, '')))}</td>"
                for n in names
            )
            cells += "".join(
                f"<td style='{_NUM}'>{escape(_mean_std(row, m))}</td>" for m in metrics
            )
            runs = " ".join(
                f"#{run}" + ("" if status == "finished" else f" ({status})")
                for run, status in zip(row.runs, row.statuses, strict=True)
            )
            cells += f"<td style='{_CELL}'>{escape(runs)}</td>"
            weight = " style='font-weight:600'" if row is best else ""
            body.append(f"<tr{weight}>{cells}</tr>")
        best_line = ""
        best_text = self.best_text()
        if best_text is not None:
            best_line = f"<div>{escape(best_text)}</div>"
        if self.ranked is not None:
            best_line += (
                f"<div style='color:var(--jp-ui-font-color2,#666)'>"
                f"{escape(self.ranked.label())}; ± is the 95 % interval of the mean</div>"
            )
        hypothesis = fmt.first_line(self.grid.hypothesis)
        origin = self.origin()
        conclusions = "".join(
            f"<div style='border-left:3px solid #1976d2;padding-left:.7em'>"
            f"{escape(i.text)}{' (' + escape(i.verdict) + ')' if i.verdict else ''}</div>"
            for i in self.grid.inferences
        )
        return (
            "<div class='nbj-grid-summary' style='font-family:var(--jp-ui-font-family,"
            "system-ui,sans-serif);font-size:13px;color:var(--jp-ui-font-color1,#222)'>"
            f"<div><b>{escape(self.headline())}</b></div>"
            + (f"<div>{escape(origin)}</div>" if origin else "")
            + (f"<div style='font-style:italic'>{escape(hypothesis)}</div>" if hypothesis else "")
            + best_line
            + "<table style='border-collapse:collapse;font-variant-numeric:tabular-nums'>"
            f"<tr>{head}</tr>{''.join(body)}</table>{conclusions}</div>"
        )

    def text(self) -> str:
        names = varying_axes(self.rows) or list(
            dict.fromkeys(n for r in self.rows for n in r.values)
        )
        metrics = self.metric_names()
        origin = self.origin()
        lines = [self.headline(), *([origin] if origin else [])]
        table = [[*names, *metrics, "runs"]]
        for row in self.rows:
            table.append(
                [fmt.param(row.values.get(n, "")) for n in names]
                + [_mean_std(row, m) for m in metrics]
                + [" ".join(f"#{r}" for r in row.runs)]
            )
        widths = [max(len(str(line[i])) for line in table) for i in range(len(table[0]))]
        for line in table:
            lines.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
        best_text = self.best_text()
        if best_text is not None:
            lines.append(best_text)
        if self.ranked is not None:
            lines.append(f"{self.ranked.label()}; ± is the 95 % interval of the mean")
        for inference in self.grid.inferences:
            verdict = f" ({inference.verdict})" if inference.verdict else ""
            lines.append(f"inference: {inference.text}{verdict}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}

    def __repr__(self) -> str:
        return self.text()

    # -- the chart ----------------------------------------------------------------------

    def chart(self) -> Any:
        """Heatmap for two axes, line with error bars for one, small multiples beyond."""
        key = self.key
        axes = varying_axes(self.rows)
        rows = [r for r in self.rows if key in r.means]
        if key is None or not axes or not rows:
            return None
        import altair as alt
        import pandas as pd

        frame = pd.DataFrame(
            [
                {
                    **{a: _label(r.values.get(a)) for a in axes},
                    "mean": r.means[key],
                    "low": _or(r.lows.get(key), r.means[key]),
                    "high": _or(r.highs.get(key), r.means[key]),
                }
                for r in rows
            ]
        )
        title = f"{key} (mean, 95 % interval)"
        if len(axes) == 1:
            x = alt.X(f"{axes[0]}:O", title=axes[0], sort=None)
            base = alt.Chart(frame)
            line = base.mark_line(point=True).encode(
                x=x, y=alt.Y("mean:Q", title=title, scale=alt.Scale(zero=False))
            )
            bars = base.mark_errorbar().encode(x=x, y=alt.Y("low:Q", title=title), y2="high:Q")
            return (line + bars).properties(width=360, height=200)
        x_axis, y_axis = axes[-1], axes[-2]
        reverse = (self.ranked.goal if self.ranked else goal(key)) == "min"
        colour = alt.Color("mean:Q", title=key, scale=alt.Scale(scheme="viridis", reverse=reverse))
        middle = (frame["mean"].min() + frame["mean"].max()) / 2
        frame["dark"] = (frame["mean"] > middle) if reverse else (frame["mean"] < middle)
        rect = alt.Chart(frame).mark_rect()
        heat = rect.encode(
            x=alt.X(f"{x_axis}:O", title=x_axis, sort=None),
            y=alt.Y(f"{y_axis}:O", title=y_axis, sort=None),
            color=colour,
            tooltip=[*axes, alt.Tooltip("mean:Q", format=".4g")],
        )
        text = (
            alt.Chart(frame)
            .mark_text(fontSize=11)
            .encode(
                x=alt.X(f"{x_axis}:O", sort=None),
                y=alt.Y(f"{y_axis}:O", sort=None),
                text=alt.Text("mean:Q", format=".4g"),
                color=alt.condition("datum.dark", alt.value("white"), alt.value("black")),
            )
        )
        layered = (heat + text).properties(width=60 * len(set(frame[x_axis])), height=200)
        if len(axes) == 2:
            return layered
        rest = axes[:-2]
        frame["panel"] = [
            ", ".join(f"{a}={v}" for a, v in zip(rest, row, strict=True))
            for row in frame[rest].itertuples(index=False)
        ]
        return (
            alt.layer(heat, text, data=frame)
            .properties(width=40 * len(set(frame[x_axis])), height=160)
            .facet(facet=alt.Facet("panel:N", title=None), columns=3)
        )


def show_summary(grid: Grid, display: Any = None, store: Any = None) -> None:
    """Display the summary table and its chart (SVG and PNG, made offline); ranked by the
    experiment's metric of record (as chosen in ``store``, when given)."""
    view = GridSummaryView(grid, chosen_metric(store, grid.experiment))
    if display is None:
        from IPython import get_ipython
        from IPython.display import display as ipython_display

        if get_ipython() is None:  # a plain script: the table as text, no chart
            print(view.text())
            return
        display = ipython_display
    display(view)
    bundle = chart_bundle(view)
    if bundle is not None:
        display(bundle, raw=True)


def chosen_metric(store: Any, experiment: str) -> str | None:
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


def chart_bundle(view: GridSummaryView) -> dict[str, str] | None:
    """The chart as an offline SVG and PNG, or ``None`` (no chart, or no renderer: a note)."""
    try:
        chart = view.chart()
        if chart is None:
            return None
        import vl_convert as vlc

        from ..live.bundle import vega_lite_version
        from ..live.static import chart_png

        svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=vega_lite_version())
        svg = svg.replace("<svg ", '<svg data-role="nbj-grid-chart" ', 1)
        return {
            "image/svg+xml": svg,
            "image/png": chart_png(svg),
            "text/plain": f"[chart of grid #{view.grid.id}]",
        }
    except Exception as failure:  # the chart is a convenience: never an error
        import warnings

        from ..recorder import JournalWarning

        warnings.warn(f"nbjournal: no grid chart ({failure!r})", JournalWarning, stacklevel=2)
        return None


def _mean_std(row: SummaryRow, name: str) -> str:
    """The mean, ± half its 95 % interval when the point has two repeats or more."""
    if name not in row.means:
        return "–"
    low, high = row.lows.get(name, math.nan), row.highs.get(name, math.nan)
    if math.isfinite(low) and math.isfinite(high):
        return f"{fmt.number(row.means[name])} ± {fmt.number((high - low) / 2)}"
    return fmt.number(row.means[name])


def _or(value: float | None, default: float) -> float:
    return value if value is not None and math.isfinite(value) else default


def _described(row: SummaryRow, axes: list[str]) -> str:
    names = [n for n in axes if n in row.values] or list(row.values)
    return ", ".join(f"{k}={fmt.param(row.values[k])}" for k in names)


def _point_list(rows: list[SummaryRow], axes: list[str], limit: int = 6) -> str:
    shown = [_described(r, axes) for r in rows[:limit]]
    more = len(rows) - limit
    return "; ".join(shown) + (f" and {more} more" if more > 0 else "")


def _label(value: Any) -> Any:
    return (
        value
        if isinstance(value, (int, float, str)) and not isinstance(value, bool)
        else str(value)
    )
