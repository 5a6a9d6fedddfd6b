"""The status rule on recorded procedures and saved notebooks (no kernel)."""

from __future__ import annotations

import json
from pathlib import Path

from nbjournal.analysis.staleness import NotebookCell, find_notebook, read_notebook, status_of
from nbjournal.rules.code_hash import code_hash


def entry(count: int, code: str, cell_id: str | None, **extra: object) -> dict[str, object]:
    return {"execution_count": count, "cell_id": cell_id, "code_hash": code_hash(code),
            "code": code, "names": ["x"], **extra}  # fmt: skip


EXPERIMENT = "%%experiment e\nr = x"


def record(*cells: dict[str, object], count: int = 9, **extra: object) -> dict[str, object]:
    return {"cell": entry(count, EXPERIMENT, "e"), "cells": list(cells), **extra}


def test_clean_in_the_notebook_and_without_it() -> None:
    procedure = record(entry(1, "x = 1", "a"))
    notebook = [NotebookCell("a", "x = 1\n"), NotebookCell("e", EXPERIMENT)]
    found = status_of(procedure, notebook)
    assert (found.status, found.notebook_checked) == ("clean", True)
    unknown = status_of(procedure, None)
    assert unknown.status == "clean" and "not checked" in unknown.reason


def test_the_most_serious_status_first_and_every_reason() -> None:
    procedure = record(entry(1, "x = 1", "a"), entry(2, "y = 2", "b"), hidden=["h"])
    notebook = [NotebookCell("a", "x = 5"), NotebookCell("e", EXPERIMENT)]
    found = status_of(procedure, notebook)
    assert found.status == "upstream gone"
    assert [p[0] for p in found.problems] == ["upstream gone", "upstream edited", "hidden state"]
    assert found.reason == (
        "In [2] is no longer in the notebook; In [1] has other code in the notebook now; "
        "no recorded cell bound h"
    )


def test_out_of_order_pairs_and_shadows() -> None:
    procedure = record(entry(1, "x = 1", "b"), entry(2, "y = x", "a"))
    notebook = [
        NotebookCell("a", "y = x"),
        NotebookCell("b", "x = 1"),
        NotebookCell("e", EXPERIMENT),
    ]
    assert status_of(procedure, notebook).reason == "In [1] ran before In [2] but sits below it"
    shadowed = record(entry(2, "x = 1", "a", shadows=[entry(1, "x = 2", "b")]))
    notebook = [
        NotebookCell("a", "x = 1"),
        NotebookCell("b", "x = 2"),
        NotebookCell("e", EXPERIMENT),
    ]
    found = status_of(shadowed, notebook)
    assert found.status == "out of order" and "In [2] ran after In [1]" in found.reason
    # a shadow below the experiment cell does not take part in a top-to-bottom run above it
    notebook = [
        NotebookCell("a", "x = 1"),
        NotebookCell("e", EXPERIMENT),
        NotebookCell("b", "x = 2"),
    ]
    assert status_of(shadowed, notebook).status == "clean"


def test_cells_without_ids_are_found_by_their_code() -> None:
    procedure = record(entry(1, "x = 1", None))
    assert (
        status_of(procedure, [NotebookCell("z", "x = 1"), NotebookCell("e", EXPERIMENT)]).status
        == "clean"
    )
    gone = status_of(procedure, [NotebookCell("z", "x = 2"), NotebookCell("e", EXPERIMENT)])
    assert gone.status == "upstream gone" and "no cell id was recorded" in gone.reason


def test_the_notebook_file_is_found_and_read(tmp_path: Path) -> None:
    folder = tmp_path / "project" / "sub"
    folder.mkdir(parents=True)
    cells = [{"cell_type": "markdown", "id": "m", "source": "# hi", "metadata": {}},
             {"cell_type": "code", "id": "a", "source": ["x = 1\n", "y = 2"], "metadata": {},
              "outputs": [], "execution_count": None}]  # fmt: skip
    path = folder / "n.ipynb"
    path.write_text(
        json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {}})
    )
    assert read_notebook(path) == [NotebookCell("a", "x = 1\ny = 2")]
    assert find_notebook("project/sub/n.ipynb", [folder]) == path  # relative to a parent (the root)
    assert find_notebook(str(path), []) == path
    assert find_notebook("elsewhere/n.ipynb", [folder]) == path  # beside the working folder
    assert find_notebook("missing.ipynb", [folder]) is None
    (folder / "bad.ipynb").write_text("{not json")
    assert read_notebook(folder / "bad.ipynb") is None
