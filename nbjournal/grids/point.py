"""Running one grid point: a plain function of (the point's job, a namespace).

Everything a point needs travels in a :class:`PointJob` (plain data, picklable:
the :class:`~nbjournal.runs.lifecycle.RunSpec` of its run and its place in the
grid), so the same function runs a point in this kernel or on a Dask worker with
the cell's inputs shipped as its namespace. The run itself is the one run body
(:mod:`nbjournal.runs.body`), as a cell's is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import random
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from ..capture import code as cellcode
from ..errors import JournalError, JournalWarning
from ..recording.check_hook import CheckOptions
from ..rules.params import SEED
from ..runs.body import Body, run_body
from ..runs.lifecycle import RunSpec, error_text, open_journal
from ..store.grid_queries import BUSY, CLAIMED, DONE

if TYPE_CHECKING:
    from ..recording.recorder import RunRecorder, Sink
    from ..store import Store

#: The claimants of this process whose grids are running now (see ``Store.claim_point``).
LIVE_CLAIMANTS: set[str] = set()

#: A point's values → what it binds, its fingerprint, its recorded parameters.
Binder = Callable[[dict[str, object]], tuple[dict[str, object], str, dict[str, object]]]


@dataclass(frozen=True)
class PointJob:
    """One run of a grid, as data: the run it records, its place in the grid, what to run."""

    #: The run the point records (its fingerprint is the point's).
    spec: RunSpec
    index: int
    values: dict[str, object]
    #: What is bound in the namespace before the body (the cell's ``-p`` values and the point's).
    bound: dict[str, object]
    #: The code run on a worker (empty for a function, called with ``bound``).
    source: str = ""
    grid_id: int | None = None
    seed: int | None = None
    #: The cell's ``--no-check``/``--strict``.
    checks: CheckOptions | None = None
    #: Store what the point's body bound, so a later identical cell restores it.
    save_artifacts: bool = True

    @property
    def fingerprint(self) -> str:
        return self.spec.fingerprint

    def in_grid(self, grid_id: int | None, repeat_of: int | None) -> PointJob:
        """The job of the grid record ``grid_id``; ``repeat_of`` a finished run of the point."""
        spec = dataclasses.replace(self.spec, repeat_of=repeat_of)
        return dataclasses.replace(self, spec=spec, grid_id=grid_id)


def make_jobs(
    template: RunSpec,
    points: list[dict[str, object]],
    bind: Binder,
    *,
    source: str = "",
    repeat: int = 1,
    checks: CheckOptions | None = None,
) -> list[PointJob]:
    """Every point's job, from the run they share (``template``): ``bind(values)`` gives a
    point's bound names, fingerprint and recorded parameters. Where grids get their jobs."""
    jobs = []
    for index, values in enumerate(points):
        bound, fingerprint, params = bind(values)
        jobs.append(
            PointJob(
                spec=dataclasses.replace(template, fingerprint=fingerprint, params=params),
                index=index,
                values=values,
                bound=bound,
                source=source,
                seed=cast("int | None", values.get(SEED)) if repeat > 1 else None,
                checks=checks,
            )
        )
    return jobs


@dataclass
class PointOutcome:
    run_id: int | None
    status: str
    error: str | None = None
    result: object = None
    exception: BaseException | None = None


def run_point(
    job: PointJob,
    namespace: dict[str, object],
    *,
    journal: str | Store | None = None,
    sinks: list[Sink] | None = None,
    execute: Callable[[], object] | None = None,
) -> PointOutcome:
    """Bind the point's values in ``namespace``, run the body as a recorded run, return how it
    ended. The body's exception is recorded and returned (the grid goes on); an interrupt is
    recorded ``interrupted`` and propagates (the grid stops).

    ``execute`` runs the body (the notebook passes IPython's, for its tracebacks); by default
    ``job.source`` is executed in ``namespace``.
    """
    namespace.update(job.bound)
    if job.seed is not None:
        seed_everything(job.seed, keras="keras" in job.source)
    store = open_journal(journal, stacklevel=4)
    cell = parsed(job.source) if job.source else None
    body = Body(job.source, namespace, cell, job.bound, run=execute)
    ran: list[int | None] = [None]

    def started(recorder: RunRecorder) -> None:
        ran[0] = recorder.run_id
        if recorder.run_id is not None and job.grid_id is not None and store is not None:
            try:
                store.link_grid_runs(job.grid_id, [(recorder.run_id, job.index, job.values)])
            except JournalError as failure:
                recorder.warn(
                    f"could not link run #{recorder.run_id} to grid #{job.grid_id}: {failure}"
                )

    try:
        recorder, result = run_body(
            job.spec if store is not None else None,
            body,
            journal=store,
            sinks=sinks if sinks is not None else [],
            checks=job.checks,
            save=job.save_artifacts,
            started=started,
        )
    except Exception as error:
        return PointOutcome(ran[0], "failed", error_text(error), exception=error)
    return PointOutcome(recorder.run_id if recorder else None, "finished", result=result)


def claim_and_run(
    job: PointJob,
    namespace: dict[str, object],
    *,
    store: Store,
    claimant: str,
    force: bool = False,
    sinks: list[Sink] | None = None,
    execute: Callable[[], object] | None = None,
    on_start: Callable[[], None] | None = None,
) -> PointOutcome:
    """Claim the point in the journal, run it if it is ours, release the claim.

    What a kernel's grid runner and (later) a Dask task do for each point. The outcome's
    status is ``"done"`` (a finished run has the fingerprint: ``run_id`` is it, now linked
    to the grid) or ``"busy"`` (someone alive runs it now) when nothing ran here.
    """
    try:
        state, done = store.claim_point(job.fingerprint, claimant, grid_id=job.grid_id, force=force)
    except JournalError as failure:
        warnings.warn(
            f"nbjournal: {failure}; point {job.index} runs unclaimed", JournalWarning, stacklevel=2
        )
        state, done = CLAIMED, None
    if state == BUSY:
        return PointOutcome(None, "busy")
    if state == DONE:
        if job.grid_id is not None and done is not None:
            with contextlib.suppress(JournalError):
                store.link_grid_runs(job.grid_id, [(done, job.index, job.values)])
        return PointOutcome(done, "done")
    try:
        if on_start is not None:
            on_start()
        return run_point(job, namespace, journal=store, sinks=sinks, execute=execute)
    finally:
        try:
            store.release_claim(job.fingerprint, claimant)
        except JournalError as failure:
            warnings.warn(f"nbjournal: {failure}", JournalWarning, stacklevel=2)


@functools.lru_cache(maxsize=8)
def parsed(source: str) -> cellcode.CellCode:
    return cellcode.parse_cell(source)


def seed_everything(seed: int, keras: bool = False) -> None:
    """A repeat's seed applied to Python, NumPy and Keras (when loaded, or used by the body:
    then it is imported here, as the body would import it)."""
    random.seed(seed)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(seed)
    if keras and "keras" not in sys.modules:
        try:
            import keras as _keras  # noqa: F401
        except ImportError:
            return
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)
