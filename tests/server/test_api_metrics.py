"""GET runs/{id}/metrics: every series, down-sampled to the budget, shape kept."""

from __future__ import annotations

import math

import pytest

from nbjournal.store import MetricPoint, Store

from .helpers import error_of, make_run

N = 100_000


def batch_loss(step: int) -> float:
    """A decaying, wiggling loss with one spike and one dip that a chart must show."""
    if step == 61_234:
        return 50.0
    if step == 87_001:
        return -3.0
    return 2.0 * math.exp(-step / 20_000) + 0.05 * math.sin(step / 50)


async def test_long_series_is_down_sampled_keeping_its_shape(store: Store, get_json) -> None:
    # Given a run with 100,000 batch points and 30 epochs
    run_id = make_run(store, epochs={"val_loss": [1.0 / (e + 1) for e in range(30)]})
    store.add_points(
        run_id,
        [
            MetricPoint("loss", batch_loss(s), step=s, kind="batch", epoch=s // 3334)
            for s in range(N)
        ],
    )

    # When the chart asks for at most 1000 points
    body = await get_json("runs", run_id, "metrics", max_points=1000)

    # Then each series is there once, the long one reduced, its shape kept
    assert body["run_id"] == run_id
    series = {(s["name"], s["kind"]): s for s in body["series"]}
    assert set(series) == {("loss", "batch"), ("val_loss", "epoch")}
    loss = series[("loss", "batch")]
    assert loss["total"] == N
    assert loss["part"] == 0
    points = loss["points"]
    assert 900 <= len(points) <= 1000
    steps = [p[0] for p in points]
    assert steps == sorted(set(steps))
    assert points[0] == [0, 0, batch_loss(0)]
    assert points[-1] == [N - 1, (N - 1) // 3334, batch_loss(N - 1)]
    assert [61_234, 61_234 // 3334, 50.0] in points  # the spike
    assert [87_001, 87_001 // 3334, -3.0] in points  # the dip
    assert all(p[2] == batch_loss(p[0]) for p in points)  # real points, not averages
    epochs = series[("val_loss", "epoch")]
    assert epochs["total"] == 30
    assert [p[2] for p in epochs["points"]] == [1.0 / (e + 1) for e in range(30)]


async def test_default_budget_is_a_thousand_points(store: Store, get_json) -> None:
    # Given a series longer than the default budget
    run_id = make_run(store)
    store.add_points(
        run_id, [MetricPoint("loss", float(s % 7), s, kind="batch") for s in range(5000)]
    )

    # When no max_points is given
    body = await get_json("runs", run_id, "metrics")

    # Then at most 1000 points come back
    (loss,) = body["series"]
    assert loss["total"] == 5000
    assert 2 < len(loss["points"]) <= 1000


async def test_each_part_is_its_own_series(store: Store, get_json) -> None:
    # Given a cell that called fit twice (two parts), steps restarting at 0
    run_id = make_run(store)
    store.add_points(
        run_id,
        [MetricPoint("loss", 1.0 - e / 10, e, "epoch", e, part=0) for e in range(5)]
        + [MetricPoint("loss", 0.5 - e / 100, e, "epoch", e, part=1) for e in range(3)],
    )

    # When the chart reads the metrics
    body = await get_json("runs", run_id, "metrics")

    # Then the parts are not mixed
    parts = {s["part"]: s for s in body["series"]}
    assert parts[0]["points"] == [[e, e, 1.0 - e / 10] for e in range(5)]
    assert parts[1]["points"] == [[e, e, 0.5 - e / 100] for e in range(3)]


async def test_final_values_and_gaps(store: Store, get_json) -> None:
    # Given a run with a NaN epoch and a final test score
    run_id = make_run(store, epochs={"loss": [1.0, math.nan, 0.5]})
    store.add_points(run_id, [MetricPoint("test_accuracy", 0.97, 0, kind="value")])

    # When its metrics are read
    body = await get_json("runs", run_id, "metrics")

    # Then the NaN is a null (a gap) and the final value is a one-point series
    series = {s["name"]: s for s in body["series"]}
    assert [p[2] for p in series["loss"]["points"]] == [1.0, None, 0.5]
    assert series["test_accuracy"]["kind"] == "value"
    assert series["test_accuracy"]["points"] == [[0, None, 0.97]]


async def test_a_run_without_metrics_has_no_series(store: Store, get_json) -> None:
    # Given a run that has just started
    run_id = make_run(store, status="running")

    # When its metrics are read
    body = await get_json("runs", run_id, "metrics")

    # Then there are none, and no error
    assert body == {"run_id": run_id, "series": []}


@pytest.mark.parametrize("max_points", ["many", "1", "0", "-5", "1.5"])
async def test_bad_max_points_is_refused(store: Store, api, max_points: str) -> None:
    # Given a run with metrics
    run_id = make_run(store, epochs={"loss": [1.0, 0.5]})

    # When max_points is not a usable budget
    response = await api("runs", run_id, "metrics", params={"max_points": max_points})

    # Then 400 says so
    assert response.code == 400
    assert "max_points" in error_of(response)["message"]


async def test_metrics_of_an_unknown_run_is_404(store: Store, api) -> None:
    # Given an empty journal
    # When the metrics of run 7 are asked for
    response = await api("runs", 7, "metrics")

    # Then 404
    assert response.code == 404
    assert "no run #7" in error_of(response)["message"]
