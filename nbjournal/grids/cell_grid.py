"""A grid from an ``%%experiment`` cell: the cell planned once, each point run in the kernel.

The inputs are fingerprinted once, when the cell is planned; each point's
fingerprint is that basis combined with the point's values, the very
fingerprint a hand-run cell with the same ``-p`` values gets (so a point run by
hand counts as done).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..capture.environment import capture_environment
from ..errors import JournalWarning
from ..runs.cell import ExperimentPlan, cell_body, plan_point
from ..runs.lifecycle import RunSpec
from .expand import GridSpec
from .expand import points as points_of
from .runner import last_point_skipped, prepare, run
from .view import grid_view

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from ..recording.check_hook import CheckOptions
    from ..store import Store
    from .dask.cluster import Cluster
    from .point import Binder


def run_cell_grid(
    shell: InteractiveShell,
    plan: ExperimentPlan,
    spec: GridSpec,
    *,
    force: bool = False,
    live: bool = True,
    stop_on_error: bool = False,
    journal_url: str | None = None,
    checks: CheckOptions | None = None,
    engine: str | None = None,
) -> None:
    """Run the cell once per point of ``spec``: in this kernel, or with ``engine``
    (``dask``, ``dask=ADDRESS``) as tasks on a Dask cluster."""
    __tracebackhide__ = True
    cluster = _cluster(engine, journal_url, stop_on_error)
    if cluster is not None:
        try:
            return _run_on_dask(shell, plan, spec, cluster, force=force, live=live, checks=checks)
        finally:
            cluster.close()
    grid = prepare(
        spec=spec,
        template=_template(shell, plan),
        base_fingerprint=plan.fingerprint,
        bind=_binder(plan),
        journal=journal_url,
        source=plan.source,
        checks=checks,
        force=force,
    )
    outcomes = run(
        grid,
        namespace=shell.user_ns,
        view=grid_view(live),
        execute_for=lambda job: cell_body(shell, plan).run,
        stop_on_error=stop_on_error,
    )
    skipped_last = last_point_skipped(grid, outcomes)
    if skipped_last is not None:
        restore_last_point(shell, skipped_last, grid.jobs[-1].bound, grid.store)


def _cluster(engine: str | None, journal_url: str | None, stop_on_error: bool) -> Cluster | None:
    """The checked Dask cluster for ``engine``, or ``None`` to run in this kernel."""
    if engine is None:
        return None
    from ..errors import BadInput
    from .dask.cluster import connect, engine_address

    address = engine_address(engine)
    if stop_on_error:
        raise BadInput("--stop-on-error is not available with --engine dask: points run at once")
    return connect(address, journal_url)


def _run_on_dask(
    shell: InteractiveShell,
    plan: ExperimentPlan,
    spec: GridSpec,
    cluster: Cluster,
    *,
    force: bool,
    live: bool,
    checks: CheckOptions | None,
) -> None:
    """The grid's points as tasks on ``cluster``, with the cell's inputs shipped once."""
    from .dask.cluster import imported_modules, warm
    from .dask.engine import run_on_dask

    names = set(plan.bound) | {name for values in points_of(spec) for name in values}
    inputs = {
        name: shell.user_ns[name]
        for name in plan.cell.free_names
        if name in shell.user_ns and name not in names and not name.startswith("_")
    }
    warm(
        cluster, imported_modules(plan.body, inputs)
    )  # the workers ready themselves while the grid is prepared
    grid = prepare(
        spec=spec,
        template=_template(shell, plan),
        base_fingerprint=plan.fingerprint,
        bind=_binder(plan),
        journal=cluster.journal_url,
        source=plan.source,
        checks=checks,
        force=force,
    )
    results = run_on_dask(grid, cluster, inputs=inputs, view=grid_view(live))
    last = grid.jobs[-1] if grid.jobs else None
    if last is None:
        return
    run_id = grid.done.get(last.index)
    ended = results.get(last.index)
    if run_id is None and ended is not None and ended["status"] in ("finished", "done"):
        run_id = ended["run_id"]
    if run_id is not None:
        restore_last_point(shell, run_id, last.bound, grid.store)


def _template(shell: InteractiveShell, plan: ExperimentPlan) -> RunSpec:
    """The run every point of the cell's grid records, its parameters and fingerprint aside:
    the cell's own :meth:`~nbjournal.runs.cell.ExperimentPlan.spec` (one place says what a
    cell's run records), with the environment captured once per grid, not once per point."""
    spec = plan.spec(shell)
    return dataclasses.replace(spec, env=capture_environment(spec.notebook, Path.cwd()))


def _binder(plan: ExperimentPlan) -> Binder:
    """A point's bound names, fingerprint and parameters: those of the cell run with ``-p``."""

    def bind(values: dict[str, object]) -> tuple[dict[str, object], str, dict[str, object]]:
        point = plan_point(plan, values)
        return point.bound, point.fingerprint, point.params

    return bind


def restore_last_point(
    shell: InteractiveShell,
    run_id: int,
    bound: Mapping[str, object],
    journal: str | Store | None = None,
) -> None:
    """Restore on duplicate, for a grid: the product's last point was skipped as done.

    A loop would leave the last point's names in the namespace: its values are
    bound here, and what its run's cell bound (``model``, ``history``…) comes back
    through :func:`nbjournal.runs.restore.restore_run`.
    """
    shell.user_ns.update(bound)
    from ..runs.restore import restore_run

    try:
        restore_run(shell, run_id, journal)
    except Exception as failure:  # restoring is a convenience: never an error
        warnings.warn(
            f"nbjournal: could not restore run #{run_id} ({failure})", JournalWarning, stacklevel=2
        )
