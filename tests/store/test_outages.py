"""A journal that does not answer never holds the user, and nothing it did not take is lost.

Real outages: a socket that accepts and never answers, and a real PostgreSQL
frozen with SIGSTOP (a cluster of this test session, never the shared one).
"""

from __future__ import annotations

import os
import stat
import time
import warnings

import pytest

from nbjournal.errors import BadInput, JournalUnavailable, TooLarge, UnknownRun
from nbjournal.recording.recorder import RunRecorder
from nbjournal.runs.lifecycle import open_journal
from nbjournal.store import MetricPoint, Store, mark_available, open_store


def test_a_journal_that_never_answers_is_unavailable_then_left_alone(black_hole, short_timeout):
    # Given a journal server that accepts connections and never answers
    # When a kernel opens it
    with pytest.raises(JournalUnavailable):
        open_store(black_hole.url)
    tried = black_hole.accepted

    # Then it tried, gave up within the timeout, and the next open does not try again
    assert tried >= 1
    with pytest.raises(JournalUnavailable):
        open_store(black_hole.url)
    assert black_hole.accepted == tried


def _wait_for(condition, tries: int = 200):  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_frozen_server_neither_holds_the_end_of_a_run_nor_loses_its_points(
    own_postgres, short_timeout
):
    # Given a run recording into a real PostgreSQL, its first 10 points written
    url = own_postgres.new_database("frozen_mid_run")
    store = open_store(url, bound=60)  # migrating a new database is not what is timed here
    run_id = store.create_run(experiment="frozen", fingerprint="f")
    recorder = RunRecorder(store, run_id, experiment="frozen")
    for step in range(10):
        recorder.log_value("loss", 1.0 / (step + 1), step=step)
    assert _wait_for(lambda: len(store.metric_points(run_id)) == 10)

    # When the server freezes, 10 more points come, and the run ends
    own_postgres.freeze()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for step in range(10, 20):
                recorder.log_value("loss", 1.0 / (step + 1), step=step)
            recorder.finish("finished")
        # Then finish returned (within its bound), saying the points are kept locally
        messages = [str(w.message) for w in caught]
        assert any("kept in" in m for m in messages), messages
        assert recorder.spool is not None and recorder.spool.path.exists()
    finally:
        own_postgres.thaw()

    # When the journal answers again and a kernel opens it (the back-off over)
    mark_available(url)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reopened = open_journal(url)
    assert reopened is store

    # Then every point is there and the run reads finished, complete
    assert _wait_for(lambda: len(store.metric_points(run_id)) == 20)
    run = store.get_run(run_id)
    assert run.status == "finished" and run.points_pending == 0
    assert sorted(p.step for p in store.metric_points(run_id)) == list(range(20))
    assert not recorder.spool.path.exists()


def test_one_bad_point_costs_that_point_only(store: Store):
    # Given a run
    run_id = store.create_run(experiment="bad-values", fingerprint="f")

    # When a batch mixes good points with values no column can hold
    problems = store.add_points(
        run_id,
        [
            MetricPoint("loss", 1.0, 0),
            MetricPoint("m" * 300, 1.0, 0),
            MetricPoint("nul\x00name", 1.0, 0),
            MetricPoint("clock", 2.0, 2**40, "epoch", 2**40),
            MetricPoint("loss", 0.5, 2**70),
        ],
    )

    # Then the storable ones are stored, and each refusal says why
    stored = {(p.name, p.step) for p in store.metric_points(run_id)}
    assert stored == {("loss", 0), ("clock", 2**40)}
    assert len(problems) == 3
    assert any("200" in p for p in problems) and any("NUL" in p for p in problems)
    assert any("out of range" in p for p in problems)
    assert store.get_run(run_id).metrics["clock"].last_epoch == 2**40


def test_texts_over_the_limits_are_refused_with_a_reason(store: Store):
    with pytest.raises(BadInput, match="tag"):
        store.create_run(experiment="e", fingerprint="f", tags=["t" * 300])
    with pytest.raises(BadInput, match="NUL"):
        store.create_run(experiment="e", fingerprint="f", hypothesis="a\x00b")
    run_id = store.create_run(experiment="e", fingerprint="f")
    with pytest.raises(TooLarge):
        store.add_inference(run_id, "x" * 10_000_000)
    with pytest.raises(BadInput, match="surrogate"):
        store.add_inference(run_id, "\ud800")
    assert store.list_runs() and store.get_run(run_id).inference_count == 0


@pytest.mark.parametrize("run_id", [2**31, 2**63, 10**30])
def test_ids_no_run_can_have_are_unknown_runs_not_outages(store: Store, run_id: int):
    with pytest.raises(UnknownRun):
        store.get_run(run_id)
    with pytest.raises(UnknownRun):
        store.add_inference(run_id, "text")


def test_a_read_only_journal_is_read_without_leaving_files_behind(tmp_path):
    # Given a journal closed cleanly, then made read-only
    path = tmp_path / "journal.db"
    url = f"sqlite:///{path}"
    writer = Store(url)
    writer.create_run(experiment="e", fingerprint="f")
    writer.close()
    for suffix in ("-wal", "-shm"):
        assert not os.path.exists(f"{path}{suffix}")
    path.chmod(0o444)

    # When it is opened and read
    reader = Store(url)
    assert [r.experiment for r in reader.list_runs()] == ["e"]

    # Then no side file was made (to be left behind with the file's 0444 mode),
    # and with its mode restored it takes writes again
    assert not [p.name for p in tmp_path.iterdir() if p.name != "journal.db"]
    reader.close()
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    again = Store(url)
    again.create_run(experiment="e2", fingerprint="f")
    again.close()
