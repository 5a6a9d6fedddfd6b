"""The marginal-effects chart of insights, rendered offline (vl-convert) so it stays in the notebook.

One panel per top parameter: a point per run, and a line through the mean at
each value with a band of ± one standard deviation where values repeat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from altair import TopLevelMixin

    from ..analysis.insights import Insights


def effects_chart(found: Insights) -> TopLevelMixin | None:
    """An Altair chart (``None`` when there is nothing to draw)."""
    table = found.table
    if table is None or table.frame.empty or not found.top:
        return None
    import altair as alt

    metric = table.metric or "metric"
    panels = []
    for name in found.top:
        space = next(s for s in table.spaces if s.name == name)
        runs = table.frame[[name, "value", "id"]].dropna(subset=[name])
        runs = runs.rename(columns={name: "x", "value": "y"}).assign(
            run=lambda f: "#" + f["id"].astype(str)
        )
        summary = found.effects[found.effects["param"] == name][["value", "mean", "std"]]
        summary = summary.rename(columns={"value": "x"}).assign(
            top=lambda f: f["mean"] + f["std"].fillna(0),
            bottom=lambda f: f["mean"] - f["std"].fillna(0),
        )
        if space.numeric:
            x = alt.X(
                "x:Q",
                title=name,
                scale=alt.Scale(type="log" if space.log else "linear", zero=False),
            )
        else:
            runs["x"] = runs["x"].astype(str)
            summary["x"] = summary["x"].astype(str)
            x = alt.X("x:N", title=name)
        y = alt.Y("y:Q", title=metric, scale=alt.Scale(zero=False))
        points = (
            alt.Chart(runs)
            .mark_circle(size=28, opacity=0.55)
            .encode(x=x, y=y, tooltip=["run", alt.Tooltip("y:Q", title=metric, format=".4g")])
        )
        band = (
            alt.Chart(summary)
            .mark_area(opacity=0.18)
            .encode(x=x, y=alt.Y("bottom:Q", title=metric), y2="top:Q")
        )
        line = alt.Chart(summary).mark_line(point=True).encode(x=x, y=alt.Y("mean:Q", title=metric))
        layers = [band, line, points] if space.numeric else [points, line]
        panels.append(alt.layer(*layers).properties(width=220, height=160, title=name))
    return alt.hconcat(*panels).configure_view(stroke=None)


def effects_images(found: Insights) -> tuple[str, str] | None:
    """``(svg, png_base64)`` of :func:`effects_chart`, made without a browser or network."""
    chart = effects_chart(found)
    if chart is None:
        return None
    import vl_convert as vlc

    from .offline import chart_png, vega_lite_version

    svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=vega_lite_version())
    return svg, chart_png(svg)
