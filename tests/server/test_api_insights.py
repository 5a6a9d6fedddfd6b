"""GET experiments/{name}/insights: what the sidebar's Insights view draws."""

from __future__ import annotations

import json

import numpy as np
from analysis.synthetic import lr_drives, sweep  # tests/analysis, on the path as a package

from nbjournal.store import Store


async def test_insights_of_an_experiment_as_json(store: Store, get_json) -> None:
    # Given a sweep where only lr matters, and a refuted conclusion
    ids = sweep(store, "digits/mlp", 30, lr_drives, seed=3)
    store.add_inference(ids[4], "too large a step", "refuted")

    # When the Insights view asks (the name holds a slash, as experiment names may)
    body = await get_json("experiments/digits/mlp/insights", suggestions=3)

    # Then every part is there, as rows
    assert body["experiment"] == "digits/mlp"
    assert (body["metric"], body["goal"], body["runs"], body["ranked"]) == (
        "val_accuracy", "max", 30, True,
    )  # fmt: skip
    assert body["importances"][0]["param"] == "lr" and body["importances"][0]["matters"]
    assert set(body["importances"][0]) == {
        "param", "importance", "low", "high", "raw", "matters", "runs",
    }  # fmt: skip
    assert {e["param"] for e in body["effects"]} == {"lr", "units", "dropout", "activation"}
    assert body["top"] == ["lr"]
    lr_points = body["points"][0]
    assert lr_points["param"] == "lr" and len(lr_points["points"]) == 30
    assert len(body["best"]) == 5 and body["best"][0]["runs"]
    assert len(body["suggestions"]) == 3
    assert set(body["suggestions"][0]["point"]) == {"lr", "units", "dropout", "activation"}
    assert body["conclusions"][0]["verdict"] == "refuted"
    assert body["conclusions"][0]["run_id"] == ids[4]
    assert isinstance(body["conclusions"][0]["created"], float)


async def test_too_few_runs_is_said_not_ranked(store: Store, get_json) -> None:
    sweep(store, "small", 3, lr_drives)
    body = await get_json("experiments/small/insights")
    assert body["ranked"] is False and body["importances"] == []
    assert body["verdict"].startswith("too few runs to tell")
    json.dumps(body, allow_nan=False)


async def test_an_unknown_experiment_is_404_and_a_bad_option_400(store: Store, api) -> None:
    sweep(store, "small", 3, lr_drives, seed=np.int64(1).item())
    missing = await api("experiments/nope/insights")
    assert missing.code == 404
    assert "no experiment named 'nope'" in json.loads(missing.body)["message"]
    bad = await api("experiments/small/insights", params={"suggestions": "many"})
    assert bad.code == 400
