"""GET curves: one metric's curve of many runs in one request, bounded, down-sampled."""

from __future__ import annotations

import json

from nbjournal.server.overlay import MAX_CURVE_RUNS
from nbjournal.store import MetricPoint, Store

from .helpers import error_of, make_run


def planted(run: int, epoch: int) -> float:
    """A loss that differs per run, so a mixed-up curve shows."""
    return round(2.0 / (epoch + 1) + run / 100, 6)


async def test_curves_of_several_runs_in_the_order_asked(store: Store, get_json) -> None:
    # Given three runs with 30 epochs of val_loss and one without any
    ids = [make_run(store, hypothesis=f"h{i}") for i in range(3)]
    for run in ids:
        store.add_points(run, [MetricPoint("val_loss", planted(run, e), step=e, kind="epoch",
                                           epoch=e) for e in range(30)])  # fmt: skip
    bare = make_run(store, hypothesis="bare")

    # When the overlay asks for them, newest first, with a budget of 10 points
    body = await get_json(
        "curves", runs=",".join(map(str, [ids[2], bare, ids[0], ids[1]])), metric="val_loss",
        max_points=10,
    )  # fmt: skip

    # Then each run has its own curve, in the order asked, reduced to the budget
    assert body["metric"] == "val_loss" and body["kind"] == "epoch" and body["max_points"] == 10
    assert [c["run_id"] for c in body["curves"]] == [ids[2], bare, ids[0], ids[1]]
    for curve in body["curves"]:
        if curve["run_id"] == bare:
            assert curve == {"run_id": bare, "total": 0, "points": []}
            continue
        assert curve["total"] == 30
        points = curve["points"]
        assert 2 < len(points) <= 10
        assert points[0][:2] == [0, 0] and points[-1][:2] == [29, 29]  # the ends kept
        for step, epoch, since, value in points:
            assert step == epoch
            assert value == planted(curve["run_id"], epoch)  # real points, not averages
            assert since is not None and since >= 0.0  # seconds since the run started


async def test_a_logged_metric_is_drawn_by_its_steps(store: Store, get_json) -> None:
    # Given a metric logged with log_metric (kind "value") at steps 0, 10, 20
    run = make_run(store)
    store.add_points(run, [MetricPoint("score", 0.5 + s / 100, step=s, kind="value") for s in
                           (0, 10, 20)])  # fmt: skip

    # When asked without a kind, Then the logged series is found
    body = await get_json("curves", runs=str(run), metric="score")
    assert body["kind"] == "value"
    assert [p[0] for p in body["curves"][0]["points"]] == [0, 10, 20]
    assert [p[3] for p in body["curves"][0]["points"]] == [0.5, 0.6, 0.7]


async def test_bounds_and_bad_requests_are_one_line(store: Store, api) -> None:
    run = make_run(store, epochs={"loss": [1.0, 0.5]})
    too_many = ",".join(str(run + i) for i in range(MAX_CURVE_RUNS + 1))
    cases = {
        (too_many, "loss", None): (400, f"at most {MAX_CURVE_RUNS} runs at once, not 51"),
        ("", "loss", None): (400, "needs runs="),
        ("1,x", "loss", None): (400, "runs must be run ids"),
        (str(run), None, None): (400, "needs metric="),
        (str(run), "loss", "5000"): (400, "max_points must be between 2 and 1000, not 5000"),
        (str(run), "loss", "1"): (400, "max_points must be between 2 and 1000"),
        (f"{run},{run + 999}", "loss", None): (404, f"no run #{run + 999}"),
    }
    for (runs, metric, max_points), (code, message) in cases.items():
        params = {"runs": runs, **({"metric": metric} if metric else {}),
                  **({"max_points": max_points} if max_points else {})}  # fmt: skip
        response = await api("curves", params=params)
        assert response.code == code, (params, response.body)
        text = error_of(response)["message"]
        assert message in text and "\n" not in text
    response = await api("curves", params={"runs": str(run), "metric": "loss", "kind": "batch"})
    assert response.code == 400
    assert "kind must be one of epoch, value, not 'batch'" in error_of(response)["message"]


async def test_curves_need_the_token(store: Store, jp_fetch) -> None:
    run = make_run(store, epochs={"loss": [1.0, 0.5]})
    response = await jp_fetch(
        "nbjournal", "api", "curves", params={"runs": str(run), "metric": "loss"},
        headers={"Authorization": "token not-the-token"}, raise_error=False,
    )  # fmt: skip
    assert response.code in (401, 403)
    assert "points" not in json.loads(response.body or b"{}")
