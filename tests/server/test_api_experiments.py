"""GET experiments: the sidebar's top level."""

from __future__ import annotations

from nbjournal.store import Store

from .helpers import make_run


async def test_experiments_with_counts_best_metric_and_activity(store: Store, get_json) -> None:
    # Given two experiments; the CNN one was active last and has a live run
    make_run(store, "digits-mlp", epochs={"val_accuracy": [0.90, 0.93]})
    strong = make_run(store, "digits-mlp", epochs={"val_accuracy": [0.95, 0.97, 0.96]})
    make_run(store, "digits-cnn", status="running", epochs={"val_loss": [0.8, 0.6]})

    # When the sidebar opens
    body = await get_json("experiments")

    # Then each experiment is summarised, newest activity first
    names = [e["name"] for e in body["experiments"]]
    assert names == ["digits-cnn", "digits-mlp"]
    cnn, mlp = body["experiments"]
    assert set(mlp) == {
        "name", "runs", "running", "last_activity", "best_metric", "best_value", "best_run",
    }  # fmt: skip
    assert (mlp["runs"], mlp["running"]) == (2, 0)
    assert (mlp["best_metric"], mlp["best_value"], mlp["best_run"]) == (
        "val_accuracy",
        0.97,
        strong,
    )
    assert (cnn["runs"], cnn["running"]) == (1, 1)
    assert (cnn["best_metric"], cnn["best_value"]) == ("val_loss", 0.6)
    assert cnn["last_activity"] >= mlp["last_activity"]


async def test_an_empty_journal_has_no_experiments(store: Store, get_json) -> None:
    # Given an empty journal, When the sidebar opens, Then it is told so plainly
    assert await get_json("experiments") == {"experiments": []}
