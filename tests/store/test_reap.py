"""A killed kernel leaves its run ``crashed``, never ``running`` forever (DESIGN §4.2)."""

from __future__ import annotations

import multiprocessing
import socket
import time

from nbjournal.store import Store, schema
from nbjournal.store.liveness import HEARTBEAT_TIMEOUT_S

from .helpers import epochs, new_run


def _start_run_and_die(url: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """A kernel that starts a run and dies without finishing it."""
    store = Store(url)
    run_id = store.create_run(experiment="digits-mlp", fingerprint="killed")
    store.add_points(run_id, epochs("loss", [0.9, 0.7]))
    queue.put(run_id)


def _run_in_a_process_that_is_gone(url: str) -> int:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    kernel = context.Process(target=_start_run_and_die, args=(url, queue))
    kernel.start()
    kernel.join()
    assert kernel.exitcode == 0, "the child kernel failed before recording its run"
    return int(queue.get(timeout=30))  # already written: the child has exited


def _as_if_from_another_machine(store: Store, run_id: int, heartbeat: float) -> None:
    """What a kernel on another host leaves in a shared journal: its host, its last heartbeat."""
    with store.engine.begin() as connection:
        connection.execute(
            schema.runs.update()
            .where(schema.runs.c.id == run_id)
            .values(host="another-machine.example", pid=1, heartbeat=heartbeat)
        )


def test_a_run_whose_process_died_on_this_host_is_crashed(store: Store) -> None:
    # Given a run started by a process on this host that has since died
    run_id = _run_in_a_process_that_is_gone(store.url)
    assert store.get_run(run_id).host == socket.gethostname()

    # When the journal looks for crashed runs
    reaped = store.reap_crashed()

    # Then the run is crashed, ended at its last sign of life, its points kept
    assert reaped == [run_id]
    run = store.get_run(run_id)
    assert run.status == "crashed"
    assert run.ended is not None and run.started <= run.ended
    assert [p.value for p in store.metric_points(run_id)] == [0.9, 0.7]


def test_opening_the_journal_reaps_runs_of_dead_kernels(journal_url: str) -> None:
    run_id = _run_in_a_process_that_is_gone(journal_url)
    reopened = Store(journal_url)
    try:
        assert reopened.list_runs(status="crashed")[0].id == run_id
        assert reopened.list_runs(status="running") == []
    finally:
        reopened.close()


def test_a_run_with_a_stale_heartbeat_is_crashed(store: Store) -> None:
    # Given a run on another machine that has not been heard of for too long
    run_id = new_run(store)
    last_heard = time.time() - HEARTBEAT_TIMEOUT_S - 60
    _as_if_from_another_machine(store, run_id, heartbeat=last_heard)

    # When the journal looks for crashed runs
    reaped = store.reap_crashed()

    # Then it is crashed, and it ended when it was last heard of
    assert reaped == [run_id]
    run = store.get_run(run_id)
    assert run.status == "crashed"
    assert run.ended == last_heard


def test_live_runs_stay_running(store: Store) -> None:
    # Given a run of this very process, and one on another machine that beat recently
    here = new_run(store)
    there = new_run(store)
    _as_if_from_another_machine(store, there, heartbeat=time.time() - HEARTBEAT_TIMEOUT_S / 2)

    # When the journal looks for crashed runs
    reaped = store.reap_crashed()

    # Then neither is touched
    assert reaped == []
    assert {r.id: r.status for r in store.list_runs()} == {here: "running", there: "running"}


def test_a_heartbeat_keeps_a_quiet_run_alive(store: Store) -> None:
    # Given a run on another machine whose heartbeat went stale...
    run_id = new_run(store)
    _as_if_from_another_machine(store, run_id, heartbeat=time.time() - HEARTBEAT_TIMEOUT_S - 1)

    # ...when it beats again before the journal looks
    store.heartbeat(run_id)

    # Then it stays running
    assert store.reap_crashed() == []
    assert store.get_run(run_id).status == "running"


def test_finished_runs_are_never_reaped(store: Store) -> None:
    run_id = new_run(store)
    store.finish_run(run_id, "finished")
    _as_if_from_another_machine(store, run_id, heartbeat=0.0)
    assert store.reap_crashed() == []
    assert store.get_run(run_id).status == "finished"


def test_reads_never_write_and_leave_reaping_to_its_places(store: Store) -> None:
    # Given a run on another machine that has not been heard of for too long
    run_id = new_run(store)
    _as_if_from_another_machine(store, run_id, heartbeat=time.time() - HEARTBEAT_TIMEOUT_S - 60)
    token, _ = store.changes(None)

    # When every read of the journal runs
    store.get_run(run_id)
    store.list_runs()
    store.runs_table()
    store.experiments()
    store.changes(token)

    # Then nothing was written: the run is still running and no change was counted
    assert store.get_run(run_id).status == "running"
    assert store.changes(token) == (token, [])

    # And the reaper (at open, on the server's timer) marks it, as one change of the feed
    assert store.reap_crashed() == [run_id]
    after, changed = store.changes(token)
    assert after == token + 1
    assert [(r.id, r.status) for r in changed] == [(run_id, "crashed")]
