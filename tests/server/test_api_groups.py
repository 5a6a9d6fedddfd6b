"""GET experiments/{name}/groups: the page's "group by" — runs grouped by chosen parameters
(by configuration when none), every metric's mean and 95 % interval, the query applied."""

from __future__ import annotations

import json
import uuid

import numpy as np
import pytest
from scipy import stats

from nbjournal.store import MetricPoint, Store

#: val_accuracy planted per (lr, units) for seeds 0..3; loss = 1 − accuracy + 0.05
PLANTED = {
    (0.01, 32): [0.90, 0.91, 0.92, 0.93],
    (0.01, 64): [0.94, 0.95, 0.95, 0.96],
    (0.001, 32): [0.80, 0.82, 0.81, 0.83],
    (0.001, 64): [0.84, 0.85, 0.86, 0.85],
}


def _run(store: Store, params: dict, accuracy: float | None, status: str = "finished") -> int:
    run_id = store.create_run(experiment="g", fingerprint=uuid.uuid4().hex, params=params)
    if accuracy is not None:
        store.add_points(run_id, [
            MetricPoint("val_accuracy", accuracy, 0, "epoch", 0),
            MetricPoint("loss", 1 - accuracy + 0.05, 0, "epoch", 0),
        ])  # fmt: skip
    store.finish_run(run_id, status)
    return run_id


@pytest.fixture
def planted(store: Store) -> dict[tuple[float, int], list[int]]:
    ids = {}
    for (lr, units), values in PLANTED.items():
        ids[lr, units] = [
            _run(store, {"lr": lr, "units": units, "seed": seed}, value)
            for seed, value in enumerate(values)
        ]
    _run(store, {"lr": 0.01, "units": 32, "seed": 9}, None, "failed")  # never counted
    return ids


def _interval(values: list[float]) -> tuple[float, float]:
    mean, sem = float(np.mean(values)), stats.sem(values)
    half = float(stats.t.ppf(0.975, len(values) - 1)) * sem
    return mean - half, mean + half


async def test_grouped_by_a_parameter_every_metric_has_its_mean_and_interval(
    planted, get_json
) -> None:
    body = await get_json("experiments", "g", "groups", by="lr")

    assert body["by"] == ["lr"] and body["metric"] == "val_accuracy" and body["runs"] == 16
    best, other = body["groups"]
    assert best["params"] == {"lr": 0.01} and other["params"] == {"lr": 0.001}
    assert best["n"] == 8 and best["runs"] == planted[0.01, 32] + planted[0.01, 64]
    values = PLANTED[0.01, 32] + PLANTED[0.01, 64]
    accuracy = best["metrics"]["val_accuracy"]
    assert accuracy["mean"] == pytest.approx(np.mean(values))
    assert (accuracy["low"], accuracy["high"]) == pytest.approx(_interval(values))
    loss = best["metrics"]["loss"]  # every metric, not only the key one
    assert loss["mean"] == pytest.approx(1.05 - np.mean(values))
    assert (loss["low"], loss["high"]) == pytest.approx(_interval([1.05 - v for v in values]))
    assert (best["verdict"], other["verdict"]) == ("best", "better")
    json.dumps(body, allow_nan=False)


async def test_the_query_narrows_the_runs_before_they_are_grouped(planted, api) -> None:
    response = await api(
        "experiments", "g", "groups", params=[("by", "lr,units"), ("q", "units=64")]
    )
    body = json.loads(response.body)

    assert response.code == 200 and body["runs"] == 8
    assert [g["params"] for g in body["groups"]] == [
        {"lr": 0.01, "units": 64},
        {"lr": 0.001, "units": 64},
    ]
    assert [g["n"] for g in body["groups"]] == [4, 4]
    # the same as by=lr&by=units
    again = await api("experiments", "g", "groups", params=[("by", "lr"), ("by", "units"),
                                                            ("q", "units=64")])  # fmt: skip
    assert json.loads(again.body) == body


async def test_without_parameters_it_groups_by_configuration(planted, get_json) -> None:
    body = await get_json("experiments", "g", "groups")
    configurations = await get_json("experiments", "g", "configurations")

    assert body["by"] == []
    assert [g["runs"] for g in body["groups"]] == [
        c["runs"] for c in configurations["configurations"]
    ]
    assert body["groups"][0]["seeds"] == [0, 1, 2, 3]
    assert body["groups"][0]["params"]["units"] == 64


async def test_bad_groupings_are_one_line_400s(planted, api) -> None:
    cases = {
        (("by", "learning_rate"),): "no run has the parameter 'learning_rate'; the runs have: lr",
        (("by", ",".join(f"p{i}" for i in range(9))),): "group by at most 8 parameters, not 9",
        (("by", "lr"), ("q", "units>abc")): "units>abc",
    }
    for params, message in cases.items():
        response = await api("experiments", "g", "groups", params=list(params))
        assert response.code == 400, params
        text = json.loads(response.body)["message"]
        assert message in text and "\n" not in text
    missing = await api("experiments", "nope", "groups", params={"by": "lr"})
    assert missing.code == 404


async def test_values_of_every_kind_group_as_their_json_says(store: Store, get_json) -> None:
    """A list (flat parameters hold it as its text), a boolean beside a number, null beside
    a missing value, 2 beside 2.0, and a name only the whole document can spell (read the
    slow way): grouped as before."""
    for params, accuracy in (
        ({"λ": 1, "layers": [64, 32], "flag": True}, 0.9),
        ({"λ": 1, "layers": [64, 32], "flag": 1}, 0.8),
        ({"λ": 2.0, "layers": [64], "flag": None}, 0.7),
        ({"λ": 2, "layers": [64]}, 0.6),
    ):
        run_id = store.create_run(experiment="k", fingerprint=uuid.uuid4().hex, params=params)
        store.add_points(run_id, [MetricPoint("val_accuracy", accuracy, 0, "epoch", 0)])
        store.finish_run(run_id, "finished")

    body = await get_json("experiments", "k", "groups", by="layers,flag")
    assert [(g["params"], g["n"]) for g in body["groups"]] == [
        ({"layers": "[64,32]", "flag": True}, 1),
        ({"layers": "[64,32]", "flag": 1}, 1),
        ({"layers": "[64]", "flag": None}, 2),
    ]
    assert isinstance(body["groups"][0]["params"]["flag"], bool)
    body = await get_json("experiments", "k", "groups", by="λ")
    assert [(g["params"], g["n"]) for g in body["groups"]] == [
        ({"λ": 1}, 2),
        ({"λ": 2.0}, 1),
        ({"λ": 2}, 1),
    ]
    assert [type(g["params"]["λ"]) for g in body["groups"]] == [int, float, int]


async def test_the_best_groups_by_mean_come_back_first_with_how_many_there_are(
    planted, store: Store, api, get_json
) -> None:
    """At most ``limit`` groups by the key metric's mean, best first (or either way asked),
    a group without the metric last either way, ``total`` counting every group."""
    _run(store, {"lr": 0.1, "units": 8, "seed": 0}, None)  # finished, no metric
    means = {k: float(np.mean(v)) for k, v in PLANTED.items()}
    by_mean = sorted(PLANTED, key=lambda k: -means[k])
    params = [("by", "lr,units")]

    def keys(body: dict) -> list[tuple[float, int]]:
        return [(g["params"]["lr"], g["params"]["units"]) for g in body["groups"]]

    best = json.loads(
        (await api("experiments", "g", "groups", params=[*params, ("limit", "2")])).body
    )
    assert keys(best) == by_mean[:2] and best["total"] == 5 and best["runs"] == 17
    assert (best["order"], best["best_first"]) == ("desc", True)
    assert [g["metrics"]["val_accuracy"]["mean"] for g in best["groups"]] == pytest.approx(
        [means[k] for k in by_mean[:2]]
    )
    worst = json.loads(
        (await api("experiments", "g", "groups", params=[*params, ("order", "asc")])).body
    )
    assert keys(worst) == [*by_mean[::-1], (0.1, 8)] and worst["total"] == 5
    assert (worst["order"], worst["best_first"]) == ("asc", False)
    assert keys(await get_json("experiments", "g", "groups", by="lr,units", order="desc")) == [
        *by_mean,
        (0.1, 8),
    ]
    # a metric to minimise: best first is lowest first
    loss = await get_json("experiments", "g", "groups", by="lr,units", metric="loss", limit=3)
    assert keys(loss) == by_mean[:3] and (loss["order"], loss["best_first"]) == ("asc", True)
    for bad, message in ((("limit", "501"), "between 1 and 500"), (("order", "up"), "'asc' or")):
        response = await api("experiments", "g", "groups", params=[*params, bad])
        assert response.code == 400 and message in json.loads(response.body)["message"]


async def test_more_configurations_than_the_cap_list_the_best_500(store: Store, get_json) -> None:
    """Every run its own configuration (no repeats): the best 500 of 520 by mean, in order."""
    accuracy = {units: 0.5 + ((units * 7919) % 520) / 1040 for units in range(520)}
    for units, value in accuracy.items():
        _run(store, {"units": units, "seed": 0}, value)

    body = await get_json("experiments", "g", "groups")

    assert body["total"] == 520 and body["runs"] == 520 and len(body["groups"]) == 500
    best = sorted(accuracy, key=lambda u: -accuracy[u])[:500]
    assert [g["params"]["units"] for g in body["groups"]] == best
    assert body["groups"][0]["verdict"] == "best"
