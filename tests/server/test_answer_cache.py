"""Insights and groups kept while what they read is unchanged, computed anew after any change
to it: a run of the experiment added, tagged, trashed or restored, an inference added, edited
or deleted (what the page shows must never be an older journal's answer)."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
from analysis.synthetic import lr_drives, sweep  # tests/analysis, on the path as a package

from nbjournal.server import endpoints
from nbjournal.store import MetricPoint, Store

#: val_accuracy planted per lr, one run a seed
PLANTED = {0.01: [0.90, 0.92, 0.94], 0.001: [0.80, 0.81, 0.82]}


def _run(store: Store, experiment: str, params: dict, accuracy: float) -> int:
    run_id = store.create_run(experiment=experiment, fingerprint=uuid.uuid4().hex, params=params)
    store.add_points(run_id, [MetricPoint("val_accuracy", accuracy, 0, "epoch", 0)])
    store.finish_run(run_id, "finished")
    return run_id


def _groups(store: Store, q: str | None = None) -> dict:
    return endpoints.groups(store, "g", ["lr"], q, None)


def _by_lr(answer: dict) -> dict[float, tuple[int, float]]:
    return {
        g["params"]["lr"]: (g["n"], g["metrics"]["val_accuracy"]["mean"]) for g in answer["groups"]
    }


def test_groups_are_kept_until_a_run_is_added_tagged_trashed_or_restored(store: Store) -> None:
    # Given runs of two learning rates
    for lr, values in PLANTED.items():
        for seed, value in enumerate(values):
            _run(store, "g", {"lr": lr, "seed": seed}, value)
    first = _groups(store)
    assert _by_lr(first) == {
        0.01: (3, pytest.approx(0.92)), 0.001: (3, pytest.approx(0.81))
    }  # fmt: skip

    # Then asked again with nothing changed: the same answer, not computed again; nor
    # when another experiment's run records its points
    assert _groups(store) is first
    elsewhere = store.create_run(experiment="other", fingerprint=uuid.uuid4().hex, params={})
    store.add_points(elsewhere, [MetricPoint("val_accuracy", 0.5, 0, "epoch", 0)])
    assert _groups(store) is first

    # When a run is added: it is counted
    added = _run(store, "g", {"lr": 0.001, "seed": 3}, 0.85)
    assert _by_lr(_groups(store))[0.001] == (4, pytest.approx(0.82))

    # When it is tagged: a query on the tag finds it
    store.edit_tags(added, add=["late"])
    assert _by_lr(_groups(store, "#late")) == {0.001: (1, pytest.approx(0.85))}

    # When it goes to the trash, and comes back
    store.trash([added])
    assert _by_lr(_groups(store))[0.001] == (3, pytest.approx(0.81))
    store.restore([added])
    assert _by_lr(_groups(store))[0.001] == (4, pytest.approx(0.82))


def test_insights_are_kept_until_a_run_or_a_conclusion_changes(store: Store) -> None:
    def insights() -> dict:
        return endpoints.insights(store, "lr", same_data=False, metric=None, suggestions=2)

    # Given a sweep where lr matters
    ids = sweep(store, "lr", 20, lr_drives, seed=np.int64(5).item())
    first = insights()
    assert first["runs"] == 20 and first["conclusions"] == []
    assert insights() is first

    # When a conclusion is recorded, then edited, then withdrawn
    inference = store.add_inference(ids[0], "lr too small", "refuted")
    assert [c["text"] for c in insights()["conclusions"]] == ["lr too small"]
    store.edit_inference(inference.id, "lr far too small")
    assert [c["text"] for c in insights()["conclusions"]] == ["lr far too small"]
    store.delete_inference(inference.id)
    assert insights()["conclusions"] == []

    # When a run goes to the trash: insights no longer count it
    store.trash([ids[1]])
    assert insights()["runs"] == 19


def test_a_journal_replaced_under_the_same_url_is_read_afresh(store: Store) -> None:
    import secrets

    from browser.journal_data import bulk_sweep  # tests/browser: rows written around the store

    from nbjournal.analysis.grouping import group_by
    from nbjournal.store import schema

    # Given a sweep grouped once
    bulk_sweep(store, "s", 40, seed=1)
    before = endpoints.groups(store, "s", ["act"], None, None)

    # When every row is replaced by another sweep of as many runs, with the same ids (as
    # the browser tests empty their shared journal), under a new journal id
    with store.engine.begin() as connection:
        for table in (schema.inferences, schema.latest_metrics, schema.runs):
            connection.execute(table.delete())
        connection.execute(
            schema.journal_meta.update()
            .where(schema.journal_meta.c.key == "id")
            .values(value=secrets.token_hex(16))
        )
    bulk_sweep(store, "s", 40, seed=2)

    # Then the groups are the new sweep's
    after = endpoints.groups(store, "s", ["act"], None, None)
    fresh = group_by(store, "s", ["act"])
    assert after is not before and after["runs"] == 40
    assert [g["runs"] for g in after["groups"]] == [list(g.run_ids) for g in fresh.groups]
    assert after["groups"] != before["groups"]


def test_an_answer_is_computed_with_the_cycle_collector_held_off_then_as_it_was(
    store: Store,
) -> None:
    import gc

    from nbjournal.server.answer_cache import forget, kept

    seen: list[bool] = []

    def compute() -> int:
        seen.append(gc.isenabled())
        return 1

    def failing() -> int:
        raise ValueError("no answer")

    assert gc.isenabled()
    assert kept(store, ("gc", 1), compute, None) == 1
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ValueError):
        kept(store, ("gc", 2), failing, None)
    assert gc.isenabled()
    # a collector someone turned off stays off
    gc.disable()
    try:
        kept(store, ("gc", 3), compute, None)
        assert not gc.isenabled()
    finally:
        gc.enable()
        forget()
