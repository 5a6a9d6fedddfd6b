"""A restored cell says what was wrong with the run it restores (issue 21.3): read back from a
notebook executed twice in fresh kernels (the second time every cell restores)."""

from __future__ import annotations

import nbformat
import pytest

from nbjournal.cli.demo import execute

pytestmark = pytest.mark.slow

CELLS = [
    "%load_ext nbjournal",
    """import numpy as np
rng = np.random.RandomState(0)
X = rng.rand(200, 6).astype("float32")
y = (X[:, :3].sum(axis=1) > 1.5).astype("int32")""",
    """%%experiment leaky-still
# Hypothesis: a model that never moves (lr 0) on leaked validation rows.
import keras
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
history = model.fit(X, y, validation_data=(X[:60], y[:60]), epochs=8, batch_size=50, verbose=0)""",
]


def _texts(cell) -> str:
    return "\n".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs
    )


def _htmls(cell) -> str:
    return "\n".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)


def test_a_restored_cell_carries_its_runs_findings_and_diagnoses(tmp_path, monkeypatch):
    import nbjournal
    from nbjournal.store import forget_stores

    monkeypatch.setenv("NBJOURNAL_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    monkeypatch.delenv("NBJOURNAL_ARTIFACTS", raising=False)
    forget_stores()
    path = tmp_path / "leaky.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nbformat.write(notebook, path)

    execute(path, tmp_path / "first.ipynb")
    second = nbformat.read(execute(path, tmp_path / "second.ipynb"), as_version=4)

    run = nbjournal.Journal().run(1)
    findings = [f["name"] for f in run.checks["findings"]]
    kinds = [d["kind"] for d in run.diagnoses]
    assert "leakage" in findings and "plateau" in kinds  # the planted truth, recorded
    restored = second.cells[2]
    text, html = _texts(restored), _htmls(restored)
    assert text.startswith("Restored from run #1")
    leak = next(f for f in run.checks["findings"] if f["name"] == "leakage")
    plateau = next(d for d in run.diagnoses if d["kind"] == "plateau")
    assert f"⚠ check leakage: {leak['message']}" in text
    assert f"⚠ plateau: {plateau['message']}" in text
    assert "check leakage" in html and "plateau" in html
    forget_stores()
