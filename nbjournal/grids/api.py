"""``nbjournal.run_grid``: a grid from a script, with the same skip, claim and record rules.

The function is called as ``function(**point)`` per point; what it returns (a
number or a dict of numbers) is recorded as metrics, as a cell's last
expression is. The point's fingerprint hashes the function's source and the
point's values, so a re-run skips what finished and a changed function runs
everything again.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..capture import code as cellcode
from ..capture.environment import capture_environment
from ..errors import BadInput
from ..runs.cell import fingerprint_of
from ..runs.lifecycle import RunSpec
from ..store import limits
from .expand import make_points_spec, make_spec
from .runner import prepare, run
from .view import grid_view

if TYPE_CHECKING:
    import pandas as pd

    from .runner import GridRun


def run_grid(
    experiment: str,
    function: Callable[..., object],
    grid: Mapping[str, Sequence[object]] | None = None,
    repeat: int = 1,
    sample: int | None = None,
    hypothesis: str | None = None,
    *,
    engine: str | None = None,
    grid_max: int | None = None,
    force: bool = False,
    stop_on_error: bool = False,
    live: bool = True,
    journal: str | None = None,
    tags: list[str] | None = None,
    points: Sequence[Mapping[str, object]] | None = None,
) -> pd.DataFrame | None:
    """Run ``function(**point)`` for every point of ``grid``; return the grid's points as a
    DataFrame (``Journal().grid(id)``), or ``None`` when the journal could not record it.

    ``points=[{...}, ...]`` instead of ``grid`` runs those points, in that order (for
    example ``Journal().insights(NAME).suggestions["point"]``), with the same rules.
    """
    if not callable(function):
        raise BadInput("run_grid needs a function to call with each point's values")
    if (grid is None) == (points is None):
        raise BadInput(
            "run_grid takes grid={name: [values]} or points=[{name: value}], one of them"
        )
    tag_list = limits.tags(tags or [])
    if points is not None:
        if sample is not None:
            raise BadInput("sample= draws from a grid: it does not go with points=")
        spec = make_points_spec(list(points), repeat=repeat, grid_max=grid_max)
    else:
        assert grid is not None  # one of them, checked above
        spec = make_spec(grid, repeat=repeat, sample=sample, grid_max=grid_max)
    cluster = None
    if engine is not None:
        from .dask.cluster import connect, engine_address

        address = engine_address(engine)
        if stop_on_error:
            raise BadInput("stop_on_error is not available with engine='dask': points run at once")
        cluster = connect(address, journal)
    source = _source(function)
    if cluster is not None:
        from .dask.cluster import function_imports, warm

        warm(cluster, function_imports(function))  # the workers ready themselves meanwhile
    basis = {"code": cellcode.parse_cell(source).normal_form, "inputs": [], "files": []}
    env = capture_environment(None, Path.cwd())  # once per grid, not once per point

    template = RunSpec(
        experiment=experiment,
        fingerprint=fingerprint_of(basis, {}),
        hypothesis=hypothesis or "",
        code=source,
        tags=tag_list,
        env=env,
    )
    prepared = prepare(
        spec=spec,
        template=template,
        base_fingerprint=template.fingerprint,
        bind=lambda values: (values, fingerprint_of(basis, values), dict(values)),
        journal=cluster.journal_url if cluster is not None else journal,
        force=force,
    )
    if cluster is not None:
        from .dask.engine import run_on_dask
        from .dask.task import CALL

        try:
            run_on_dask(prepared, cluster, inputs={CALL: function}, view=grid_view(live))
        finally:
            cluster.close()
        return _frame(prepared)
    run(
        prepared,
        namespace={},
        view=grid_view(live),
        execute_for=lambda job: lambda: function(**job.bound),
        stop_on_error=stop_on_error,
    )
    return _frame(prepared)


def _frame(prepared: GridRun) -> pd.DataFrame | None:
    if prepared.store is None or prepared.grid_id is None:
        return None
    from .frames import grid_frame

    return grid_frame(prepared.store.get_grid(prepared.grid_id))


def _source(function: Callable[..., object]) -> str:
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return f"# source not available\n{getattr(function, '__qualname__', repr(function))}\n"
