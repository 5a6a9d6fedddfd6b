"""GET runs and GET runs/{id}: listing, paging, filters, search, the whole run."""

from __future__ import annotations

import json
import math

import pytest

from nbjournal.store import Store

from .helpers import error_of, make_run

SUMMARY_FIELDS = {
    "id", "experiment", "status", "started", "ended", "duration", "updated", "hypothesis",
    "tags", "repeat_of", "notebook", "fingerprint", "params", "metrics", "key_metric",
    "inference", "inference_count", "verdict", "points_pending", "error_summary", "deleted_at",
    "grid_inference",
}  # fmt: skip
RUN_FIELDS = SUMMARY_FIELDS | {
    "code", "full_params", "data", "env", "diagnoses", "checks", "error",
    "inferences", "inference_history", "nearest", "data_fingerprint", "artifacts", "procedure",
}  # fmt: skip


async def test_lists_runs_newest_first_as_run_summaries(store: Store, get_json) -> None:
    # Given two runs, the second with metrics, parameters and a conclusion
    first = make_run(store, "logreg", hypothesis="a linear model is enough")
    second = make_run(
        store,
        hypothesis="one hidden layer beats logistic regression",
        tags=["baseline"],
        params={"units": 64, "optimizer": {"class": "Adam", "learning_rate": 1e-3}},
        epochs={"val_accuracy": [0.9, 0.97, 0.95], "loss": [1.0, 0.5, 0.4]},
        inference="depth is not the bottleneck",
        verdict="supported",
    )

    # When the sidebar lists runs
    body = await get_json("runs")

    # Then they come newest first, with exactly the contract's fields
    assert [r["id"] for r in body["runs"]] == [second, first]
    assert body["next_cursor"] is None
    summary = body["runs"][0]
    assert set(summary) == SUMMARY_FIELDS
    assert summary["experiment"] == "digits-mlp"
    assert summary["status"] == "finished"
    assert summary["tags"] == ["baseline"]
    assert summary["params"] == {
        "units": 64, "optimizer.class": "Adam", "optimizer.learning_rate": 0.001,
    }  # fmt: skip
    assert summary["metrics"]["val_accuracy"] == {
        "last": 0.95, "last_epoch": 2, "best": 0.97, "best_epoch": 1, "goal": "max", "count": 3,
    }  # fmt: skip
    assert summary["key_metric"] == "val_accuracy"
    assert summary["duration"] == pytest.approx(summary["ended"] - summary["started"])
    assert summary["inference"]["text"] == "depth is not the bottleneck"
    assert summary["inference"]["verdict"] == "supported"
    assert summary["inference"]["run_id"] == second
    assert summary["inference_count"] == 1
    assert body["runs"][1]["inference"] is None


async def test_pages_through_every_run_once_with_the_cursor(store: Store, get_json) -> None:
    # Given 23 runs
    created = [make_run(store, f"exp-{i % 3}") for i in range(23)]

    # When the client follows next_cursor with pages of 5
    seen: list[int] = []
    pages = 0
    cursor = None
    while True:
        params = {"limit": 5} if cursor is None else {"limit": 5, "cursor": cursor}
        body = await get_json("runs", **params)
        pages += 1
        assert len(body["runs"]) <= 5
        seen += [r["id"] for r in body["runs"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert cursor == body["runs"][-1]["id"]

    # Then it saw every run exactly once, newest first, in five pages
    assert seen == sorted(created, reverse=True)
    assert pages == 5


async def test_a_full_last_page_has_no_next_cursor(store: Store, get_json) -> None:
    # Given exactly one page of runs
    for _ in range(4):
        make_run(store)

    # When the client asks for a page of that size
    body = await get_json("runs", limit=4)

    # Then it is told there is nothing more (no empty page to fetch)
    assert len(body["runs"]) == 4
    assert body["next_cursor"] is None


async def test_default_page_is_fifty_runs(store: Store, get_json) -> None:
    # Given more runs than a default page
    for _ in range(51):
        make_run(store)

    # When the client gives no limit
    body = await get_json("runs")

    # Then it gets 50 and a cursor to the rest
    assert len(body["runs"]) == 50
    assert body["next_cursor"] == body["runs"][-1]["id"]


async def test_filters_by_experiment_status_and_tag(store: Store, get_json) -> None:
    # Given runs of two experiments, statuses and tags
    mlp_done = make_run(store, "digits-mlp", tags=["baseline"])
    mlp_failed = make_run(store, "digits-mlp", status="failed", tags=["wide"])
    cnn_running = make_run(store, "digits-cnn", status="running", tags=["baseline"])

    # When each filter is applied, Then only the matching runs come back
    async def ids(**params: str) -> list[int]:
        return [r["id"] for r in (await get_json("runs", **params))["runs"]]

    assert await ids(experiment="digits-mlp") == [mlp_failed, mlp_done]
    assert await ids(status="failed") == [mlp_failed]
    assert await ids(status="running") == [cnn_running]
    assert await ids(tag="baseline") == [cnn_running, mlp_done]
    assert await ids(experiment="digits-mlp", tag="baseline") == [mlp_done]
    assert await ids(experiment="no-such-experiment") == []
    assert await ids(experiment="") == [cnn_running, mlp_failed, mlp_done]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cnn", "by_name"),
        ("BATCH NORM", "by_hypothesis"),
        ("learning rate too high", "by_inference"),
        ("ablation", "by_tag"),
        ("50%", "by_percent"),
    ],
)
async def test_search_matches_name_hypothesis_inference_and_tag(
    store: Store, get_json, q: str, expected: str
) -> None:
    # Given runs that each hold the word in one place only
    runs = {
        "by_name": make_run(store, "digits-cnn"),
        "by_hypothesis": make_run(store, hypothesis="batch norm speeds up training"),
        "by_inference": make_run(store, inference="the learning rate too high: it diverged"),
        "by_tag": make_run(store, tags=["ablation"]),
        "by_percent": make_run(store, hypothesis="dropout of 50% regularises"),
        "none": make_run(store, hypothesis="nothing to see", tags=["x"]),
    }

    # When the sidebar searches
    body = await get_json("runs", q=q)

    # Then only the run holding it is found (case-insensitively, literally)
    assert [r["id"] for r in body["runs"]] == [runs[expected]]


async def test_search_pages_with_the_cursor_too(store: Store, get_json) -> None:
    # Given matching runs interleaved with others
    matching = [make_run(store, hypothesis=f"deeper {i}") for i in range(7)]
    for _ in range(7):
        make_run(store, hypothesis="shallow")

    # When the search is paged by 3
    first = await get_json("runs", q="deeper", limit=3)
    second = await get_json("runs", q="deeper", limit=3, cursor=first["next_cursor"])
    third = await get_json("runs", q="deeper", limit=3, cursor=second["next_cursor"])

    # Then the pages hold the matches only, in order, and end
    found = [r["id"] for page in (first, second, third) for r in page["runs"]]
    assert found == sorted(matching, reverse=True)
    assert third["next_cursor"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "ten"},
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "-3"},
        {"limit": "2.5"},
        {"cursor": "abc"},
        {"cursor": "0"},
        {"cursor": "99999999999999999999999"},
        {"status": "exploded"},
    ],
)
async def test_bad_query_parameters_are_refused(store: Store, api, params: dict) -> None:
    # Given a journal with a run
    make_run(store)

    # When the query is malformed
    response = await api("runs", params=params)

    # Then the answer is 400 with a message naming the parameter
    assert response.code == 400
    name = next(iter(params))
    assert name in error_of(response)["message"]


async def test_limit_bounds_are_accepted(store: Store, get_json) -> None:
    # Given two runs
    make_run(store)
    newest = make_run(store)

    # When the client asks for the smallest and the largest page
    smallest = await get_json("runs", limit=1)
    largest = await get_json("runs", limit=500)

    # Then both are honoured
    assert [r["id"] for r in smallest["runs"]] == [newest]
    assert smallest["next_cursor"] == newest
    assert len(largest["runs"]) == 2


async def test_run_detail_is_the_whole_run(store: Store, get_json) -> None:
    # Given a run with everything a kernel records
    run_id = store.create_run(
        experiment="digits-mlp",
        fingerprint="9f2c",
        hypothesis="one hidden layer is enough",
        code="units = 64\n",
        params={"units": 64, "optimizer": {"class": "Adam"}},
        data=[{"name": "X_train", "kind": "array", "shape": [1437, 64], "hash": "xxh3:1"}],
        env={"python": "3.11.7", "git": {"commit": "3fcd897", "dirty": True}},
        tags=["baseline"],
        notebook="example_notebooks/01_quickstart.ipynb",
    )
    sorted_labels = {
        "name": "sorted-labels",
        "message": "the last 20 % of y (validation_split=0.2) holds only class 9 — shuffle",
        "evidence": {"validation_classes": [9], "missing": [0, 1]},
        "fit": 1,
    }
    store.update_run(
        run_id,
        diagnoses=[{"kind": "overfitting", "metric": "val_loss", "epoch": 12, "part": 0}],
        checks={
            "findings": [sorted_labels],
            "skipped": [{"name": "leakage", "reason": "x is a generator", "fit": 1}],
            "silenced": ["imbalance"],
        },
    )
    store.finish_run(run_id, "failed", error="ValueError: shapes do not match")
    first = store.add_inference(run_id, "the data was wrong", "refuted")
    second = store.add_inference(run_id, "fixed the shapes; try again", None)

    # When the run view opens it
    run = await get_json("runs", run_id)

    # Then every part of the run is there, under the contract's names
    assert set(run) == RUN_FIELDS
    assert run["id"] == run_id
    assert run["code"] == "units = 64\n"
    assert run["full_params"] == {"units": 64, "optimizer": {"class": "Adam"}}
    assert run["params"] == {"units": 64, "optimizer.class": "Adam"}
    assert run["data"][0]["shape"] == [1437, 64]
    assert run["env"]["git"] == {"commit": "3fcd897", "dirty": True}
    assert run["diagnoses"][0]["kind"] == "overfitting"
    assert run["checks"]["findings"] == [sorted_labels]
    assert run["checks"]["skipped"][0]["name"] == "leakage"
    assert run["checks"]["silenced"] == ["imbalance"]
    assert run["error"] == "ValueError: shapes do not match"
    assert run["error_summary"] == "ValueError: shapes do not match"
    assert run["status"] == "failed"
    assert run["notebook"] == "example_notebooks/01_quickstart.ipynb"
    assert [i["id"] for i in run["inferences"]] == [first.id, second.id]
    assert run["inferences"][0]["verdict"] == "refuted"
    assert run["inference"]["id"] == second.id
    assert run["inference_count"] == 2
    assert run["artifacts"] == []  # it failed: nothing saved


async def test_a_failed_run_in_the_list_says_why_in_one_line(store: Store, get_json) -> None:
    # Given a failed run beside a finished one
    failed = make_run(store, status="failed")
    make_run(store)

    # When the sidebar lists runs
    runs = {r["id"]: r for r in (await get_json("runs"))["runs"]}

    # Then the failed row carries the error's one-line summary, the finished one none
    assert runs[failed]["error_summary"] == "ValueError: boom"
    assert [r["error_summary"] for i, r in runs.items() if i != failed] == [None]


async def test_run_detail_lists_the_artifacts_its_cell_made(store: Store, get_json) -> None:
    # Given a finished run whose cell bound a model and an open file, and ended with a dict
    from nbjournal.store import Artifact

    run_id = store.create_run(experiment="digits-mlp", fingerprint="9f2c")
    store.finish_run(run_id, "finished")
    store.add_artifacts(
        run_id,
        [
            Artifact(run_id, "model", "keras", "keras.Sequential", 212_345, "5be1", extra={"position": 0}),
            Artifact(run_id, "stream", "none", "_io.TextIOWrapper", 0, None, "unsaveable",
                     "an open file", extra={"position": 1}),
            Artifact(run_id, "Out", "pickle", "dict", 52, "0c41", role="result", extra={"position": 2}),
        ],
    )  # fmt: skip

    # When the run view opens it
    run = await get_json("runs", run_id)

    # Then they are listed in the cell's order, the value last, with why one was not stored
    assert [(a["name"], a["role"], a["stored"]) for a in run["artifacts"]] == [
        ("model", "name", True),
        ("stream", "name", False),
        ("Out", "result", True),
    ]
    assert run["artifacts"][0] == {
        "name": "model", "role": "name", "type": "keras.Sequential", "kind": "keras",
        "size": 212_345, "hash": "5be1", "stored": True, "reason": None,
    }  # fmt: skip
    assert run["artifacts"][1]["reason"] == "an open file"


async def test_non_finite_metrics_are_null_not_invalid_json(store: Store, api) -> None:
    # Given a diverged run whose loss became NaN and then infinite
    run_id = make_run(store, epochs={"loss": [1.0, math.inf, math.nan]})

    # When it is listed and opened
    listing = await api("runs")
    detail = await api("runs", run_id)

    # Then the JSON is strict (no NaN/Infinity tokens) and those values are null
    for response in (listing, detail):
        text = response.body.decode()
        assert "NaN" not in text and "Infinity" not in text
        json.loads(text, parse_constant=lambda token: pytest.fail(f"{token} in JSON"))
    loss = json.loads(detail.body)["metrics"]["loss"]
    assert loss["last"] is None
    assert loss["best"] == 1.0


@pytest.mark.parametrize("run_id", ["999", "abc", "0", "-1", "2147483648", "9223372036854775808"])
async def test_unknown_run_is_404_with_a_message(store: Store, api, run_id: str) -> None:
    # Given a journal with one run
    make_run(store)

    # When a run that is not there is asked for
    response = await api("runs", run_id)

    # Then 404 names it
    assert response.code == 404
    assert f"no run #{run_id}" in error_of(response)["message"]


async def test_a_cursor_beyond_every_run_id_pages_from_the_newest(store: Store, get_json) -> None:
    make_run(store)
    page = await get_json("runs", cursor=str(2**40))
    assert [r["id"] for r in page["runs"]] == [1]


async def test_the_run_carries_only_documented_environment_fields(store: Store, get_json) -> None:
    run_id = store.create_run(
        experiment="e",
        fingerprint="f",
        env={"python": "3.11.7", "cwd": "/home/someone/secret-project"},
    )
    run = await get_json("runs", run_id)
    assert run["env"] == {"python": "3.11.7"}
    assert run["points_pending"] == 0
