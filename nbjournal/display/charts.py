"""Altair charts of recorded runs (imported only when a chart is shown)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    from types import ModuleType

    import pandas as pd
    from altair import Chart, TopLevelMixin

    from ..store import Run, Store

_Point = TypeVar("_Point")

#: Enough distinct colours that no two runs of one comparison share one.
_PALETTE: Final = "tableau20"
#: Epochs drawn as dots up to this many per run; beyond, the lines alone (and a smaller
#: saved image: every dot is an SVG path).
DOTS_UP_TO: Final = 20
#: Points per run and metric at most; a longer series is thinned evenly, its last kept.
MAX_POINTS: Final = 200


#: Panels per row and each panel's size: two rows' worth fit the 953 px of a notebook's
#: output at JupyterLab's default width (three 260 px panels and a side legend made 1,128 px).
COLUMNS: Final = 2
PANEL_WIDTH: Final = 330
PANEL_HEIGHT: Final = 170
#: Losses and errors on a log axis (where overfitting shows), as the lab's charts draw them.
#: A run's label in the legend below the panels may be as wide as the panels.
LEGEND_PX: Final = COLUMNS * PANEL_WIDTH
_LOG_METRICS: Final = re.compile(r"loss|error|mse|mae|rmse|perplexity|crossentropy", re.I)


def comparison_chart(
    store: Store, runs: list[Run], labels: dict[int, str] | None = None
) -> TopLevelMixin | None:
    """One panel per metric, one line per run, over epochs; runs named by ``labels``, in one
    legend below the panels (its labels whole); losses on a log axis."""
    import altair as alt
    import pandas as pd

    labels = labels or {}
    series: dict[tuple[str, str], list[dict[str, object]]] = {}
    for run in runs:
        name = labels.get(run.id, f"#{run.id}")
        for p in store.metric_points(run.id, kinds=["epoch"]):
            if p.value is not None:
                row = {"run": name, "metric": p.name, "epoch": (p.epoch or 0) + 1, "value": p.value}
                series.setdefault((name, p.name), []).append(row)
    if not series:
        return None
    longest = max(len(points) for points in series.values())
    frame = pd.DataFrame([row for points in series.values() for row in thinned(points)])
    order = [labels.get(run.id, f"#{run.id}") for run in runs]
    dots = alt.OverlayMarkDef(size=20) if longest <= DOTS_UP_TO else False
    panels = [
        _panel(alt, frame[frame["metric"] == metric], metric, order, dots)
        for metric in sorted(frame["metric"].unique())
    ]
    return (
        alt.concat(*panels, columns=COLUMNS)
        .resolve_scale(color="shared")
        .configure(aria=False)  # no description per mark in the saved SVG
    )


def _panel(
    alt: ModuleType, frame: pd.DataFrame, metric: str, order: list[str], dots: object
) -> Chart:
    """One metric's curves: a log axis for a loss whose values are all positive."""
    log = bool(_LOG_METRICS.search(metric)) and bool((frame["value"] > 0).all())
    y = alt.Y(
        "value:Q",
        title="log scale" if log else None,
        scale=alt.Scale(type="log", nice=False) if log else alt.Scale(zero=False),
    )
    return (
        alt.Chart(frame, title=metric)
        .mark_line(point=dots)
        .encode(
            x=alt.X("epoch:Q", title="epoch"),
            y=y,
            color=alt.Color(
                "run:N",
                title="run",
                sort=order,
                scale=alt.Scale(scheme=_PALETTE),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=LEGEND_PX),
            ),
            tooltip=["run", "metric", "epoch", alt.Tooltip("value:Q", format=".4~g")],
        )
        .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
    )


def thinned(points: list[_Point], most: int = MAX_POINTS) -> list[_Point]:
    """At most ``most`` of ``points``, evenly spread, the first and the last kept."""
    if len(points) <= most:
        return points
    step = (len(points) - 1) / (most - 1)
    return [points[round(i * step)] for i in range(most)]
