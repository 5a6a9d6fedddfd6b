"""A notebook whose grid cell reads names made and changed upstream: what each grid point's
procedure must hold (shared by the kernel and the Dask engine tests)."""

from __future__ import annotations

from typing import Any

from IPython.utils.capture import capture_output

#: (cell id, code) before the grid cell; ``d`` binds nothing the grid reads
UPSTREAM = [
    ("a", "import math"),
    ("b", "base = [1.0, 2.0]"),
    ("c", "base.append(3.0)"),
    ("d", "unrelated = 5"),
]
GRID_BODY = "score = k * sum(base) / math.pi\nscore"


def run_notebook(shell: Any, grid_line: str) -> None:
    """The upstream cells and the grid cell, each stored in the history with its cell id."""
    with capture_output():
        for cell_id, code in UPSTREAM:
            shell.run_cell(code, store_history=True, cell_id=cell_id)
        shell.run_cell(f"{grid_line}\n{GRID_BODY}", store_history=True, cell_id="g")


def check_points(journal: Any, experiment: str, grid_line: str) -> None:
    """Every point (k = 1, 2) recorded the grid cell's upstream cells, signed by the user."""
    from nbjournal.artifacts.code_trust import code_refusal
    from nbjournal.store.procedures import procedure

    runs = journal.runs(experiment=experiment).sort_values("id")
    assert list(runs["status"]) == ["finished", "finished"]
    assert sorted(runs["param.k"]) == [1, 2]
    for run_id in runs["id"]:
        frame = journal.procedure(int(run_id))
        assert list(frame["cell_id"]) == ["a", "b", "c"]
        assert list(frame["code"]) == [code for _, code in UPSTREAM[:3]]
        assert frame.cell["cell_id"] == "g" and frame.cell["code"].startswith(grid_line)
        assert frame.status == "clean", frame.reason
        record = procedure(journal.store, int(run_id))
        assert record is not None and code_refusal(record.slice, int(run_id)) is None
