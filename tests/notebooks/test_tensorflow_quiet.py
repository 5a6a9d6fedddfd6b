"""TensorFlow's C++ start-up notes stay out of the first cell that imports Keras once
nbjournal is loaded (issue 21.14): a real kernel that forwards its stderr into the cells,
as JupyterLab's does."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow


def _stderr(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr")


def test_the_first_cell_that_imports_keras_shows_no_tensorflow_start_up_notes(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.setenv("NBJOURNAL_HOME", str(tmp_path / "home"))
    # the planted truth: on this machine TensorFlow does write its notes when it starts
    bare = subprocess.run(
        [sys.executable, "-c", "import tensorflow"], capture_output=True, text=True, check=True
    )
    assert "oneDNN" in bare.stderr or "cuda" in bare.stderr.lower()

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("%load_ext nbjournal"),
        nbformat.v4.new_code_cell("import keras\nprint(keras.__version__)"),
        nbformat.v4.new_code_cell("import sys\nprint('still heard', file=sys.stderr)"),
    ]
    # ipykernel forwards its stderr into the cells unless it believes it runs under pytest
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute(env=env)

    assert _stderr(notebook.cells[1]) == ""
    assert notebook.cells[1].outputs[0]["text"].strip()[0].isdigit()  # the import ran
    assert _stderr(notebook.cells[2]) == "still heard\n"  # stderr is not silenced after it
