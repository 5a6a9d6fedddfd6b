"""A grid point and a cell are one run body (``runs/body.py``): the same cell run with ``-p``
and as the matching point of a ``--grid`` records the same run, field for field. A field
recorded by one path only (a hook attached by one, results read by one, artifacts saved by
one) fails here."""

from __future__ import annotations

from typing import Any

import pytest

from tests.one_body import BODY, DATA, recorded

pytestmark = pytest.mark.slow


def test_a_cell_and_the_same_cell_as_a_grid_point_record_the_same_run(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell(DATA)
    # Given the cell run by hand with -p
    shell.run_cell(f"%%experiment one-body -p units=4\n{BODY}")
    cell_result = shell.user_ns["_"]
    # When the same cell runs as the point units=4 of a grid (forced: the cell's run is its twin)
    shell.run_cell(f"%%experiment one-body --grid units=[4] --force\n{BODY}")
    capsys.readouterr()

    runs = journal.runs(experiment="one-body").sort_values("id")
    assert list(runs["status"]) == ["finished", "finished"]
    cell, point = (journal.run(int(i)) for i in runs["id"])
    # Then the two runs are one record: code, params, data, env, metrics, checks, artifacts
    assert point.repeat_of == cell.id
    assert recorded(point) == recorded(cell)
    # and what the body records is really there, in both
    assert cell.checks["findings"] and cell.checks["findings"][0]["name"] == "sorted-labels"
    assert {"loss", "val_loss", "accuracy", "width"} <= set(cell.metrics)
    assert {"model", "history"} <= {a.name for a in cell.artifacts}
    assert cell_result["width"] == 8
    # and the point leaves the namespace as the cell does: its values and what it bound
    assert shell.user_ns["units"] == 4 and "model" in shell.user_ns
