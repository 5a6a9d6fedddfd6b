"""Running a grid: expand, skip what the journal holds, claim each point, run it, summarise.

Every point is an ordinary run started and finished by
:mod:`nbjournal.runs.lifecycle` (through :func:`.point.run_point`). Before the
first point, one query finds every point whose fingerprint has a finished run
anywhere in the journal; those are skipped and linked to the grid. Each other
point is claimed in the store just before it runs, so several kernels (or
workers) on one grid never run a point twice at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import threading
import time
import uuid
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..capture.fingerprint import combine
from ..errors import JournalError, JournalWarning
from ..runs.current import remember_grid
from ..runs.lifecycle import RunSpec, open_journal
from ..store import Store
from .expand import SEED, GridSpec, points
from .grid_progress import GridProgress
from .point import LIVE_CLAIMANTS, PointJob, PointOutcome, claim_and_run, make_jobs, run_point

if TYPE_CHECKING:
    from ..recording.check_hook import CheckOptions
    from .point import Binder
    from .view import QuietGridView

#: How often a running grid beats its claims (well inside the claim timeout).
CLAIM_BEAT_S = 10.0
#: How long to wait before asking again for points another claimant is running.
BUSY_POLL_S = 0.5
#: Run ids named in the "done before" line, at most.
NAMED_DONE = 8


@dataclasses.dataclass
class GridRun:
    """A grid about to run: its record, its jobs, and what the journal already holds."""

    experiment: str
    spec: GridSpec
    jobs: list[PointJob]
    store: Store | None
    grid_id: int | None
    done: dict[int, int]  # point index → finished run id
    force: bool = False

    def message(self) -> str:
        """``12 points: 5 done before (#14 #15 …), 7 to run``."""
        total, done = len(self.jobs), len(self.done)
        if self.force and self.store is not None:
            return f"{total} points to run (--force: points done before run again)"
        if not done:
            return f"{total} point{'' if total == 1 else 's'} to run"
        ids = sorted(set(self.done.values()))
        named = " ".join(f"#{i}" for i in ids[:NAMED_DONE]) + (
            " …" if len(ids) > NAMED_DONE else ""
        )
        return f"{total} points: {done} done before ({named}), {total - done} to run"


def prepare(
    *,
    spec: GridSpec,
    template: RunSpec,
    base_fingerprint: str,
    bind: Binder,
    journal: str | Store | None,
    source: str = "",
    checks: CheckOptions | None = None,
    force: bool = False,
) -> GridRun:
    """Open (or resume) the grid record, make its jobs (:func:`.point.make_jobs`, from the
    run every point shares, ``template``) and find the points already done: one query."""
    store = open_journal(journal, stacklevel=5)
    grid_id = None
    if store is not None:
        spec_key = combine(spec.key())
        try:
            grid_id, recorded = store.open_grid(
                experiment=template.experiment,
                fingerprint=base_fingerprint,
                spec_key=spec_key,
                spec=spec.as_dict(),
                total=len(points(spec)),
                hypothesis=template.hypothesis,
                code=template.code,
                notebook=template.notebook,
            )
            seed = recorded.get("sample_seed")
            if spec.sample is not None and isinstance(seed, int):
                spec = dataclasses.replace(spec, sample_seed=seed)
        except JournalError as failure:
            _warn(f"{failure}; the grid runs but is not recorded")
            store = None
    jobs = make_jobs(template, points(spec), bind, source=source, repeat=spec.repeat, checks=checks)
    done: dict[int, int] = {}
    if store is not None:
        try:
            finished = store.finished_fingerprints(job.fingerprint for job in jobs)
        except JournalError as failure:
            _warn(str(failure))
            finished = {}
        for job in jobs:
            if job.fingerprint in finished:
                done[job.index] = finished[job.fingerprint][0]
        jobs = [job.in_grid(grid_id, done.get(job.index)) for job in jobs]
    return GridRun(template.experiment, spec, jobs, store, grid_id, {} if force else done, force)


def run(
    grid: GridRun,
    *,
    namespace: dict[str, object],
    view: QuietGridView,
    execute_for: Callable[[PointJob], Callable[[], object] | None] = lambda job: None,
    stop_on_error: bool = False,
    show: Callable[..., object] | None = None,
) -> list[PointOutcome]:
    """Run the grid's points not done yet; show the summary at the end (and on interrupt)."""
    __tracebackhide__ = True
    store = grid.store
    progress = begin(grid, view)
    claimant = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    beating = ClaimBeat(store, claimant) if store is not None else None
    outcomes: list[PointOutcome] = []
    failure: BaseException | None = None
    pending = [job for job in grid.jobs if job.index not in grid.done]
    try:
        while pending:
            waiting = []
            for job in pending:
                outcome = _run_job(grid, job, namespace, claimant, progress, view, execute_for(job))
                if outcome.status == "busy":
                    waiting.append(job)
                    continue
                _show_outcome(store, progress, view, job, outcome)
                if outcome.status == "done":
                    continue
                outcomes.append(outcome)
                if outcome.status == "failed" and stop_on_error:
                    failure = outcome.exception
                    pending, waiting = [], []
                    break
            pending = waiting
            if pending:
                time.sleep(BUSY_POLL_S)
    finally:
        if beating is not None:
            beating.stop()
        end_grid(grid, view, progress, show)
        last = next((o.run_id for o in reversed(outcomes) if o.run_id is not None), None)
        remember_grid(
            grid.grid_id,
            last if last is not None else max(grid.done.values(), default=None),
            grid.store.url if grid.store is not None else None,
        )
    if failure is not None:
        raise failure
    failed = progress.count("failed")
    if failed:
        print(f"{failed} point(s) failed (see the table); re-run the cell to run them again.")
    return outcomes


def _run_job(
    grid: GridRun,
    job: PointJob,
    namespace: dict[str, object],
    claimant: str,
    progress: GridProgress,
    view: QuietGridView,
    execute: Callable[[], object] | None,
) -> PointOutcome:
    """One point: claimed in the journal (when there is one) and run; an interrupt ends its
    row ``interrupted`` and propagates."""
    __tracebackhide__ = True
    store = grid.store

    def starting() -> None:
        progress.start(job.index)
        view.point_started(progress, job.index)

    try:
        if store is None:
            starting()
            return run_point(job, namespace, sinks=view.point_sinks(), execute=execute)
        return claim_and_run(
            job,
            namespace,
            store=store,
            claimant=claimant,
            force=grid.force,
            sinks=view.point_sinks(),
            execute=execute,
            on_start=starting,
        )
    except KeyboardInterrupt:
        if progress.current == job.index:
            progress.end(job.index, "interrupted", _last_run_of(store, job), {})
            view.point_ended(progress, job.index)
        raise


def _show_outcome(
    store: Store | None,
    progress: GridProgress,
    view: QuietGridView,
    job: PointJob,
    outcome: PointOutcome,
) -> None:
    """The point's row once it ended here, or was found done by someone else."""
    run_id = outcome.run_id
    metrics = (
        final_metrics(store, [run_id]).get(run_id, {})
        if store is not None and run_id is not None
        else {}
    )
    if outcome.status == "done":
        assert run_id is not None
        progress.skip(job.index, run_id, metrics)
    else:
        progress.end(job.index, outcome.status, run_id, metrics, outcome.error)
    view.point_ended(progress, job.index)


def begin(grid: GridRun, view: QuietGridView) -> GridProgress:
    """The grid's progress with the points done before linked and shown, and the view begun."""
    store = grid.store
    progress = GridProgress(grid.experiment, grid.grid_id, [job.values for job in grid.jobs])
    if grid.done and store is not None:
        _link(store, grid.grid_id, [(run, i, grid.jobs[i].values) for i, run in grid.done.items()])
        metrics = final_metrics(store, list(grid.done.values()))
        for index, run_id in grid.done.items():
            progress.skip(index, run_id, metrics.get(run_id, {}))
    from .suggested import origin_line

    origin = origin_line(grid.spec)
    if origin is not None:
        print(origin)  # where the points came from, and why each, before they run
    view.begin(progress, grid.message())
    return progress


def last_point_skipped(grid: GridRun, outcomes: list[PointOutcome]) -> int | None:
    """The run id of the product's last point when it was skipped as done (not run here)."""
    if not grid.jobs:
        return None
    last = grid.jobs[-1]
    return grid.done.get(last.index)


def _link(
    store: Store, grid_id: int | None, links: list[tuple[int, int, dict[str, object]]]
) -> None:
    if grid_id is None:
        return
    try:
        store.link_grid_runs(grid_id, links)
    except JournalError as failure:
        _warn(str(failure))


def final_metrics(store: Store, run_ids: list[int]) -> dict[int, dict[str, float | None]]:
    try:
        return store.final_metrics(run_ids)
    except JournalError as failure:
        _warn(str(failure))
        return {}


def _last_run_of(store: Store | None, job: PointJob) -> int | None:
    from ..runs.current import last_run_id

    return last_run_id() if store is not None else None


def end_grid(
    grid: GridRun, view: QuietGridView, progress: GridProgress, show: Callable[..., object] | None
) -> None:
    """End the view, then show the grid's summary from the journal (when it can be read:
    the view keeps its table in its place otherwise)."""
    record = None
    if grid.store is not None and grid.grid_id is not None:
        try:
            record = grid.store.get_grid(grid.grid_id)
        except JournalError as failure:
            _warn(str(failure))
    if record is None:
        view.end(progress)
        return
    from ..display.grid_summary_view import show_summary, summary_view

    summary = summary_view(record, grid.store)
    placed = view.end(progress, summary)
    show_summary(record, show, store=grid.store, view=summary, table_shown=placed)


def _warn(message: str) -> None:
    warnings.warn(f"nbjournal: {message}", JournalWarning, stacklevel=4)


class ClaimBeat:
    """Beats this grid's claims every :data:`CLAIM_BEAT_S` seconds from a daemon thread."""

    def __init__(self, store: Store, claimant: str) -> None:
        self._store, self._claimant = store, claimant
        LIVE_CLAIMANTS.add(claimant)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="nbjournal-claims", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(CLAIM_BEAT_S):
            with contextlib.suppress(JournalError):  # the next beat tries again
                self._store.beat_claims(self._claimant)

    def stop(self) -> None:
        self._stop.set()
        LIVE_CLAIMANTS.discard(self._claimant)


__all__ = [
    "SEED",
    "ClaimBeat",
    "GridRun",
    "begin",
    "end_grid",
    "final_metrics",
    "last_point_skipped",
    "prepare",
    "run",
]
