"""GET runs/{id} carries the run's procedure, its status checked against the notebook as saved
now under the server's root (the path the run recorded is relative to it)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from nbjournal.rules.code_hash import code_hash
from nbjournal.store import Store
from nbjournal.store.procedures import save_procedure

from .helpers import make_run

EXPERIMENT = "%%experiment e\nr = x"


def _entry(count: int, code: str, cell_id: str) -> dict[str, object]:
    return {"execution_count": count, "cell_id": cell_id, "code_hash": code_hash(code),
            "code": code, "bound": ["x"], "names": ["x"]}  # fmt: skip


@pytest.fixture
def jp_server_config(journal_home: Path, jp_root_dir: Path) -> dict[str, object]:
    return {"ServerApp": {"jpserver_extensions": {"nbjournal": True}}}


async def test_a_run_shows_its_upstream_cells_and_that_one_was_edited(
    store: Store, get_json, jp_root_dir: Path
) -> None:
    # Given a run of projects/a.ipynb whose upstream cell was edited after it ran
    run_id = make_run(store, hypothesis="h")
    from nbjournal.store.schema import runs

    with store.engine.begin() as connection:
        connection.execute(runs.update().values(notebook="projects/a.ipynb"))
    save_procedure(store, run_id, {"cell": _entry(2, EXPERIMENT, "e"),
                                   "cells": [_entry(1, "x = 1", "a")], "hidden": []})  # fmt: skip
    (jp_root_dir / "projects").mkdir()
    notebook = nbformat.v4.new_notebook()
    for cell_id, code in [("a", "x = 2"), ("e", EXPERIMENT)]:
        cell = nbformat.v4.new_code_cell(code)
        cell["id"] = cell_id
        notebook.cells.append(cell)
    nbformat.write(notebook, jp_root_dir / "projects" / "a.ipynb")

    # When the sidebar opens it
    body = await get_json("runs", run_id)

    # Then its procedure says which cell, and why it is not clean
    procedure = body["procedure"]
    assert procedure["status"] == "upstream edited"
    assert procedure["reason"] == "In [1] has other code in the notebook now"
    assert procedure["notebook_checked"] is True
    assert [c["code"] for c in procedure["cells"]] == ["x = 1"]
    assert procedure["cell"]["cell_id"] == "e"
    assert (procedure["replay_of"], procedure["replays"], procedure["reproduced"]) == (
        None,
        [],
        None,
    )


async def test_a_run_without_a_procedure_has_none(store: Store, get_json) -> None:
    run_id = make_run(store)
    assert (await get_json("runs", run_id))["procedure"] is None
