"""Altair charts of recorded runs (imported only when a chart is shown)."""

from __future__ import annotations

from typing import Any, Final

#: Enough distinct colours that no two runs of one comparison share one.
_PALETTE: Final = "tableau20"


def comparison_chart(store: Any, runs: list[Any], labels: dict[int, str] | None = None) -> Any:
    """One panel per metric, one line per run, over epochs; runs named by ``labels``."""
    import altair as alt
    import pandas as pd

    labels = labels or {}
    rows = [
        {
            "run": labels.get(run.id, f"#{run.id}"),
            "metric": p.name,
            "epoch": (p.epoch or 0) + 1,
            "value": p.value,
        }
        for run in runs
        for p in store.metric_points(run.id, kinds=["epoch"])
        if p.value is not None
    ]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    order = [labels.get(run.id, f"#{run.id}") for run in runs]
    return (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=20))
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
    )  # fmt: skip
