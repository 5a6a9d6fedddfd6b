"""Charts saved in a notebook stay small and readable (issue 21.4): the comparison's curves
drop their dots and per-mark descriptions when long and thin very long series; every
static chart's PNG is saved with a palette."""

from __future__ import annotations

import base64
import html
import re
from typing import Any

import numpy as np

from nbjournal.display.charts import MAX_POINTS, thinned
from nbjournal.display.offline import chart_png
from nbjournal.store import MetricPoint

EPOCHS = 40
METRICS = ("loss", "val_loss", "accuracy", "val_accuracy")


def _run(journal: Any, seed: int, shift: float) -> int:
    rng = np.random.default_rng(seed)
    run_id = journal.store.create_run(
        experiment="cmp",
        fingerprint=f"fp-{seed}",
        params={"seed": seed, "units": shift},
        code="fit()",
    )
    epochs = np.arange(EPOCHS)
    curves = {
        "loss": np.exp(-epochs / 10) + rng.random(EPOCHS) * 0.02,
        "val_loss": np.exp(-epochs / 12) + rng.random(EPOCHS) * 0.03,
        "accuracy": 1 - np.exp(-epochs / 10) / 2,
        "val_accuracy": 1 - np.exp(-epochs / 12) / 2 + shift + rng.random(EPOCHS) * 0.01,
    }
    points = [
        MetricPoint(name, float(value), step=epoch, kind="epoch", epoch=epoch)
        for name in METRICS
        for epoch, value in enumerate(curves[name])
    ]
    journal.store.add_points(run_id, points)
    journal.store.finish_run(run_id, "finished")
    return run_id


def test_the_curves_of_a_5_vs_5_comparison_of_40_epochs_are_small(journal: Any) -> None:
    a = [_run(journal, seed, 0.0) for seed in range(5)]
    b = [_run(journal, seed + 5, 0.02) for seed in range(5)]
    bundle = journal.compare(a, b, metric="val_accuracy:max").curves()._repr_mimebundle_()
    svg, png = bundle["image/svg+xml"], bundle["image/png"]
    # before: 133 kB of SVG (a path and a description per epoch dot) and a 66 kB-class PNG
    assert len(svg) + len(png) < 80_000, (len(svg), len(png))
    assert svg.count("<path") < 150  # before: 408, a dot per epoch, run and metric
    for metric in METRICS:  # still readable: every panel is there
        assert f">{metric}<" in svg


def test_a_static_chart_png_has_a_palette() -> None:
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='40'>"
        "<path d='M0,40 C30,0 60,40 120,0' stroke='#4c78a8' stroke-width='2' fill='none'/>"
        "<text x='4' y='12' font-size='10'>loss</text></svg>"
    )
    png = base64.b64decode(chart_png(svg))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[25] == 3  # colour type 3: indexed, at most 256 colours


def test_a_long_series_is_thinned_evenly_keeping_its_ends() -> None:
    points = list(range(1000))
    kept = thinned(points)
    assert len(kept) == MAX_POINTS and kept[0] == 0 and kept[-1] == 999
    assert kept == sorted(set(kept))
    assert thinned(points[:50]) == points[:50]


def test_the_comparison_chart_fits_a_notebook_output_with_its_legend_whole(journal: Any) -> None:
    """Issue 22.9: it was a 1,128 px image in a 953 px output, its legend clipped, the loss
    on a linear axis."""
    a = [_run(journal, seed, 0.0) for seed in range(3)]
    b = [_run(journal, seed + 3, 0.02) for seed in range(3)]
    view = journal.compare(a, b, metric="val_accuracy:max")
    chart = view.curves()
    svg = chart.svg()
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    assert width <= 900, width
    labels = view.parameters.labels()
    assert len(labels) == 6
    for label in labels.values():  # every run's label, whole (a clipped one ends in "…")
        assert f">{html.escape(label)}<" in svg, label
    assert "…" not in svg
    scales = {
        panel["title"]: panel["encoding"]["y"]["scale"].get("type", "linear")
        for panel in chart.spec["concat"]
    }
    assert scales == {
        "accuracy": "linear", "loss": "log", "val_accuracy": "linear", "val_loss": "log",
    }  # fmt: skip
