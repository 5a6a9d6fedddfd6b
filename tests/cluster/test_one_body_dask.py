"""A grid point on a Dask worker runs the one run body as a cell does (``runs/body.py``): the
same cell run with ``-p`` in the notebook and as a point on a worker records the same run."""

from __future__ import annotations

from typing import Any

import nbjournal
from tests.one_body import BODY, DATA, recorded


def test_a_cell_and_the_same_cell_as_a_point_on_a_worker_record_the_same_run(
    cluster: Any, shell: Any, journal_url: str, capsys: Any
) -> None:
    shell.run_cell(DATA)
    # Given the cell run by hand in the notebook
    shell.run_cell(f"%%experiment one-body -p units=4 --journal {journal_url}\n{BODY}")
    # When the same cell runs as a grid point on a worker (forced: the cell's run is its twin)
    shell.run_cell(
        f"%%experiment one-body --grid units=[4] --engine dask --force --journal {journal_url}\n"
        f"{BODY}"
    )
    capsys.readouterr()

    journal = nbjournal.Journal(journal_url)
    runs = journal.runs(experiment="one-body").sort_values("id")
    assert list(runs["status"]) == ["finished", "finished"]
    cell, point = (journal.run(int(i)) for i in runs["id"])
    # Then the worker's run is the cell's record, field for field
    assert point.pid != cell.pid and point.repeat_of == cell.id
    assert recorded(point) == recorded(cell)
    assert cell.checks["findings"] and cell.checks["findings"][0]["name"] == "sorted-labels"
    assert {"loss", "val_loss", "width"} <= set(cell.metrics)
