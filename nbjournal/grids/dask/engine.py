"""A grid's points as tasks on a Dask cluster; the journal is the only shared state.

The notebook checks the cluster (the journal reachable from its workers, the
same package versions), ships the cell's inputs once (scattered and broadcast to
every worker, not sent with each point), submits one task per point not done
yet, and then only watches: each worker claims, runs and records its point
itself (:mod:`.task`), and the grid view here is fed by what the journal
holds, polled (the rows, and the running points' curves: :mod:`..running_curves`), so it
shows what workers anywhere are doing. Dask schedules,
retries a task whose worker died (its run is then ``crashed``), and cancels;
nbjournal never schedules anything itself.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...config import artifacts_url
from ...errors import JournalError, JournalWarning
from ...rules import format as fmt
from ...runs.current import remember_grid
from ...runs.lifecycle import finish_elsewhere
from ...store.records import GridPoint
from ..grid_progress import GridProgress, PointRow
from ..runner import GridRun, begin, end_grid, final_metrics
from ..running_curves import RunningCurves
from .cluster import Cluster, ship
from .task import run_task, stop_grid

if TYPE_CHECKING:
    from distributed import Future

    from ..view import QuietGridView
    from .task import TaskAnswer

#: Times Dask runs a point's task again after an error outside the body (a lost
#: connection...); a worker that dies is covered by Dask's ``allowed-failures``.
RETRIES = 2
#: How often the notebook reads the journal for the grid's runs.
POLL_S = 0.5
#: How long the notebook waits for a worker to hold the inputs again after all died.
WORKER_BACK_S = 60.0
#: How long a stop waits for the workers' runs to end ``interrupted`` by themselves.
STOP_GRACE_S = 10.0


@dataclass
class _Watch:
    """What the notebook knows of the points' runs, read from the journal."""

    known: set[int]  # runs linked to the grid before this session
    results: dict[int, TaskAnswer] = field(default_factory=dict)
    crashed: dict[int, list[int]] = field(default_factory=dict)  # point → crashed runs
    runs: dict[int, list[int]] = field(default_factory=dict)  # point → runs of this session
    last_poll: float = 0.0
    curves: RunningCurves = field(default_factory=RunningCurves)  # of the points running now


def run_on_dask(
    grid: GridRun,
    cluster: Cluster,
    *,
    inputs: dict[str, object],
    view: QuietGridView,
    show: Callable[..., object] | None = None,
    retries: int = RETRIES,
) -> dict[int, TaskAnswer]:
    """Run the grid's points not done yet as Dask tasks; show the summary at the end (and on
    a stop, after cancelling the tasks left and interrupting the running points)."""
    import distributed

    store = grid.store
    progress = begin(grid, view)
    watch = _Watch(known=_linked(grid))
    token = uuid.uuid4().hex
    client = cluster.client
    futures: dict[Future, int] = {}
    jobs = {job.index: job for job in grid.jobs if job.index not in grid.done}
    try:
        shipped = ship(client, inputs)
        inputs_of: dict[Future, object] = {}  # the shipped inputs each task waits on
        sent = 0  # times the inputs were sent again because the workers holding them died

        def submit(index: int) -> Future:
            future = client.submit(
                run_task, jobs[index], shipped, cluster.journal_url, artifacts_url(), token,
                grid.force, key=f"nbjournal-point-{index}-{token}-{sent}", retries=retries,
                pure=False,
            )  # fmt: skip
            futures[future], inputs_of[future] = index, shipped
            return future

        remaining = {submit(index) for index in jobs}
        while remaining:
            try:
                with client.as_current():  # a named scheduler's client is not the default one
                    finished = set(
                        distributed.wait(
                            list(remaining), timeout=POLL_S, return_when="FIRST_COMPLETED"
                        ).done
                    )
            except TimeoutError:
                finished = set()
            except concurrent.futures.CancelledError:  # Dask cancelled some: handled below
                finished = {f for f in remaining if f.status != "pending"}
            lost = {f for f in finished if _inputs_lost(f, inputs_of[f])}
            if lost and _inputs_lost_now(shipped) and sent < retries:
                # Scattered data cannot be recomputed: every worker holding the inputs died,
                # and Dask cancelled the points waiting on them. Send them again.
                sent += 1
                with contextlib.suppress(TimeoutError):  # no worker came back: the points fail
                    client.wait_for_workers(1, timeout=WORKER_BACK_S)
                    shipped = ship(client, inputs)
                    print("nbjournal: the Dask workers holding the cell's inputs died; sent again")
            if lost and not _inputs_lost_now(shipped):
                finished -= lost
                remaining -= lost
                remaining |= {submit(futures.pop(future)) for future in lost}
            for future in finished:
                remaining.discard(future)
                result = watch.results[futures[future]] = _result(future, futures[future])
                _adopt(grid, result)
            _poll(grid, progress, view, watch, force=bool(finished))
        _poll(grid, progress, view, watch, force=True)
    except KeyboardInterrupt:
        _stop(grid, cluster, futures, token, watch)
        _poll(grid, progress, view, watch, force=True)
        raise
    finally:
        _end_superseded(grid, watch)
        end_grid(grid, view, progress, show)
        _say_crashes(grid, watch)
        ran = [r for runs in watch.runs.values() for r in runs]
        last = max(ran, default=max(grid.done.values(), default=None))
        remember_grid(grid.grid_id, last, store.url if store is not None else None)
        if store is not None:
            store.reap_crashed()
    failed = progress.count("failed")
    if failed:
        print(f"{failed} point(s) failed (see the table); re-run the cell to run them again.")
    return watch.results


def _adopt(grid: GridRun, result: TaskAnswer) -> None:
    """The point's artifacts, signed on the worker with its key, become the user's: their
    identical cell restores them here (artifacts/saving.adopt)."""
    run_id, key = result.get("run_id"), result.get("signer")
    if grid.store is None or run_id is None or not key:
        return
    from ...artifacts.code_trust import adopted
    from ...artifacts.saving import adopt
    from ...store.procedures import procedure, save_procedure

    try:
        adopt(grid.store, int(run_id), str(key))
        kept = procedure(grid.store, int(run_id))  # the grid cell's upstream cells, too
        mine = adopted(kept.slice, int(run_id), str(key)) if kept is not None else None
        if mine is not None:
            save_procedure(grid.store, int(run_id), mine)
    except JournalError as failure:  # the run stays recorded; its restore will say why not
        warnings.warn(
            f"nbjournal: run #{run_id}'s artifacts keep the worker's signature ({failure})",
            JournalWarning,
            stacklevel=2,
        )


def _inputs_lost(future: Future, shipped: object) -> bool:
    """Dask cancelled the task because the scattered inputs it waits on were lost (a task
    the person stopped is cancelled too, but its inputs are still held)."""
    return future.status == "cancelled" and _inputs_lost_now(shipped)


def _inputs_lost_now(shipped: object) -> bool:
    """The scattered inputs are gone (an empty grid's inputs are a plain dict, never lost)."""
    return getattr(shipped, "status", "finished") != "finished"


def _result(future: Future, index: int) -> TaskAnswer:
    """A task's answer; an error outside the body (after Dask's retries) as a failed point."""
    try:
        return future.result()
    except Exception as error:  # KilledWorker, a lost worker: the point did not run to the end
        text = f"{type(error).__name__}: {error}".strip()
        return {"index": index, "status": "failed", "run_id": None, "error": text}


def _linked(grid: GridRun) -> set[int]:
    if grid.store is None or grid.grid_id is None:
        return set()
    try:
        return {p.run_id for p in grid.store.get_grid(grid.grid_id).points}
    except JournalError:
        return set()


def _poll(
    grid: GridRun, progress: GridProgress, view: QuietGridView, watch: _Watch, *, force: bool
) -> None:
    """Bring the rows up to date from the journal (runs the workers started, their latest
    metrics, crashed runs) and from the tasks that ended."""
    now = time.monotonic()
    if not force and now - watch.last_poll < POLL_S:
        return
    watch.last_poll = now
    store = grid.store
    latest = _latest_points(_grid_points(grid), watch)
    for index, point in latest.items():
        row = progress.rows[index]
        if index in watch.results or point.status != "running":
            continue
        if row.status != "running":
            progress.start(index)
        row.run_id = point.run_id  # (the time left is reckoned on this clock, not the worker's)
        row.metrics = {name: s.last for name, s in point.metrics.items()}
        view.point_started(progress, index)
    for index, result in watch.results.items():
        row = progress.rows[index]
        if row.status in ("finished", "failed", "interrupted", "skipped", "cancelled"):
            continue
        _end_row(grid, progress, row, result, latest.get(index))
        view.point_ended(progress, index)
    running = {
        point.run_id: _label(grid, index, point.run_id)
        for index, point in latest.items()
        if point.status == "running" and index not in watch.results
    }
    if store is not None and watch.curves.read(store, running):
        view.show_curves(watch.curves)


def _grid_points(grid: GridRun) -> Sequence[GridPoint]:
    """The grid's points as the journal has them now (a dead worker's run reaped first)."""
    store = grid.store
    if store is None or grid.grid_id is None:
        return ()
    try:
        store.reap_crashed()  # a dead worker's run, on this host: crashed now
        return store.get_grid(grid.grid_id).points
    except JournalError:
        return ()


def _latest_points(points: Sequence[GridPoint], watch: _Watch) -> dict[int, GridPoint]:
    """Each point's latest run (a retried point has several); the runs and the crashed ones
    noted in ``watch`` on the way."""
    latest: dict[int, GridPoint] = {}
    for point in points:
        if point.run_id in watch.known:
            continue
        runs = watch.runs.setdefault(point.point, [])
        if point.run_id not in runs:
            runs.append(point.run_id)
        if point.status == "crashed" and point.run_id not in watch.crashed.get(point.point, []):
            watch.crashed.setdefault(point.point, []).append(point.run_id)
        if point.point not in latest or point.run_id > latest[point.point].run_id:
            latest[point.point] = point
    return latest


def _label(grid: GridRun, index: int, run_id: int) -> str:
    """``units=32 lr=0.01 #17``: a running point in the curves' legend."""
    values = " ".join(f"{k}={fmt.param(v)}" for k, v in grid.jobs[index].values.items())
    return f"{values} #{run_id}"


def _end_row(
    grid: GridRun,
    progress: GridProgress,
    row: PointRow,
    result: TaskAnswer,
    point: GridPoint | None,
) -> None:
    status, run_id = result["status"], result.get("run_id")
    if run_id is None and point is not None:
        run_id = point.run_id
    metrics = final_metrics(grid.store, [run_id]).get(run_id, {}) if grid.store and run_id else {}
    if status == "done" and run_id is not None:
        progress.skip(row.index, run_id, metrics)
        return
    if status == "cancelled":
        row.status = "pending"
        return
    progress.end(row.index, status, run_id, metrics, result.get("error"))
    if point is not None and point.ended is not None:
        row.seconds = point.ended - point.started


def _stop(
    grid: GridRun, cluster: Cluster, futures: dict[Future, int], token: str, watch: _Watch
) -> None:
    """The stop button: cancel the tasks left, interrupt the running bodies on the workers,
    and end ``interrupted`` (from here, through the lifecycle) any run still running after
    :data:`STOP_GRACE_S`."""
    client = cluster.client
    with contextlib.suppress(Exception):
        client.cancel(list(futures), force=True)
    with contextlib.suppress(Exception):
        client.run(stop_grid, token)
    store = grid.store
    if store is None or grid.grid_id is None:
        return
    deadline = time.monotonic() + STOP_GRACE_S
    while True:
        try:
            running = [
                p.run_id
                for p in store.get_grid(grid.grid_id).points
                if p.status == "running" and p.run_id not in watch.known
            ]
        except JournalError:
            return
        if not running or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for run_id in running:
        finish_elsewhere(store, run_id, "interrupted", "KeyboardInterrupt: the grid was stopped")
    for p in store.get_grid(grid.grid_id).points:
        if p.run_id not in watch.known and p.status == "interrupted":
            watch.results.setdefault(
                p.point, {"index": p.point, "status": "interrupted", "run_id": p.run_id}
            )


def _end_superseded(grid: GridRun, watch: _Watch) -> None:
    """A run still ``running`` whose point Dask ran again to the end: its worker died on
    another machine (on this one the dead process was reaped already). ``crashed`` now,
    rather than when its heartbeat runs out."""
    if grid.store is None or grid.grid_id is None:
        return
    try:
        points = grid.store.get_grid(grid.grid_id).points
    except JournalError:
        return
    status = {p.run_id: p.status for p in points}
    for index, runs in watch.runs.items():
        answer = watch.results.get(index)
        if answer is None or answer["status"] not in ("finished", "failed"):
            continue
        for run_id in sorted(runs)[:-1]:
            if status.get(run_id) == "running" and finish_elsewhere(
                grid.store, run_id, "crashed", "its Dask worker died; the point ran again"
            ):
                watch.crashed.setdefault(index, []).append(run_id)


def _say_crashes(grid: GridRun, watch: _Watch) -> None:
    """After the summary: each point whose worker died, and what became of it."""
    for index, crashed in sorted(watch.crashed.items()):
        values = " ".join(f"{k}={v!r}" for k, v in grid.jobs[index].values.items())
        ids = " ".join(f"#{r}" for r in crashed)
        result = watch.results.get(index)
        again = [r for r in watch.runs.get(index, []) if r not in crashed]
        then = (
            f"Dask ran it again: #{again[-1]} {result['status'] if result else 'running'}"
            if again
            else "not run again"
        )
        print(f"point {index} ({values}): run {ids} crashed (its worker died); {then}")
