"""A grid's points record the grid cell's procedure as a cell's run does (``runs/body.py``,
the one run body): in the kernel here, on Dask workers in tests/cluster."""

from __future__ import annotations

from typing import Any

import pytest

from .grid_cells import check_points, run_notebook


def test_each_grid_point_records_the_grid_cells_upstream_cells(shell: Any, journal: Any) -> None:
    line = "%%experiment grid-procedure --grid k=[1,2]"
    run_notebook(shell, line)
    check_points(journal, "grid-procedure", line)


@pytest.mark.slow  # a fresh kernel
def test_a_grid_points_replay_runs_the_grid_cell_and_compares_that_point(
    shell: Any, journal: Any
) -> None:
    line = "%%experiment grid-replay --grid k=[1,2]"
    run_notebook(shell, line)
    runs = journal.runs(experiment="grid-replay")
    first = int(runs[runs["param.k"] == 1]["id"].iloc[0])  # not the newest point
    result = journal.replay(first)
    assert result.matched and result.metrics["score"]["verdict"] == "identical"
    assert journal.run(result.replay_id).params["k"] == 1  # that point, among the grid's new runs
    assert len(journal.runs(experiment="grid-replay")) == 4
