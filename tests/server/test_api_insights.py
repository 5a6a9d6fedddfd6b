"""GET experiments/{name}/insights: what the sidebar's Insights view draws."""

from __future__ import annotations

import json

import numpy as np
from analysis.synthetic import lr_drives, sweep  # tests/analysis, on the path as a package

from nbjournal.store import MetricPoint, Store


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


async def test_insights_name_the_grid_runs_the_returned_metric_left_out(
    store: Store, get_json
) -> None:
    from nbjournal.store import MetricPoint

    # Given two cell runs that returned test_accuracy and a grid whose runs did not
    # (every run has val_accuracy per epoch, as a fit logs it)
    grid_id, _ = store.open_grid(
        experiment="mix", fingerprint="g", spec_key="k", spec={"axes": {"units": [16, 128]}},
        total=2,
    )  # fmt: skip
    links = []
    for index, units in enumerate((32, 64, 16, 128)):
        run_id = store.create_run(
            experiment="mix", fingerprint=f"f{index}", params={"units": units}
        )
        points = [MetricPoint("val_accuracy", 0.8 + units / 1000, 0, "epoch", 0)]
        if index < 2:
            points.append(MetricPoint("test_accuracy", 0.7 + units / 1000, 0, "value"))
        else:
            links.append((run_id, index - 2, {"units": units}))
        store.add_points(run_id, points)
        store.finish_run(run_id, "finished")
    store.link_grid_runs(grid_id, links)

    # When the Insights view asks with no metric named
    body = await get_json("experiments/mix/insights")

    # Then it ranks by the metric of record and says which runs that left out, and why
    assert (body["metric"], body["runs"], body["left_out"]) == ("test_accuracy", 2, 2)
    assert body["left_out_detail"] == {
        "runs": [run for run, _, _ in links], "grids": [grid_id], "metric": "test_accuracy",
        "source": "the cell's result", "instead": "val_accuracy",
    }  # fmt: skip
    every = await get_json("experiments/mix/insights", metric="val_accuracy")
    assert (every["left_out"], every["left_out_detail"]) == (0, None)


async def test_an_inference_on_a_grid_is_a_conclusion_of_its_runs(
    store: Store, get_json, api
) -> None:
    # Given a grid of two values of C, each twice, and a run of its experiment with an inference
    grid_id, _ = store.open_grid(
        experiment="digits-lr", fingerprint="g", spec_key="k", total=2,
        spec={"axes": {"C": [0.1, 10]}, "repeat": 2, "order": ["C"]},
    )  # fmt: skip
    links = []
    for index, (c, seed) in enumerate([(0.1, 0), (0.1, 1), (10, 0), (10, 1), (1.0, 0)]):
        run_id = store.create_run(
            experiment="digits-lr", fingerprint=f"f{index}", params={"C": c, "seed": seed}
        )
        store.add_points(run_id, [MetricPoint("score", 0.9 + c / 1000 + seed / 1e4, 0, "value")])
        store.finish_run(run_id, "finished")
        if index < 4:
            links.append((run_id, index // 2, {"C": c}))
    store.link_grid_runs(grid_id, links)
    store.add_inference(run_id, "C=1 is no better", "refuted")

    # When the person concludes about the grid as a whole, over REST as the lab does
    body = json.dumps({"text": "C=10 is as good as C=1", "verdict": "supported"})
    posted = await api(f"grids/{grid_id}/inferences", method="POST", body=body)
    assert posted.code == 201
    found = await get_json("experiments/digits-lr/insights")

    # Then insights say it, as the grid's, newest first with the runs' conclusions
    first, second = found["conclusions"]
    assert (first["group"], first["grid_id"], first["run_id"]) == (
        f"grid #{grid_id} (C in 0.1, 10; 4 runs)", grid_id, None,
    )  # fmt: skip
    assert (first["verdict"], first["text"]) == ("supported", "C=10 is as good as C=1")
    assert (second["run_id"], second["grid_id"], second["verdict"]) == (run_id, None, "refuted")
    assert found["repeated"] == []
