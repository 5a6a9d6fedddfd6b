"""A grid from an ``%%experiment`` cell: the cell planned once, each point run in the kernel.

The inputs are fingerprinted once, when the cell is planned; each point's
fingerprint is that basis combined with the point's values, the very
fingerprint a hand-run cell with the same ``-p`` values gets (so a point run by
hand counts as done).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from ..capture.environment import capture_environment, notebook_path
from ..recorder import JournalWarning
from ..runs.cell import ExperimentPlan, execute, plan_point
from .expand import SEED, GridSpec
from .point import PointJob
from .runner import last_point_skipped, prepare, run
from .view import grid_view


def run_cell_grid(
    shell: Any,
    plan: ExperimentPlan,
    spec: GridSpec,
    *,
    force: bool = False,
    live: bool = True,
    stop_on_error: bool = False,
    journal_url: str | None = None,
    checks: Any = None,
) -> None:
    __tracebackhide__ = True
    notebook = notebook_path(shell.user_ns)
    env = capture_environment(notebook, Path.cwd())  # once per grid, not once per point
    plans: dict[int, ExperimentPlan] = {}

    def make_job(index: int, values: dict[str, Any], _spec: GridSpec) -> PointJob:
        point = plans[index] = plan_point(plan, values)
        return PointJob(
            experiment=plan.experiment,
            index=index,
            values=values,
            bound=point.bound,
            fingerprint=point.fingerprint,
            source=plan.source,
            code=plan.body,
            hypothesis=plan.hypothesis,
            params=point.params,
            data=plan.data,
            tags=plan.tags,
            notebook=notebook,
            seed=values.get(SEED) if spec.repeat > 1 else None,
            env=env,
            checks=checks,
        )

    grid = prepare(
        experiment=plan.experiment,
        spec=spec,
        base_fingerprint=plan.fingerprint,
        make_job=make_job,
        journal=journal_url,
        hypothesis=plan.hypothesis,
        code=plan.body,
        notebook=notebook,
        force=force,
    )
    outcomes = run(
        grid,
        namespace=shell.user_ns,
        view=grid_view(live),
        execute_for=lambda job: lambda: execute(shell, plans[job.index]),
        stop_on_error=stop_on_error,
    )
    skipped_last = last_point_skipped(grid, outcomes)
    if skipped_last is not None:
        restore_last_point(shell, skipped_last, grid.jobs[-1].bound)


def restore_last_point(shell: Any, run_id: int, bound: dict[str, Any]) -> None:
    """Restore on duplicate, for a grid: the product's last point was skipped as done.

    A loop would leave the last point's names in the namespace: its values are
    bound here, and what its run's cell bound (``model``, ``history``…) comes back
    through :func:`nbjournal.runs.restore.restore_run`.
    """
    shell.user_ns.update(bound)
    from ..runs.restore import restore_run

    try:
        restore_run(shell, run_id)
    except Exception as failure:  # restoring is a convenience: never an error
        warnings.warn(
            f"nbjournal: could not restore run #{run_id} ({failure})", JournalWarning, stacklevel=2
        )
