"""The live chart keeps its edges and its height (issue 10, defect 14): the last epoch and the
highest point are not clipped, the chart's room is kept from the start, diagnosis labels of one
panel do not print over each other."""

from __future__ import annotations

import json

from nbjournal.live import widget as live_widget
from nbjournal.live.spec import EDGE_PX, ROW_HEIGHT_PX, live_spec
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
    marks = live_widget._marks(diagnoses)
    assert [(m["m"], m["row"]) for m in marks if m["m"] == "loss"] == [("loss", 0), ("loss", 1)]
    # and the labels are drawn at different heights
    rows = [["e", "loss", "training", 0, x, 1.0 / x] for x in range(1, 13)]
    svg = chart_svg(live_spec(["loss"], [], marks), rows)
    assert "overfitting" in svg and "plateau" in svg
    spec = json.dumps(live_spec(["loss"], [], marks))
    assert "datum.row" in spec


def test_the_chart_room_is_kept_before_the_chart_joins() -> None:
    shown: list = []
    view = live_widget.LiveView(display=shown.append)

    class Recorder:
        experiment, run_id, hypothesis, fits = "edges", 1, "", [{"params": {}}]

    view.run_started(Recorder())
    view._show()
    room = view.box.children[2]
    assert room.layout.min_height == f"{ROW_HEIGHT_PX}px"
