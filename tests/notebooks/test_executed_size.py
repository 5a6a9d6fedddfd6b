"""An executed notebook stays small (issue 21.4): run headless with the widget state saved
(nbclient's, nbconvert's and papermill's default), 20 fits leave no chart bundle and no
closed view behind, and each run's static record is still what the saved notebook shows."""

from __future__ import annotations

import json

import nbformat
import pytest

pytestmark = pytest.mark.slow

FITS = 20
STATE = "application/vnd.jupyter.widget-state+json"
BOUND = 1_500_000  # bytes: the goal for a notebook with 20 fits

SETUP = [
    "%load_ext nbjournal",
    """import numpy as np
import keras
rng = np.random.RandomState(0)
X = rng.rand(120, 4).astype("float32")
y = (X[:, :2].sum(axis=1) > 1.0).astype("int32")""",
]

FIT = """%%experiment tiny
# Hypothesis: {units} units fit a planted sum rule.
keras.utils.set_random_seed({units})
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense({units}, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, validation_split=0.25, epochs=6, batch_size=30, verbose=0)"""


def _execute(path, tmp_path):
    from nbclient import NotebookClient

    document = nbformat.read(path, as_version=4)
    # nbclient's defaults, as nbconvert --execute and papermill use them: widget state saved
    NotebookClient(
        document,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    nbformat.write(document, path)
    return document


def test_a_notebook_of_20_fits_executed_headless_stays_small_and_shows_each_run(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("NBJOURNAL_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    monkeypatch.delenv("NBJOURNAL_ARTIFACTS", raising=False)
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    path = tmp_path / "fits.ipynb"
    notebook = nbformat.v4.new_notebook()
    sources = SETUP + [FIT.format(units=units) for units in range(1, FITS + 1)]
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)

    executed = _execute(path, tmp_path)

    size = path.stat().st_size
    widgets = json.dumps(executed.metadata.get("widgets", {}))
    saved = executed.metadata.get("widgets", {}).get(STATE, {}).get("state", {})
    # no chart script (900 kB) nor points left by a closed view: only small empty models
    assert max((len(json.dumps(model)) for model in saved.values()), default=0) < 2_000
    # the charts' library (Vega, ~0.9 MB) has one holder per kernel, which no page answered
    # here: emptied, so no copy of it is saved (before, each view's chart carried one)
    libraries = [m for m in saved.values() if "code" in m.get("state", {})]
    assert [m["state"]["code"] for m in libraries] == [""]
    print(f"executed: {size:,} bytes; widget state {len(widgets):,} bytes")  # for the record
    assert size < BOUND, f"{size} bytes; widget state {len(widgets)} bytes"
    for units, cell in zip(range(1, FITS + 1), executed.cells[len(SETUP) :], strict=True):
        kinds = [o.output_type for o in cell.outputs]
        assert "error" not in kinds, cell.outputs
        data = [o.get("data", {}) for o in cell.outputs]
        # the static record took the live view's place: header, chart, no widget left
        assert not any("application/vnd.jupyter.widget-view+json" in d for d in data)
        html = "\n".join(d.get("text/html", "") for d in data)
        assert f"{units} units fit a planted sum rule" in html
        charts = [d for d in data if "image/svg+xml" in d or "image/png" in d]
        assert len(charts) == 1, kinds
