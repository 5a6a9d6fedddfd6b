"""A notebook executed headlessly in a real kernel: at the run's end the widget view is replaced
by its static record (HTML words, an SVG chart, the footer), so the saved outputs show with no
kernel and no JavaScript (in nbconvert's HTML, for instance) and hold no widget whose model
would be missing when the notebook is opened again."""

from __future__ import annotations

import base64
import os
import re
from typing import Any

import nbformat
import pytest

pytestmark = pytest.mark.slow

WIDGET = "application/vnd.jupyter.widget-view+json"

CELLS = [
    "%load_ext nbjournal",
    "import numpy as np\nrng = np.random.RandomState(0)\nX = rng.rand(160, 8).astype('float32')\n"
    "y = (X.sum(axis=1) > 4).astype('int32')",
    """%%experiment notebook-view
# Hypothesis: the view survives the notebook being saved.
import keras
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, validation_split=0.25, epochs=3, batch_size=16, verbose=0);""",
    """import nbjournal
callback = nbjournal.JournalCallback("callback-view", hypothesis="any notebook gets the view")
model.fit(X, y, validation_split=0.25, epochs=2, batch_size=16, verbose=0, callbacks=[callback]);""",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The notebook, executed once for the tests of this module."""
    from nbclient import NotebookClient

    tmp_path = tmp_path_factory.mktemp("live-notebook")
    saved = dict(os.environ)
    os.environ.update(NBJOURNAL_HOME=str(tmp_path / "home"), TF_CPP_MIN_LOG_LEVEL="3")
    os.environ.pop("NBJOURNAL_URL", None)
    os.environ.pop("NBJOURNAL_LIVE", None)
    try:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path)}},
        )
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    path = tmp_path / "executed.ipynb"
    nbformat.write(notebook, path)
    return nbformat.read(path, as_version=4)  # as saved


def _kinds(outputs: list[Any]) -> list[str]:
    return [
        "view" if WIDGET in o.data else "svg" if "image/svg+xml" in o.data else "record"
        for o in outputs
        if WIDGET in o.data
        or "image/svg+xml" in o.data
        or "nbj-static" in o.data.get("text/html", "")
    ]


def test_the_saved_notebook_has_the_static_record_in_place_of_the_view(executed: Any) -> None:
    outputs = [o for o in executed.cells[2].outputs if o.output_type == "display_data"]
    assert _kinds(outputs) == ["record", "svg", "record"]  # the view's layout, no widget left
    top, bottom = (o.data["text/html"] for o in outputs if "text/html" in o.data)
    assert "notebook-view" in top and "finished" in top and "epoch 3 of 3" in top
    assert "the view survives the notebook being saved." in top
    assert "nbj-best" in bottom and "val_accuracy" in bottom
    svg = next(o.data["image/svg+xml"] for o in outputs if "image/svg+xml" in o.data)
    assert "<svg" in svg and svg.count("<path") > 10


def test_a_journal_callback_in_any_notebook_shows_the_same_view(executed: Any) -> None:
    outputs = [o for o in executed.cells[3].outputs if o.output_type == "display_data"]
    assert _kinds(outputs) == ["record", "svg", "record"]
    record = next(
        o.data["text/html"] for o in outputs if "nbj-static" in o.data.get("text/html", "")
    )
    assert "callback-view" in record and "any notebook gets the view" in record
    assert "epoch 2 of 2" in record


def test_nbconvert_html_shows_the_static_chart_without_a_kernel(executed: Any) -> None:
    from nbconvert import HTMLExporter

    executed.metadata.pop("widgets", None)  # as saved by JupyterLab, which keeps no widget state
    body, _ = HTMLExporter().from_notebook_node(executed)
    assert "nbj-static" in body  # the record's words
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', body)
    charts = [base64.b64decode(i).decode() for i in images]
    assert [c for c in charts if 'data-role="nbj-static"' in c]  # the chart, as SVG
    assert "Error displaying widget" not in body
