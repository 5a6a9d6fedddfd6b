"""Altair charts of recorded runs (imported only when a chart is shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    from altair import TopLevelMixin

    from ..store import Run, Store

_Point = TypeVar("_Point")

#: Enough distinct colours that no two runs of one comparison share one.
_PALETTE: Final = "tableau20"
#: Epochs drawn as dots up to this many per run; beyond, the lines alone (and a smaller
#: saved image: every dot is an SVG path).
DOTS_UP_TO: Final = 20
#: Points per run and metric at most; a longer series is thinned evenly, its last kept.
MAX_POINTS: Final = 200


def comparison_chart(
    store: Store, runs: list[Run], labels: dict[int, str] | None = None
) -> TopLevelMixin | None:
    """One panel per metric, one line per run, over epochs; runs named by ``labels``."""
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
    return (
        alt.Chart(frame)
        .mark_line(point=dots)
        .encode(
            x=alt.X("epoch:Q", title="epoch"),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "run:N", title="run", sort=order, scale=alt.Scale(scheme=_PALETTE),
                legend=alt.Legend(labelLimit=400),
            ),
            tooltip=["run", "metric", "epoch", alt.Tooltip("value:Q", format=".4~g")],
        )
        .properties(width=260, height=160)
        .facet(facet=alt.Facet("metric:N", title=None), columns=3)
        .resolve_scale(y="independent")
        .configure(aria=False)  # no description per mark in the saved SVG
    )  # fmt: skip


def thinned(points: list[_Point], most: int = MAX_POINTS) -> list[_Point]:
    """At most ``most`` of ``points``, evenly spread, the first and the last kept."""
    if len(points) <= most:
        return points
    step = (len(points) - 1) / (most - 1)
    return [points[round(i * step)] for i in range(most)]
