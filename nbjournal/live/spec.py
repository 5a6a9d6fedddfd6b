"""The live chart's Altair specification: one panel per metric, training and validation together.

The data is not in the specification: it streams into the named dataset
``points`` (see :mod:`nbjournal.live.chart`), so the specification is sent
again only when the panels change (a new metric, a new ``fit``, a diagnosis
marked on the curve). The static copy saved with the notebook is the same
specification with the points inlined, rendered to SVG by vl-convert, offline.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from ..rules import palette

if TYPE_CHECKING:
    from altair import LayerChart

    from .series import Row

DATASET = "points"
TRAINING, VALIDATION = "training", "validation"
SPLIT_COLORS = ("#1f77b4", "#ff7f0e")
#: Panel width by number of columns, so the whole chart fits a notebook cell (~900 px).
PANEL_WIDTH = {1: 560, 2: 340, 3: 235}
PANEL_HEIGHT = 190
#: Pixels kept free around the points, inside the panel: dots at the edges stay whole.
EDGE_PX = 6
#: The chart's height is reserved from the start (see :func:`chart_height`), so the view keeps
#: one height while the chart and its points arrive: the legend above the panels, then a row
#: of panels with its title and axis (measured on the SVG, log or linear, one fit or several).
CHART_TOP_PX = 48
ROW_HEIGHT_PX = 262
#: Pixels between the rows of diagnosis labels in one panel.
LABEL_ROW_PX = 13
#: Epoch points are drawn as dots up to this many per series; beyond, the line alone reads better.
MAX_DOTS = 60


def columns(panels: int) -> int:
    """Panels per row: the whole chart fits a notebook cell (~900 px)."""
    return 2 if panels == 4 else max(1, min(panels, 3))


def chart_height(panels: int) -> int:
    """The height (px) the chart of ``panels`` panels takes at most: reserved for it, live and
    static, so that neither the points arriving nor the static copy moves what follows."""
    rows = -(-max(panels, 1) // columns(panels))
    return CHART_TOP_PX + rows * ROW_HEIGHT_PX


def live_spec(
    metrics: list[str],
    parts: list[str],
    marks: list[dict[str, object]] | None = None,
    *,
    dots: bool = True,
    log: list[str] | None = None,
    kinds: list[str] | None = None,
    part_title: str = "fit",
) -> dict[str, object]:
    """The Vega-Lite specification (a dict) of the live chart.

    ``metrics``: panels in order; ``parts``: a label per ``fit`` of the cell (with
    more than one, colour tells the fits apart and the dash tells training from
    validation); ``marks``: vertical rules ``{"m": metric, "x": epoch, "label": text}``;
    ``dots``: mark each epoch's point (off for long runs); ``log``: panels on a log scale;
    ``kinds``: per panel, the kinds of points it has (``"b"`` batches, ``"e"`` epochs; both
    when not given): a layer is drawn only for those, never on no data.
    ``part_title``: what a part is, in the legend (a grid's running points are ``point``).

    Building a chart with Altair takes a tenth of a second, too long inside a training
    loop: specifications are cached by their inputs, which rarely change within a notebook.
    """
    drawn = kinds if kinds is not None and len(kinds) == len(metrics) else ["be"] * len(metrics)
    key = json.dumps(
        [metrics, parts, marks or [], dots, log or [], drawn, part_title],
        sort_keys=True,
        default=str,
    )
    return copy.deepcopy(_cached_spec(key))


@lru_cache(maxsize=64)
def _cached_spec(key: str) -> dict[str, object]:
    import altair as alt

    metrics, parts, marks, dots, log, kinds, part_title = json.loads(key)
    panels = metrics or ["loss"]
    kinds = kinds or ["be"]
    per_row = columns(len(panels))
    width = PANEL_WIDTH[per_row]
    charts = [
        _panel(alt, metric, parts, marks or [], width, dots, metric in log, drawn, part_title)
        for metric, drawn in zip(panels, kinds, strict=True)
    ]
    chart = alt.concat(*charts, columns=per_row).resolve_scale(color="shared")
    chart = chart.configure_view(strokeOpacity=0.4).configure_axis(
        labelFontSize=11, titleFontSize=11, gridOpacity=0.5
    )
    chart = chart.configure_legend(
        orient="top",
        labelFontSize=12,
        symbolType="stroke",
        symbolStrokeWidth=2.5,
        symbolSize=300,
        symbolOpacity=1,
    )
    spec = chart.to_dict()
    spec.pop("datasets", None)
    # The points arrive after the first layout: without resize the axis labels that appear
    # with them would be cut off at the edges.
    spec["autosize"] = {"type": "pad", "resize": True}
    return spec


#: Ten colours people tell apart well (Tableau 10), for the usual few fits of a cell.
_TABLEAU10 = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip


def part_colors(count: int) -> list[str]:
    """A colour per ``fit`` of a run, never one colour twice: Tableau 10 for up to ten fits,
    then hues spread by the golden angle (distinct however many fits a loop makes)."""
    if count <= len(_TABLEAU10):
        return list(_TABLEAU10[:count])
    colours = []
    for i in range(count):
        hue = (i * 137.508) % 360
        lightness = (42, 55, 68)[i % 3]
        colours.append(f"hsl({hue:.1f}, 65%, {lightness}%)")
    return colours


def static_spec(spec: Mapping[str, object], rows: list[Row]) -> dict[str, object]:
    """``spec`` with its points inlined, for a static rendering (no ARIA labels: half the bytes)."""
    config = {**cast("Mapping[str, object]", spec.get("config", {})), "aria": False}
    return {**spec, "config": config, "datasets": {DATASET: objects(rows)}}


def objects(rows: list[Row]) -> list[dict[str, str | int | float]]:
    """Rows as the front end turns them into data objects (see ``live_chart.js``)."""
    return [{"k": k, "m": m, "s": s, "p": p, "x": x, "y": y} for k, m, s, p, x, y in rows]


def _panel(
    alt: ModuleType,
    metric: str,
    parts: list[str],
    marks: list[dict[str, object]],
    width: int,
    dots: bool,
    log: bool,
    kinds: str = "be",
    part_title: str = "fit",
) -> LayerChart:
    several = len(parts) > 1
    base = alt.Chart(alt.Data(name=DATASET)).transform_filter(alt.datum.m == metric)
    x = alt.X(
        "x:Q",
        title="epoch",
        # a few pixels beyond the last epoch: its dot is not cut in half by the clip
        scale=alt.Scale(zero=True, nice=False, padding=EDGE_PX),
        axis=alt.Axis(tickMinStep=1, format="~r"),
    )
    if log:  # label the powers of ten only: 1-2-5 ticks on a log axis crowd each other
        decade = "abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-6"
        axis = alt.Axis(format="~g", labelExpr=f"{decade} ? datum.label : ''")
        y = alt.Y("y:Q", title=None, scale=alt.Scale(type="log", padding=EDGE_PX), axis=axis)
    else:
        y = alt.Y(
            "y:Q",
            title=None,
            scale=alt.Scale(zero=False, padding=EDGE_PX),  # the highest point is not cut either
            axis=alt.Axis(format="~r"),
        )
    split_colors = alt.Scale(domain=[TRAINING, VALIDATION], range=list(SPLIT_COLORS))
    if several:
        labels = "[" + ",".join(_js_string(label) for label in parts) + "][datum.value]"
        color = alt.Color(
            "p:N",
            title=part_title,
            scale=alt.Scale(domain=list(range(len(parts))), range=part_colors(len(parts))),
            legend=alt.Legend(labelExpr=labels),
        )
        dash: Any = alt.StrokeDash(
            "s:N",
            title=None,
            scale=alt.Scale(domain=[TRAINING, VALIDATION], range=[[1, 0], [5, 3]]),
        )
    else:
        color = alt.Color("s:N", title=None, scale=split_colors)
        dash = alt.StrokeDash("s:N", legend=None, scale=alt.Scale(range=[[1, 0]]))
    batches = (
        base.transform_filter(alt.datum.k == "b")
        .mark_line(strokeWidth=1, opacity=0.3, clip=True)
        .encode(x, y, color=color, detail="p:N")
    )
    epochs = (
        base.transform_filter(alt.datum.k == "e")
        .mark_line(
            strokeWidth=2,
            clip=True,
            point=alt.OverlayMarkDef(filled=True, size=22) if dots else False,
        )
        .encode(
            x,
            y,
            color=color,
            strokeDash=dash,
            detail="p:N",
            tooltip=[
                alt.Tooltip("x:Q", title="epoch"),
                alt.Tooltip("y:Q", title=metric, format=".4~g"),
                alt.Tooltip("s:N", title="split"),
                alt.Tooltip("p:N", title=part_title),
            ],
        )
    )
    layers = [layer for kind, layer in (("b", batches), ("e", epochs)) if kind in kinds]
    mine = [mark for mark in marks if mark.get("m") == metric]
    if mine:
        rules = alt.Chart(alt.Data(values=mine))
        layers.append(
            rules.mark_rule(color=palette.PROBLEM, strokeDash=[3, 3], strokeWidth=1.5).encode(
                x="x:Q", tooltip=[alt.Tooltip("label:N", title="diagnosis")]
            )
        )
        layers.append(
            rules.transform_calculate(ry=f"2 + {LABEL_ROW_PX} * (datum.row || 0)")
            .mark_text(align="left", baseline="top", dx=3, color=palette.PROBLEM, fontSize=11)
            .encode(x="x:Q", y=alt.Y("ry:Q", scale=None, axis=None), text="label:N")
        )
    title = f"{metric} (log scale)" if log else metric
    return alt.layer(*layers).properties(width=width, height=PANEL_HEIGHT, title=title)


def _js_string(text: str) -> str:
    return json.dumps(str(text))


#: Diagnoses drawn on the curve as a rule and a label.
MARKED = ("overfitting", "diverged", "plateau", "oscillating")


def diagnosis_marks(diagnoses: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """A rule and a label per marked diagnosis; labels of one panel on rows of their own
    (``row``), so two diagnoses at nearby epochs never print over each other."""
    marks: list[dict[str, object]] = []
    rows: dict[str, int] = {}
    for diagnosis in diagnoses:
        kind, epoch = diagnosis.get("kind"), diagnosis.get("epoch")
        if kind not in MARKED or not isinstance(epoch, int):
            continue
        metric = str(diagnosis.get("metric") or "loss").removeprefix("val_")
        row = rows.get(metric, 0)
        rows[metric] = row + 1
        marks.append({"m": metric, "x": epoch + 1, "label": kind, "row": row})
    return marks
