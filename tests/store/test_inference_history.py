"""Editing and deleting an inference keeps what it said (issue 22.8), on both backends."""

from __future__ import annotations

import pytest

from nbjournal.errors import BadInput, UnknownInference
from nbjournal.store import Store
from nbjournal.store.inference_edits import KEEP


def test_an_edit_keeps_the_old_version_and_moves_the_runs_verdict(store: Store) -> None:
    # Given a run concluded "supported"
    run_id = store.create_run(experiment="e", fingerprint="f1")
    first = store.add_inference(run_id, "depth helps", "supported")
    token, _ = store.changes(None)

    # When the conclusion is edited to "refuted"
    edited = store.edit_inference(first.id, "depth does not help after all", "refuted")

    # Then the run says the new text and verdict, everywhere the verdict is read
    run = store.get_run(run_id)
    assert [(i.id, i.text, i.verdict) for i in run.inferences] == [
        (first.id, "depth does not help after all", "refuted")
    ]
    assert run.verdict == "refuted" and edited.edited is not None
    assert store.list_runs(experiment="e")[0].verdict == "refuted"
    assert [r.id for r in store.changes(token)[1]] == [run_id]
    # and the old version is kept, as it was written
    [old] = run.inference_history
    assert (old.inference_id, old.text, old.verdict, old.action) == (
        first.id, "depth helps", "supported", "edited",
    )  # fmt: skip
    assert old.created == first.created and old.replaced == edited.edited


def test_keep_leaves_the_verdict_and_the_same_text_changes_nothing(store: Store) -> None:
    run_id = store.create_run(experiment="e", fingerprint="f1")
    first = store.add_inference(run_id, "one", "inconclusive")
    assert store.edit_inference(first.id, "two", KEEP).verdict == "inconclusive"
    again = store.edit_inference(first.id, "two", KEEP)
    assert again.text == "two" and len(store.get_run(run_id).inference_history) == 1


def test_a_delete_withdraws_the_verdict_and_keeps_the_text(store: Store) -> None:
    # Given a run with two conclusions, the later one "refuted"
    run_id = store.create_run(experiment="e", fingerprint="f1")
    kept = store.add_inference(run_id, "first look", "supported")
    gone = store.add_inference(run_id, "wrong run", "refuted")
    # When the later one is deleted
    store.delete_inference(gone.id)
    # Then the run's verdict is the earlier one's, and the deleted text is in the history
    run = store.get_run(run_id)
    assert [i.id for i in run.inferences] == [kept.id] and run.verdict == "supported"
    assert [(v.text, v.action) for v in run.inference_history] == [("wrong run", "deleted")]
    assert store.list_runs(experiment="e")[0].inference.text == "first look"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s, i, r: s.edit_inference(i, "   "), "needs some text"),
        (lambda s, i, r: s.edit_inference(i, "x", "maybe"), "unknown verdict"),
        (lambda s, i, r: s.edit_inference(i + 99, "x"), "no inference"),
        (lambda s, i, r: s.edit_inference(i, "x", run_id=r + 1), "no inference"),
        (lambda s, i, r: s.delete_inference(i, run_id=r + 1), "no inference"),
        (lambda s, i, r: s.delete_inference(0), "no inference"),
    ],
)
def test_bad_changes_are_one_line_and_change_nothing(store: Store, change, message) -> None:
    run_id = store.create_run(experiment="e", fingerprint="f1")
    store.create_run(experiment="e", fingerprint="f2")
    first = store.add_inference(run_id, "as it was", "supported")
    with pytest.raises((BadInput, UnknownInference), match=message) as raised:
        change(store, first.id, run_id)
    assert "\n" not in str(raised.value)
    run = store.get_run(run_id)
    assert [(i.text, i.verdict) for i in run.inferences] == [("as it was", "supported")]
    assert run.inference_history == ()


def test_purge_takes_a_runs_history_with_it(store: Store) -> None:
    run_id = store.create_run(experiment="e", fingerprint="f1")
    store.finish_run(run_id, "finished")
    store.delete_inference(store.add_inference(run_id, "gone", None).id)
    store.trash([run_id])
    store.purge(older_than=0)
    assert store.inference_history(run_id) == ()


def test_a_grids_and_a_runs_earlier_versions_are_one_record(store: Store) -> None:
    """One shape for what an inference said before, whoever it concluded about (as the REST
    API has one ``inference_history`` item for runs and grids)."""
    from nbjournal.server import payloads
    from nbjournal.store import InferenceVersion

    # Given a run's and a grid's inference, each edited once
    run_id = store.create_run(experiment="e", fingerprint="f1")
    said = store.add_inference(run_id, "depth helps", "supported")
    store.edit_inference(said.id, "depth does not help", "refuted")
    grid_id, _ = store.open_grid(
        experiment="e", fingerprint="g", spec_key="k", spec={"axes": {}}, total=0
    )
    concluded = store.add_grid_inference(grid_id, "width helps", "supported")
    store.edit_grid_inference(concluded.id, "width does not help", "refuted")

    # When their histories are read
    [run_version] = store.get_run(run_id).inference_history
    [grid_version] = store.get_grid(grid_id).inference_history

    # Then both are the one record, and serialise through the one builder alike
    assert type(run_version) is InferenceVersion and type(grid_version) is InferenceVersion
    assert payloads.inference_version(grid_version) == {
        "inference_id": concluded.id, "text": "width helps", "verdict": "supported",
        "created": concluded.created, "replaced": grid_version.replaced, "action": "edited",
        "author": None,
    }  # fmt: skip
    assert (
        payloads.inference_version(run_version).keys()
        == payloads.inference_version(grid_version).keys()
    )
