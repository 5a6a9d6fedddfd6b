"""Running one grid point: a plain function of (the point's job, a namespace).

Everything a point needs travels in a :class:`PointJob` (plain data, picklable),
so the same function runs a point in this kernel or, later, on a Dask worker
with the cell's inputs shipped as its namespace. The run itself is started,
recorded and finished by :mod:`nbjournal.runs.lifecycle`, like any other run.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import random
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..capture import code as cellcode
from ..capture.results import record_results
from ..errors import JournalError, JournalWarning
from ..recording.fit_hook import recording_fits
from ..runs.lifecycle import RunSpec, error_text, open_journal, recorded, start_run
from ..store.grid_queries import BUSY, CLAIMED, DONE

#: The claimants of this process whose grids are running now (see ``Store.claim_point``).
LIVE_CLAIMANTS: set[str] = set()


@dataclass(frozen=True)
class PointJob:
    """One run of a grid, as data: what to run, with which values, recorded how."""

    experiment: str
    index: int
    values: dict[str, Any]
    bound: dict[str, Any]
    fingerprint: str
    source: str = ""
    code: str = ""
    hypothesis: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    data: list[dict[str, Any]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notebook: str | None = None
    grid_id: int | None = None
    seed: int | None = None
    repeat_of: int | None = None
    env: dict[str, Any] | None = None
    #: The cell's ``--no-check``/``--strict`` (a :class:`nbjournal.recording.check_hook.CheckOptions`).
    checks: Any = None
    #: Store what the point's body bound, so a later identical cell restores it.
    save_artifacts: bool = True


@dataclass
class PointOutcome:
    run_id: int | None
    status: str
    error: str | None = None
    result: Any = None
    exception: BaseException | None = None


def run_point(
    job: PointJob,
    namespace: dict[str, Any],
    *,
    journal: Any = None,
    sinks: list[Any] | None = None,
    execute: Callable[[], Any] | None = None,
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
    recorder = None
    if store is not None:
        recorder = start_run(
            RunSpec(
                experiment=job.experiment,
                fingerprint=job.fingerprint,
                hypothesis=job.hypothesis,
                code=job.code,
                params=job.params,
                data=job.data,
                tags=job.tags,
                notebook=job.notebook,
                repeat_of=job.repeat_of,
                env=job.env,
            ),
            store,
            sinks=sinks if sinks is not None else [],
        )
    run_id = recorder.run_id if recorder is not None else None
    if run_id is not None and job.grid_id is not None:
        try:
            store.link_grid_runs(job.grid_id, [(run_id, job.index, job.values)])
        except JournalError as failure:
            recorder.warn(f"could not link run #{run_id} to grid #{job.grid_id}: {failure}")
    body = execute or functools.partial(execute_source, job.source, namespace)
    try:
        with recorded(recorder):
            if recorder is None:
                return PointOutcome(None, "finished", result=body())
            with recording_fits(recorder, job.checks):
                result = body()
            cell = parsed(job.source) if job.source else None
            record_results(recorder, cell, namespace, result)
    except Exception as error:
        return PointOutcome(run_id, "failed", error_text(error), exception=error)
    if recorder is not None and cell is not None and job.save_artifacts:
        from ..runs.restore import save_what_it_made

        save_what_it_made(recorder, [*job.bound, *cell.bound_names], namespace, result)
    return PointOutcome(run_id, "finished", result=result)


def claim_and_run(
    job: PointJob,
    namespace: dict[str, Any],
    *,
    store: Any,
    claimant: str,
    force: bool = False,
    sinks: list[Any] | None = None,
    execute: Callable[[], Any] | None = None,
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
        if job.grid_id is not None:
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


def execute_source(source: str, namespace: dict[str, Any]) -> Any:
    """Run ``source`` (plain Python) in ``namespace``; the last expression's value, as a cell."""
    tree = ast.parse(source, filename="<grid point>")
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<grid point>", "exec"), namespace)
    if last is None:
        return None
    value = eval(compile(ast.Expression(last.value), "<grid point>", "eval"), namespace)
    return None if source.rstrip().endswith(";") else value


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
