"""GET compare?runs=… and experiments/{name}/configurations: the comparison rule over REST,
saying what %journal compare and Journal().configurations say (issue 20)."""

from __future__ import annotations

import json

import numpy as np
from analysis.synthetic import add_run  # tests/analysis, on the path as a package

from nbjournal import Journal
from nbjournal.store import Store


def _planted(store: Store) -> tuple[list[int], list[int]]:
    """units=64 beats units=32 by 10 noise widths, 4 seeds each."""
    rng = np.random.default_rng(5)
    low = [
        add_run(store, "w", {"units": 32, "seed": s}, 0.80 + rng.normal(0, 0.01)) for s in range(4)
    ]
    high = [
        add_run(store, "w", {"units": 64, "seed": s}, 0.90 + rng.normal(0, 0.01)) for s in range(4)
    ]
    return high, low


async def test_compare_of_repeats_says_what_the_notebook_says(store: Store, api) -> None:
    high, low = _planted(store)
    sides = [("runs", ",".join(map(str, high))), ("runs", ",".join(map(str, low)))]
    response = await api("compare", params=sides)  # one runs=… per side
    assert response.code == 200, response.body
    body = json.loads(response.body)
    expected = Journal(store.url).compare(high, low).comparison.result
    assert body["runs"] == [high, low] and body["metric"] == "val_accuracy"
    found = body["comparisons"][0]["metrics"]["val_accuracy"]
    assert found["verdict"] == expected.verdict == "better"
    assert found["n_a"] == found["n_b"] == 4
    assert found["interval"] == [expected.interval[0], expected.interval[1]]
    json.dumps(body, allow_nan=False)


async def test_compare_of_two_single_runs_borrows_noise(store: Store, get_json) -> None:
    high, low = _planted(store)
    body = await get_json("compare", runs=f"{high[0]},{low[0]}")
    found = body["comparisons"][0]["metrics"]["val_accuracy"]
    assert (found["n_a"], found["n_b"]) == (1, 1)
    assert found["borrowed"].startswith("configuration #")
    assert found["verdict"] not in ("better", "worse")  # never with fewer than 3 a side


async def test_bad_compare_requests_are_400_and_unknown_runs_404(store: Store, api) -> None:
    high, _ = _planted(store)
    for params in ({}, {"runs": str(high[0])}, {"runs": "a,b"}):
        response = await api("compare", params=params)
        assert response.code == 400, params
    missing = await api("compare", params={"runs": f"{high[0]},9999"})
    assert missing.code == 404


async def test_configurations_group_repeats_best_first(store: Store, get_json, api) -> None:
    high, low = _planted(store)
    body = await get_json("experiments/w/configurations")
    assert body["metric"] == "val_accuracy" and body["ranked_by"].startswith("ranked by")
    first, second = body["configurations"]
    assert (first["runs"], second["runs"]) == (high, low)
    assert first["params"] == {"units": 64} and first["n"] == 4
    spread = first["metrics"]["val_accuracy"]
    assert spread["low"] < spread["mean"] < spread["high"]
    assert first["seeds"] == [0, 1, 2, 3]
    # the rule's verdict of the best against each: 10 noise widths apart, 4 seeds a side
    assert (first["verdict"], second["verdict"]) == ("best", "better")
    json.dumps(body, allow_nan=False)
    assert (await api("experiments/nope/configurations")).code == 404


async def test_configurations_say_within_noise_when_repeats_overlap(store: Store, get_json) -> None:
    rng = np.random.default_rng(7)
    for units in (32, 64):
        for seed in range(5):
            add_run(store, "n", {"units": units, "seed": seed}, 0.85 + rng.normal(0, 0.01))
    body = await get_json("experiments/n/configurations")
    verdicts = [c["verdict"] for c in body["configurations"]]
    assert verdicts[0] == "best" and verdicts[1] == "within noise"


async def test_compare_groups_the_runs_given_into_their_repeats(
    store: Store, get_json, api
) -> None:
    high, low = _planted(store)
    mixed = [low[0], high[0], low[1], high[1], high[2], low[2], low[3], high[3]]
    body = await get_json("compare", runs=",".join(map(str, mixed)), group="repeats")
    # one side per configuration, in the order first given; repeats in the order given
    assert body["grouped"] is True
    assert body["runs"] == [[low[0], low[1], low[2], low[3]], [high[0], high[1], high[2], high[3]]]
    found = body["comparisons"][0]["metrics"]["val_accuracy"]
    assert (found["n_a"], found["n_b"]) == (4, 4) and found["verdict"] == "worse"
    expected = Journal(store.url).compare(low, high).comparison
    side = body["sides"][0]["metrics"]["val_accuracy"]
    spread = expected.spreads[0]["val_accuracy"]
    assert side == {
        "n": 4,
        "mean": spread.mean,
        "std": spread.std,
        "low": spread.low,
        "high": spread.high,
    }
    assert side["low"] < side["mean"] < side["high"]
    json.dumps(body, allow_nan=False)
    # runs of one configuration stay a side each; a single run a side has no interval
    alike = await get_json("compare", runs=f"{high[0]},{high[1]}", group="repeats")
    assert alike["runs"] == [[high[0]], [high[1]]] and alike["grouped"] is False
    assert alike["sides"][0]["metrics"]["val_accuracy"]["low"] is None
    # without group=repeats the runs are compared one by one
    plain = await get_json("compare", runs=f"{low[0]},{high[0]},{low[1]}")
    assert plain["runs"] == [[low[0]], [high[0]], [low[1]]] and plain["grouped"] is False
    bad = await api("compare", params={"runs": f"{low[0]},{high[0]}", "group": "seeds"})
    assert bad.code == 400 and b"group must be 'repeats'" in bad.body
