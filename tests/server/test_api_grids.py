"""GET grids and GET grids/{id}: a grid's counts, best point, runs and table of points."""

from __future__ import annotations

import json

import pytest

from nbjournal.store import MetricPoint, Store

from .helpers import error_of


def make_grid(store: Store, experiment: str = "digits-mlp", best: float = 0.95) -> int:
    """A 2 × 2 grid of a kernel: three points finished (one twice, as repeats), one failed."""
    grid_id, _ = store.open_grid(
        experiment=experiment,
        fingerprint=f"base-{experiment}",
        spec_key="key",
        spec={"axes": {"units": [32, 64], "lr": [0.01, 0.1]}, "repeat": 1},
        total=4,
        hypothesis="width matters more than the learning rate",
        code="model.fit(X, y)",
    )
    links = []
    for index, (units, lr, accuracy, status) in enumerate(
        [(32, 0.01, 0.9, "finished"), (32, 0.1, 0.8, "finished"), (64, 0.01, None, "failed"),
         (64, 0.1, best, "finished")]
    ):  # fmt: skip
        run_id = store.create_run(
            experiment=experiment,
            fingerprint=f"{experiment}-{index}",
            params={"units": units, "lr": lr},
        )
        if accuracy is not None:
            store.add_points(run_id, [MetricPoint("val_accuracy", accuracy, 0, "epoch", 0)])
        store.finish_run(run_id, status, "ValueError: boom" if status == "failed" else None)
        links.append((run_id, index, {"units": units, "lr": lr}))
    store.link_grid_runs(grid_id, links)
    return grid_id


async def test_lists_grids_with_their_counts_and_best_point(store: Store, get_json) -> None:
    # Given a grid with a failed point
    grid_id = make_grid(store)

    # When the sidebar lists grids
    body = await get_json("grids")

    # Then it gets the counts and the best point by the key metric
    (grid,) = body["grids"]
    assert grid["id"] == grid_id and grid["experiment"] == "digits-mlp"
    assert (grid["points"], grid["runs"], grid["done"], grid["failed"]) == (4, 4, 3, 1)
    assert grid["key_metric"] == "val_accuracy"
    assert grid["best"]["values"] == {"units": 64, "lr": 0.1}
    assert grid["best"]["mean"] == 0.95
    assert grid["spec"]["axes"] == {"units": [32, 64], "lr": [0.01, 0.1]}
    assert (await get_json("grids", experiment="other"))["grids"] == []


async def test_each_listed_grid_counts_only_its_own_runs(store: Store, get_json) -> None:
    # Given two grids of two experiments, read in one listing
    first = make_grid(store, "digits-mlp", best=0.95)
    second = make_grid(store, "digits-cnn", best=0.99)

    # When the sidebar lists grids
    grids = (await get_json("grids"))["grids"]

    # Then each is listed newest first with its own points and best, as its detail says
    assert [g["id"] for g in grids] == [second, first]
    assert [g["best"]["mean"] for g in grids] == [0.99, 0.95]
    assert [g["runs"] for g in grids] == [4, 4]
    for listed in grids:
        detail = await get_json("grids", listed["id"])
        assert {k: detail[k] for k in listed} == listed


async def test_a_grid_has_its_runs_and_its_table_of_points(store: Store, get_json) -> None:
    grid_id = make_grid(store)

    body = await get_json("grids", grid_id)

    assert body["code"] == "model.fit(X, y)"
    assert [r["status"] for r in body["grid_runs"]] == [
        "finished",
        "finished",
        "failed",
        "finished",
    ]
    assert body["grid_runs"][2]["error"] == "ValueError: boom"
    assert body["grid_runs"][0]["metrics"]["val_accuracy"]["last"] == 0.9
    assert body["table"][0]["values"] == {"units": 32, "lr": 0.01}
    assert body["table"][3]["mean"] == {"val_accuracy": 0.95}


async def test_an_unknown_grid_is_404_with_a_message(store: Store, api) -> None:
    for raw in ("99", "x", "-1"):
        response = await api("grids", raw)
        assert response.code == 404
        assert "no grid" in error_of(response)["message"]
        json.loads(response.body)


async def test_an_inference_posted_on_a_grid_is_stored_and_shown(store: Store, api, get_json):
    grid_id = make_grid(store)

    response = await api(
        "grids", grid_id, "inferences",
        method="POST", body=json.dumps({"text": " <i>width</i> wins ", "verdict": "Supported"}),
    )  # fmt: skip

    assert response.code == 201
    created = json.loads(response.body)
    assert created["text"] == "<i>width</i> wins" and created["verdict"] == "supported"
    assert created["grid_id"] == grid_id
    assert (await get_json("grids", grid_id))["inferences"] == [created]
    (listed,) = (await get_json("grids"))["grids"]
    assert listed["inference"] == created and listed["inference_count"] == 1
    bad = await api("grids", grid_id, "inferences", method="POST", body=json.dumps({"text": ""}))
    assert bad.code == 400
    missing = await api("grids", 99, "inferences", method="POST", body=json.dumps({"text": "x"}))
    assert missing.code == 404


async def test_a_grids_table_carries_the_95_interval_of_each_mean(store: Store, get_json):
    # Given one point run three times (0.90, 0.92, 0.94) and another once
    grid_id, _ = store.open_grid(
        experiment="repeats", fingerprint="base-repeats", spec_key="key",
        spec={"axes": {"units": [32, 64]}, "repeat": 3}, total=4,
    )  # fmt: skip
    links = []
    for index, (units, seed, accuracy) in enumerate(
        [(64, 0, 0.90), (64, 1, 0.92), (64, 2, 0.94), (32, 0, 0.5)]
    ):
        params = {"units": units, "seed": seed}
        run_id = store.create_run(experiment="repeats", fingerprint=f"r{index}", params=params)
        store.add_points(run_id, [MetricPoint("val_accuracy", accuracy, 0, "epoch", 0)])
        store.finish_run(run_id, "finished")
        links.append((run_id, index, params))
    store.link_grid_runs(grid_id, links)

    body = await get_json("grids", grid_id)

    # Then the rows and the best point carry the t interval of the mean, as the notebook shows
    half = 4.302652729911275 * 0.02 / 3**0.5  # t(0.975, 2 df) · std / √n
    (row,) = [r for r in body["table"] if r["values"] == {"units": 64}]
    assert row["low"]["val_accuracy"] == pytest.approx(0.92 - half)
    assert row["high"]["val_accuracy"] == pytest.approx(0.92 + half)
    (single,) = [r for r in body["table"] if r["values"] == {"units": 32}]
    assert single["low"] == {"val_accuracy": None} and single["high"] == {"val_accuracy": None}
    # a single run has no standard deviation: null, never a certain 0
    assert single["std"] == {"val_accuracy": None}
    assert row["std"]["val_accuracy"] == pytest.approx(0.02)
    best = body["best"]
    assert (best["low"], best["high"]) == (row["low"]["val_accuracy"], row["high"]["val_accuracy"])


async def test_a_grids_inference_is_edited_then_deleted_and_its_history_kept(
    store: Store, api, get_json
) -> None:
    """Issue 22.8 for grids: PATCH and DELETE grids/{id}/inferences/{n}, as for a run's."""
    grid_id = make_grid(store)
    other = make_grid(store, "other-exp")
    first = store.add_grid_inference(grid_id, "width wins", "supported")

    # When the grid view edits it (no verdict key: the verdict stays), then refutes it
    response = await api(
        "grids", grid_id, "inferences", first.id, method="PATCH",
        body=json.dumps({"text": "width wins a little"}),
    )  # fmt: skip
    assert response.code == 200
    edited = json.loads(response.body)
    assert (edited["text"], edited["verdict"], edited["id"]) == (
        "width wins a little", "supported", first.id,
    )  # fmt: skip
    assert edited["edited"] is not None
    await api(
        "grids", grid_id, "inferences", first.id, method="PATCH",
        body=json.dumps({"text": "width does not matter", "verdict": "refuted"}),
    )  # fmt: skip
    grid = await get_json("grids", grid_id)
    assert [(i["text"], i["verdict"]) for i in grid["inferences"]] == [
        ("width does not matter", "refuted")
    ]
    assert [(v["text"], v["verdict"], v["action"]) for v in grid["inference_history"]] == [
        ("width wins", "supported", "edited"),
        ("width wins a little", "supported", "edited"),
    ]

    # Then a bad edit, another grid's URL or an unknown id change nothing
    for method, target, body, code in [
        ("PATCH", (grid_id, first.id), {"text": " "}, 400),
        ("PATCH", (grid_id, first.id), {"text": "x", "verdict": "proven"}, 400),
        ("PATCH", (other, first.id), {"text": "x"}, 404),
        ("DELETE", (grid_id, first.id + 7), None, 404),
        ("DELETE", (grid_id, "x1"), None, 404),
    ]:
        response = await api(
            "grids", target[0], "inferences", target[1], method=method,
            body=None if body is None else json.dumps(body),
        )  # fmt: skip
        assert response.code == code, (method, target)
        if code == 404:
            assert f"no inference {target[1]} on grid #{target[0]}" in error_of(response)["message"]
    assert [i.text for i in store.get_grid(grid_id).inferences] == ["width does not matter"]

    # When it is deleted, the grid has none, the listing knows, and every version is kept
    response = await api("grids", grid_id, "inferences", first.id, method="DELETE")
    assert response.code == 200
    assert json.loads(response.body)["action"] == "deleted"
    grid = await get_json("grids", grid_id)
    assert grid["inferences"] == []
    assert [v["action"] for v in grid["inference_history"]] == ["edited", "edited", "deleted"]
    assert grid["inference_history"][-1]["text"] == "width does not matter"
    listed = [g for g in (await get_json("grids"))["grids"] if g["id"] == grid_id]
    assert listed[0]["inference"] is None and listed[0]["inference_count"] == 0
