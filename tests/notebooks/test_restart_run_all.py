""" "Restart & Run All": a notebook run a second time from a fresh kernel trains nothing, and
every later cell finds the names its experiment cells made (a real kernel, through nbclient)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest

from nbjournal.cli.demo import execute

pytestmark = pytest.mark.slow

CELLS = [
    "%load_ext nbjournal",
    """import numpy as np
rng = np.random.RandomState(0)
X = rng.rand(120, 6).astype("float32")
y = (X[:, :3].sum(axis=1) > 1.5).astype("int32")""",
    """%%experiment restart-mlp
# Hypothesis: a tiny MLP learns the threshold.
import keras
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, validation_split=0.25, epochs=3, batch_size=16, verbose=0)
{"train_accuracy": history.history["accuracy"][-1]}""",
    """%%experiment restart-logreg
# Hypothesis: a linear model is enough.
from sklearn.linear_model import LogisticRegression
clf = LogisticRegression(C=0.5).fit(X, y)
acc = clf.score(X, y)
acc""",
    "%inference --verdict supported the linear model reached {round(acc, 3)}",
    """%%experiment restart-stats
means = X.mean(axis=0)
summary = {"n": len(X), "positives": int(y.sum())}
summary""",
    """import glob
pred = model.predict(X, verbose=0)
np.save(f"pred-{len(glob.glob('pred-*.npy'))}.npy", pred)
print(pred[:3].round(5).tolist(), round(history.history["loss"][-1], 5), history.model is model)""",
    "clf.predict(X[:8]).tolist(), round(acc, 6)",
    "means.round(4).tolist(), summary",
    """%%experiment restart-sweep --grid c=[0.01,0.1,1.0,10.0] --no-live
{"score": LogisticRegression(C=c).fit(X, y).score(X, y)}""",
    """%%experiment restart-sweep --suggested 2 --no-live
{"score": LogisticRegression(C=c).fit(X, y).score(X, y)}""",
]
LATER = range(6, 9)
SUGGESTED = 10


def _notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nbformat.write(notebook, path)
    return path


def _texts(cell) -> list[str]:
    return [
        o.get("text", "") + o.get("data", {}).get("text/plain", "")
        for o in cell.outputs
        if o.get("output_type") != "display_data"
    ]


def test_a_restarted_notebook_restores_instead_of_training(tmp_path, monkeypatch):
    import nbjournal
    from nbjournal.store import forget_stores

    monkeypatch.setenv("NBJOURNAL_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    monkeypatch.delenv("NBJOURNAL_ARTIFACTS", raising=False)
    forget_stores()
    path = _notebook(tmp_path / "restart.ipynb")

    first = nbformat.read(execute(path, tmp_path / "first.ipynb"), as_version=4)
    second = nbformat.read(execute(path, tmp_path / "second.ipynb"), as_version=4)

    for executed in (first, second):
        errors = [o for c in executed.cells for o in c.outputs if o.output_type == "error"]
        assert errors == []
    journal = nbjournal.Journal()
    assert len(journal.runs()) == 3 + 4 + 2  # the second run trained nothing
    # the suggested points are re-run (restored) from the same grid: nothing new is trained
    suggested = "".join(_texts(second.cells[SUGGESTED]))
    assert "2 suggested points (by TPE over 4 runs, as grid #2 ran them" in suggested
    assert _texts(first.cells[SUGGESTED])[0].startswith("2 suggested points (TPE over 4 runs): ")
    assert len(journal.grids()) == 2
    for index, run_id in zip((2, 3, 5), (1, 2, 3), strict=True):
        notice = second.cells[index].outputs[0]["data"]["text/plain"].splitlines()[0]
        assert notice.startswith(f"Restored from run #{run_id} (finished ")
        assert notice.endswith("· --force trains again")
        assert second.cells[index].outputs[-1]["output_type"] == "execute_result"
        assert _texts(second.cells[index])[-1] == _texts(first.cells[index])[-1]
    assert "model, history" in second.cells[2].outputs[0]["data"]["text/plain"]
    # the restored Keras cell keeps its curves (drawn from the journal's points, offline),
    # as the first run's live view left them; the scikit-learn cell had none to keep
    assert _charts(second.cells[2]) and len(_charts(first.cells[2])) == 1
    svg = _charts(second.cells[2])[0]["data"]["image/svg+xml"]
    assert 'data-role="nbj-static"' in svg and "accuracy" in svg and "loss" in svg
    assert _charts(second.cells[3]) == []
    for index in LATER:
        assert _texts(second.cells[index]) == _texts(first.cells[index])
    assert "True" in _texts(second.cells[6])[0]  # the history's model is the restored model
    assert np.array_equal(np.load(tmp_path / "pred-0.npy"), np.load(tmp_path / "pred-1.npy"))
    # and any process loads what a run made: here, the test's own
    X = np.random.RandomState(0).rand(120, 6).astype("float32")
    history = journal.load(1, "history")
    assert np.array_equal(history.model.predict(X, verbose=0), np.load(tmp_path / "pred-0.npy"))
    assert journal.load(2, "Out") == _acc(first)
    # the inference attaches to the restored run, once, with its expression filled in
    assert _texts(second.cells[4]) == ["Inference already recorded on run #2; nothing added.\n"]
    inferences = journal.run(2).inferences
    assert [i.text for i in inferences] == [f"the linear model reached {round(_acc(first), 3)}"]
    forget_stores()


def _charts(cell) -> list:
    return [o for o in cell.outputs if "image/png" in o.get("data", {})]


def _acc(executed) -> float:
    return float(_texts(executed.cells[3])[-1])
