"""Several kernels record into one journal at once: no "database is locked", no lost point.

Each worker is a separate process (``spawn``, like separate Jupyter kernels)
writing one epoch per ``add_points`` call, as the recorder does at each epoch
end. A barrier lines them up so that their writes really overlap.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from nbjournal.store import MetricPoint, Store, schema

WORKERS = 4
EPOCHS = 200


def _value(worker: int, epoch: int, name: str) -> float:
    """A distinct, reproducible curve per worker and metric, best somewhere in the middle for two."""
    offset = worker / 1000
    if name == "loss":
        return 2.0 / (1 + epoch) + offset
    if name == "accuracy":
        return 1.0 - 1.0 / (2 + epoch) - offset
    if name == "val_loss":
        return ((epoch - 150) / 100) ** 2 + 0.1 + offset
    if name == "val_accuracy":
        return 0.9 - ((epoch - 120) / 200) ** 2 + offset
    return 0.01 * 0.99**epoch  # "lr"


METRICS = ("loss", "accuracy", "val_loss", "val_accuracy", "lr")
GOALS = {"loss": "min", "accuracy": "max", "val_loss": "min", "val_accuracy": "max", "lr": "min"}


def _record(
    url: str, worker: int, epochs: int, open_together: bool, barrier: Any, results: Any
) -> None:
    """One kernel: open the journal, record a run epoch by epoch.

    The kernels wait for each other before they open the journal
    (``open_together``: they race to create it) or after (they race to write).
    """
    try:
        if open_together:
            barrier.wait()
        store = Store(url)
        if not open_together:
            barrier.wait()
        run_id = store.create_run(
            experiment="concurrent", fingerprint=f"worker-{worker}", params={"worker": worker}
        )
        for epoch in range(epochs):
            store.add_points(
                run_id,
                [
                    MetricPoint(name, _value(worker, epoch, name), step=epoch, epoch=epoch)
                    for name in METRICS
                ],
            )
        store.finish_run(run_id, "finished")
        store.close()
        results.put((worker, run_id, None))
    except BaseException:
        barrier.abort()  # the others must not wait for a worker that will never come
        results.put((worker, None, traceback.format_exc()))


def _record_at_once(url: str, epochs: int, open_together: bool = False) -> dict[int, int]:
    """Run the workers together; their run ids by worker, or every failure in full."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results = context.Queue()
    kernels = [
        context.Process(target=_record, args=(url, worker, epochs, open_together, barrier, results))
        for worker in range(WORKERS)
    ]
    for kernel in kernels:
        kernel.start()
    outcomes = [results.get() for _ in kernels]
    for kernel in kernels:
        kernel.join()
    failures = [error for _, _, error in outcomes if error]
    assert not failures, "a kernel failed to record:\n" + "\n".join(failures)
    assert [kernel.exitcode for kernel in kernels] == [0] * WORKERS
    return {worker: run_id for worker, run_id, _ in outcomes}


def _assert_every_point_landed(store: Store, runs: dict[int, int], epochs: int) -> None:
    with store.engine.connect() as connection:
        total = connection.execute(sa.select(sa.func.count()).select_from(schema.metric_points))
        assert total.scalar() == WORKERS * epochs * len(METRICS)
    for worker, run_id in runs.items():
        run = store.get_run(run_id)
        assert run.status == "finished"
        assert run.full_params == {"worker": worker}
        points = store.metric_points(run_id)
        for name in METRICS:
            series = [p for p in points if p.name == name]
            expected = [_value(worker, epoch, name) for epoch in range(epochs)]
            assert [p.step for p in series] == list(range(epochs))
            assert [p.value for p in series] == expected
            best = min(expected) if GOALS[name] == "min" else max(expected)
            summary = run.metrics[name]
            assert (summary.last, summary.last_epoch, summary.count) == (
                expected[-1], epochs - 1, epochs,
            )  # fmt: skip
            assert (summary.best, summary.best_epoch) == (best, expected.index(best))


def test_four_kernels_record_into_one_journal_at_once(store: Store) -> None:
    # Given a journal that exists already (the usual case: kernels come and go)
    # When four kernels record a 200-epoch, 5-metric run each, at the same time
    runs = _record_at_once(store.url, EPOCHS)

    # Then none failed, and every point of every run is there, summarised right
    assert sorted(runs.values()) == sorted(set(runs.values()))
    _assert_every_point_landed(store, runs, EPOCHS)
    assert store.experiments()[0].runs == WORKERS


def test_four_kernels_can_create_the_journal_together(
    new_journal_url: Callable[[], str],
) -> None:
    # Given no journal yet: four kernels start at once and each opens (and migrates) it
    url = new_journal_url()

    # When they all record
    runs = _record_at_once(url, epochs=20, open_together=True)

    # Then the schema was created once and every point landed
    store = Store(url)
    try:
        _assert_every_point_landed(store, runs, epochs=20)
    finally:
        store.close()


@pytest.fixture(autouse=True)
def _no_leftover_processes() -> Any:
    yield
    assert multiprocessing.active_children() == []
