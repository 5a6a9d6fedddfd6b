"""A grid's points on Dask workers record the grid cell's procedure, signed by the user (the
kernel adopts the workers' signatures, as for artifacts): a replay may run it."""

from __future__ import annotations

from typing import Any

import nbjournal
from tests.procedure.grid_cells import check_points, run_notebook


def test_each_point_on_a_worker_records_the_grid_cells_upstream_cells(
    cluster: Any, shell: Any, journal_url: str
) -> None:
    line = f"%%experiment grid-procedure-dask --grid k=[1,2] --engine dask --journal {journal_url}"
    run_notebook(shell, line)
    check_points(nbjournal.Journal(journal_url), "grid-procedure-dask", line)
