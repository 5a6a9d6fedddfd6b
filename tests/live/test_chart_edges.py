"""The live chart keeps its edges and its height (issue 10, defect 14): the last epoch and the
highest point are not clipped, the chart's room is kept from the start (and the static copy
that replaces it at the end is as tall), diagnosis labels of one panel do not print over each
other, and no layer is ever drawn on no data (Vega warns "Infinite extent" for each)."""

from __future__ import annotations

import json
import re

from nbjournal.live import widget as live_widget
from nbjournal.live.series import ChartData
from nbjournal.live.spec import EDGE_PX, chart_height, diagnosis_marks, live_spec
from nbjournal.live.static import chart_svg


def _scales(spec: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("x", "y") and isinstance(value, dict) and "scale" in value:
                    found.append({"channel": key, **(value["scale"] or {})})
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return found


def test_points_at_the_edges_keep_room_on_every_scale() -> None:
    for log in ([], ["loss"]):
        spec = live_spec(["loss"], [], [], log=log)
        scales = [s for s in _scales(spec) if s.get("type") != "identity"]
        positional = [s for s in scales if s.get("padding") is not None]
        assert {s["channel"] for s in positional} == {"x", "y"}
        assert all(s["padding"] == EDGE_PX for s in positional)


def test_diagnosis_labels_of_one_panel_are_on_rows_of_their_own() -> None:
    diagnoses = [
        {"kind": "overfitting", "epoch": 9, "metric": "val_loss", "part": 0},
        {"kind": "plateau", "epoch": 10, "metric": "loss", "part": 0},
        {"kind": "oscillating", "epoch": 3, "metric": "accuracy", "part": 0},
    ]
    marks = diagnosis_marks(diagnoses)
    assert [(m["m"], m["row"]) for m in marks if m["m"] == "loss"] == [("loss", 0), ("loss", 1)]
    # and the labels are drawn at different heights
    rows = [["e", "loss", "training", 0, x, 1.0 / x] for x in range(1, 13)]
    svg = chart_svg(live_spec(["loss"], [], marks), rows)
    assert "overfitting" in svg and "plateau" in svg
    spec = json.dumps(live_spec(["loss"], [], marks))
    assert "datum.row" in spec


def test_the_chart_room_is_kept_before_the_chart_joins() -> None:
    shown: list = []
    view = live_widget.LiveView(display=lambda shown_object, **kwargs: shown.append(shown_object))

    class Recorder:
        experiment, run_id, hypothesis, fits = "edges", 1, "", [{"params": {}}]

    view.run_started(Recorder())
    view._show()
    room = view.box.children[2]
    assert room.layout.min_height == f"{chart_height(1)}px"


def test_the_static_chart_is_as_tall_as_the_room_the_live_chart_had() -> None:
    rows = [
        ["e", m, "training", 0, x, 0.5 / x] for m in ("loss", "acc", "mse", "auc") for x in (1, 2)
    ]
    for metrics in (["loss"], ["loss", "acc"], ["loss", "acc", "mse", "auc"]):
        for parts in ([], ["a", "b"]):
            svg = chart_svg(live_spec(metrics, parts, [], log=["loss"]), rows)
            height = re.match(r'<svg [^>]*?height="(\d+)"', svg)
            assert height and int(height[1]) == chart_height(len(metrics)), (metrics, parts)


def _layers(spec: dict) -> list[list[str]]:
    """Per panel, the kinds of points its layers filter on."""
    found = []
    for panel in spec["concat"]:
        text = json.dumps(panel["layer"])
        found.append([k for k in "be" if f"datum.k === '{k}'" in text])
    return found


def test_a_panel_draws_a_layer_only_for_points_it_has() -> None:
    data = ChartData()
    data.add_batch(0, 0.5, {"loss": 0.9, "accuracy": 0.4})
    assert data.kinds() == ["b", "b"]
    spec = live_spec(data.metrics, [], [], log=data.log_scaled(), kinds=data.kinds())
    assert _layers(spec) == [["b"], ["b"]]  # before the first epoch ends: no epoch layer
    data.add_epoch(0, 0, {"loss": 0.8, "accuracy": 0.5, "val_loss": 0.85, "lr": 0.01})
    assert data.kinds() == ["be", "be", "e"]
    spec = live_spec(data.metrics, [], [], log=data.log_scaled(), kinds=data.kinds())
    assert _layers(spec) == [["b", "e"], ["b", "e"], ["e"]]


def test_the_static_chart_shows_through_while_its_png_keeps_a_white_background() -> None:
    import base64

    from nbjournal.display.offline import chart_png
    from nbjournal.live.static import see_through

    svg = chart_svg(live_spec(["loss"], [], []), [["e", "loss", "training", 0, 1, 0.5]])
    assert re.match(r'<svg [^>]*><rect [^>]*fill="white"', svg)
    clear = see_through(svg)
    assert re.match(r'<svg [^>]*><rect [^>]*fill="none"', clear)
    assert clear.replace('fill="none"', 'fill="white"', 1) == svg  # nothing else changed
    assert base64.b64decode(chart_png(svg)).startswith(b"\x89PNG")
