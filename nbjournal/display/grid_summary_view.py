"""The grid's summary in a notebook: a table of every point (repeats' mean ± 95 % interval,
run ids), the best point and those within noise of it, and a chart (with the intervals), over the pure table of :mod:`nbjournal.analysis.grid_table`.

It stays in the saved notebook like the live view's static record: the table as
HTML (escaped, inline styles that survive JupyterLab's sanitiser), the chart
made offline by vl-convert as SVG with a PNG beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container
from html import escape
from typing import TYPE_CHECKING

from ..analysis.grid_table import (
    GridTable,
    SummaryRow,
    chosen_metric,
    mean_interval,
    varying_axes,
)
from ..rules import format as fmt
from ..rules import palette
from ..rules.metric_goals import goal
from ..store import Grid

if TYPE_CHECKING:
    from altair import TopLevelMixin

    from ..store import Store

_CELL = "padding:1px 12px 1px 0;text-align:left;white-space:nowrap"
_NUM = "padding:1px 12px 1px 0;text-align:right;white-space:nowrap"


class GridSummaryView:
    """The summary as a notebook output: HTML table, text table, and the chart after it."""

    def __init__(self, grid: Grid, chosen: str | None = None) -> None:
        """``chosen``: the experiment's metric of record as chosen (``NAME[:max|min]``)."""
        self.table = GridTable(grid, chosen)
        self.grid = grid
        self.rows = self.table.rows
        self.key = self.table.key
        self.ranked = self.table.ranked

    def best(self) -> SummaryRow | None:
        return self.table.best()

    def best_text(self) -> str | None:
        return self.table.best_text()

    def metric_names(self) -> list[str]:
        return self.table.metric_names()

    def headline(self) -> str:
        return self.table.headline()

    def origin(self) -> str | None:
        return self.table.origin()

    def _axis_columns(self, names: list[str]) -> dict[str, list[str]]:
        """Each axis's values down the rows, in one notation per column (``3e-5`` by ``1e-3``)."""
        return {n: fmt.params([row.values.get(n, "") for row in self.rows]) for n in names}

    def _metric_notations(self, metrics: list[str]) -> dict[str, bool]:
        """Whether each metric's column of means is in exponent form."""
        return {m: fmt.in_exponents([row.means.get(m) for row in self.rows]) for m in metrics}

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
        columns = self._axis_columns(names)
        exponents = self._metric_notations(metrics)
        for index, row in enumerate(self.rows):
            cells = "".join(f"<td style='{_CELL}'>{escape(columns[n][index])}</td>" for n in names)
            cells += "".join(
                f"<td style='{_NUM}'>{escape(mean_interval(row, m, exponents=e))}</td>"
                for m, e in exponents.items()
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
        ranked_by = self.table.ranked_by()
        if ranked_by is not None:
            best_line += (
                f"<div style='color:var(--jp-ui-font-color2,#666)'>{escape(ranked_by)}</div>"
            )
        hypothesis = fmt.first_line(self.grid.hypothesis)
        origin = self.origin()
        conclusions = "".join(
            f"<div style='border-left:3px solid {palette.PROGRESS};padding-left:.7em'>"
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
        columns = self._axis_columns(names)
        exponents = self._metric_notations(metrics)
        for index, row in enumerate(self.rows):
            table.append(
                [columns[n][index] for n in names]
                + [mean_interval(row, m, exponents=e) for m, e in exponents.items()]
                + [" ".join(f"#{r}" for r in row.runs)]
            )
        widths = [max(len(str(line[i])) for line in table) for i in range(len(table[0]))]
        for line in table:
            lines.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
        best_text = self.best_text()
        if best_text is not None:
            lines.append(best_text)
        ranked_by = self.table.ranked_by()
        if ranked_by is not None:
            lines.append(ranked_by)
        for inference in self.grid.inferences:
            verdict = f" ({inference.verdict})" if inference.verdict else ""
            lines.append(f"inference: {inference.text}{verdict}")
        return "\n".join(lines)

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}

    def __repr__(self) -> str:
        return self.text()

    # -- the chart ----------------------------------------------------------------------

    def chart(self) -> TopLevelMixin | None:
        """Heatmap for two axes, line with error bars for one, small multiples beyond."""
        key = self.key
        axes = varying_axes(self.rows)
        rows = [r for r in self.rows if key in r.means]
        if key is None or not axes or not rows:
            return None
        rows = in_axis_order(rows, axes)
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


def summary_view(grid: Grid, store: Store | None = None) -> GridSummaryView:
    """The summary ranked by the experiment's metric of record (as chosen in ``store``)."""
    return GridSummaryView(grid, chosen_metric(store, grid.experiment))


def show_summary(
    grid: Grid,
    display: Callable[..., object] | None = None,
    store: Store | None = None,
    view: GridSummaryView | None = None,
    table_shown: bool = False,
) -> None:
    """Display the summary table (unless ``table_shown``: the grid's view put it in its own
    place) and its chart (SVG and PNG, made offline)."""
    view = view or summary_view(grid, store)
    if display is None:
        from IPython import get_ipython
        from IPython.display import display as ipython_display

        if get_ipython() is None:  # a plain script: the table as text, no chart
            if not table_shown:
                print(view.text())
            return
        display = ipython_display
    if not table_shown:
        display(view)
    bundle = chart_bundle(view)
    if bundle is not None:
        display(bundle, raw=True)


def chart_bundle(view: GridSummaryView) -> dict[str, str] | None:
    """The chart as an offline SVG and PNG, or ``None`` (no chart, or no renderer: a note)."""
    try:
        chart = view.chart()
        if chart is None:
            return None
        import vl_convert as vlc

        from .offline import chart_png, vega_lite_version

        svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=vega_lite_version())
        svg = svg.replace("<svg ", '<svg data-role="nbj-grid-chart" ', 1)
        return {
            "image/svg+xml": svg,
            "image/png": chart_png(svg),
            "text/plain": f"[chart of grid #{view.grid.id}]",
        }
    except Exception as failure:  # the chart is a convenience: never an error
        import warnings

        from ..errors import JournalWarning

        warnings.warn(f"nbjournal: no grid chart ({failure!r})", JournalWarning, stacklevel=2)
        return None


def _or(value: float | None, default: float) -> float:
    return value if value is not None and math.isfinite(value) else default


def _label(value: object) -> int | float | str:
    return (
        value
        if isinstance(value, (int, float, str)) and not isinstance(value, bool)
        else str(value)
    )


def in_axis_order(rows: list[SummaryRow], axes: list[str]) -> list[SummaryRow]:
    """``rows`` with numbers on each axis ascending (suggested points come in the order they
    were proposed: 130 before 57 would draw the line back on itself); text values keep the
    order they first appear in, as the grid named them."""
    firsts: dict[str, dict[str, int]] = {a: {} for a in axes}
    for row in rows:
        for a in axes:
            firsts[a].setdefault(repr(row.values.get(a)), len(firsts[a]))

    def place(row: SummaryRow) -> tuple[tuple[int, float], ...]:
        keys = []
        for a in axes:
            value = row.values.get(a)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                keys.append((0, float(value)))
            else:
                keys.append((1, float(firsts[a][repr(value)])))
        return tuple(keys)

    return sorted(rows, key=place)
