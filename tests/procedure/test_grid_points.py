"""A grid's points record the grid cell's procedure as a cell's run does (``runs/body.py``,
the one run body): in the kernel here, on Dask workers in tests/cluster."""

from __future__ import annotations

from typing import Any

from .grid_cells import check_points, run_notebook


def test_each_grid_point_records_the_grid_cells_upstream_cells(shell: Any, journal: Any) -> None:
    line = "%%experiment grid-procedure --grid k=[1,2]"
    run_notebook(shell, line)
    check_points(journal, "grid-procedure", line)
