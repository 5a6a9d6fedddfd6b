"""A run's artifact records: written in one transaction, read in the cell's order, both backends."""

from __future__ import annotations

import pytest

from nbjournal.errors import BadInput, UnknownRun
from nbjournal.store import Artifact, Store


def _records(run_id: int) -> list[Artifact]:
    return [
        Artifact(
            run_id,
            "model",
            "keras",
            "keras.Sequential",
            2_000_000_000_000,
            "ab" * 16,
            extra={"position": 0},
        ),
        Artifact(
            run_id,
            "stream",
            "none",
            "_io.TextIOWrapper",
            0,
            None,
            "unsaveable",
            "an open file",
            extra={"position": 1},
        ),
        Artifact(
            run_id, "Out", "pickle", "float", 21, "cd" * 16, role="result", extra={"position": 2}
        ),
    ]


def test_artifacts_read_back_in_the_cells_order_with_the_run(store: Store) -> None:
    # Given a run whose cell made three things
    run_id = store.create_run(experiment="digits", fingerprint="f")
    store.add_artifacts(run_id, list(reversed(_records(run_id))))

    # When they are read, alone or with the run
    listed = store.artifacts(run_id)

    # Then they come back in the cell's order, sizes past 32 bits intact
    assert [a.name for a in listed] == ["model", "stream", "Out"]
    assert listed[0].size == 2_000_000_000_000 and listed[0].stored
    assert not listed[1].stored and listed[1].reason == "an open file"
    assert store.get_run(run_id).artifacts == tuple(listed)


def test_saving_again_replaces_a_runs_artifacts(store: Store) -> None:
    run_id = store.create_run(experiment="digits", fingerprint="f")
    store.add_artifacts(run_id, _records(run_id))
    store.add_artifacts(run_id, _records(run_id)[2:])
    assert [a.name for a in store.artifacts(run_id)] == ["Out"]


def test_an_unknown_run_or_a_bad_record_is_refused(store: Store) -> None:
    with pytest.raises(UnknownRun):
        store.add_artifacts(999, _records(999))
    with pytest.raises(UnknownRun):
        store.artifacts(999)
    run_id = store.create_run(experiment="digits", fingerprint="f")
    bad = Artifact(run_id, "x", "pickle", "int", 1, "ef", status="lost")
    with pytest.raises(BadInput):
        store.add_artifacts(run_id, [bad])
    assert store.artifacts(run_id) == []
