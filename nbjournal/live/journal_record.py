"""The live view's chart drawn again from the journal: what a restored cell shows.

A cell restored from an identical run trains nothing, so no live view leaves its
record; without this, Restart & Run All would save a notebook whose training curves
are gone (issue 21.10). The points come from the journal, the drawing is the live
view's own (same panels, scales and diagnosis marks), offline.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from .series import ChartData
from .spec import MAX_DOTS, diagnosis_marks, live_spec

if TYPE_CHECKING:
    from ..store.records import MetricPoint, Run


def journal_chart(run: Run, points: list[MetricPoint]) -> dict[str, str] | None:
    """The run's epoch curves as the static record's image (SVG and PNG), or None when the
    run has no epochs (a scikit-learn fit) or the image cannot be drawn."""
    data = ChartData()
    epochs: dict[tuple[int, int], dict[str, float | None]] = defaultdict(dict)
    for point in points:
        if point.kind == "epoch" and point.epoch is not None:
            epochs[(point.part, point.epoch)][point.name] = point.value
    for (part, epoch), values in sorted(epochs.items()):
        data.add_epoch(part, epoch, values)
    if not data.metrics:
        return None
    parts = sorted({part for part, _ in epochs})
    labels = [f"fit {i + 1}" for i in range(len(parts))] if len(parts) > 1 else []
    longest = max(sum(1 for p, _ in epochs if p == part) for part in parts)
    spec = live_spec(
        data.metrics,
        labels,
        diagnosis_marks(run.diagnoses),
        dots=longest <= MAX_DOTS,
        log=data.log_scaled(),
        kinds=data.kinds(),
    )
    try:
        from ..display.offline import chart_png
        from .static import chart_svg, see_through

        svg = chart_svg(spec, data.rows())
        png = chart_png(svg)
    except Exception:  # the record is a convenience: the notice says what was restored
        return None
    return {
        "image/svg+xml": see_through(svg),
        "image/png": png,
        "text/plain": f"[chart of run #{run.id}, restored from the journal]",
    }
