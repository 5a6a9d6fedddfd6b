""" "Restart & Run All": a notebook run a second time from a fresh kernel trains nothing, and
every later cell finds the names its experiment cells made (a real kernel, through nbclient);
a restored cell says what was wrong with the run it restores (issue 21.3).

The notebook is executed twice once for the module: each execution is a kernel that imports
Keras, the costliest part of these tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import numpy as np
import pytest

from nbjournal.cli.demo import execute

if TYPE_CHECKING:
    from nbjournal import Journal

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
    """%%experiment leaky-still
# Hypothesis: a model that never moves (lr 0) on leaked validation rows.
import keras
keras.utils.set_random_seed(0)
still = keras.Sequential([keras.Input((6,)), keras.layers.Dense(2, activation="softmax")])
still.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
still.fit(X, y, validation_data=(X[:60], y[:60]), epochs=8, batch_size=40, verbose=0)""",
]
LATER = range(6, 9)
SUGGESTED = 10
LEAKY = 11


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


@dataclass(frozen=True)
class Restarted:
    """The notebook after its first run and after Restart & Run All, and their folder."""

    first: nbformat.NotebookNode
    second: nbformat.NotebookNode
    folder: Path


@pytest.fixture(scope="module")
def restarted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Restarted]:
    from nbjournal.store import forget_stores

    folder = tmp_path_factory.mktemp("restart")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NBJOURNAL_HOME", str(folder / "home"))
        for name in ("NBJOURNAL_URL", "NBJOURNAL_ARTIFACTS"):
            env.delenv(name, raising=False)
        forget_stores()
        path = _notebook(folder / "restart.ipynb")
        first = nbformat.read(execute(path, folder / "first.ipynb"), as_version=4)
        second = nbformat.read(execute(path, folder / "second.ipynb"), as_version=4)
        yield Restarted(first, second, folder)
    forget_stores()


@pytest.fixture
def journal(restarted: Restarted, monkeypatch: pytest.MonkeyPatch) -> Iterator[Journal]:
    """The restarted notebook's journal, as ``Journal()`` finds it."""
    from nbjournal import Journal
    from nbjournal.store import forget_stores

    monkeypatch.setenv("NBJOURNAL_HOME", str(restarted.folder / "home"))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    forget_stores()
    yield Journal()
    forget_stores()


def test_a_restarted_notebook_restores_instead_of_training(restarted, journal):
    first, second, tmp_path = restarted.first, restarted.second, restarted.folder
    for executed in (first, second):
        errors = [o for c in executed.cells for o in c.outputs if o.output_type == "error"]
        assert errors == []
    assert len(journal.runs()) == 3 + 4 + 2 + 1  # the second run trained nothing
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


def test_a_restored_cell_carries_its_runs_findings_and_diagnoses(restarted, journal):
    run_id = int(journal.runs(experiment="leaky-still")["id"].iloc[0])
    run = journal.run(run_id)
    findings = [f["name"] for f in run.checks["findings"]]
    kinds = [d["kind"] for d in run.diagnoses]
    assert "leakage" in findings and "plateau" in kinds  # the planted truth, recorded
    restored = restarted.second.cells[LEAKY]
    text = "\n".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in restored.outputs
    )
    html = "\n".join(o.get("data", {}).get("text/html", "") for o in restored.outputs)
    assert text.startswith(f"Restored from run #{run_id}")
    leak = next(f for f in run.checks["findings"] if f["name"] == "leakage")
    plateau = next(d for d in run.diagnoses if d["kind"] == "plateau")
    assert f"⚠ check leakage: {leak['message']}" in text
    assert f"⚠ plateau: {plateau['message']}" in text
    assert "check leakage" in html and "plateau" in html


def _charts(cell) -> list:
    return [o for o in cell.outputs if "image/png" in o.get("data", {})]


def _acc(executed) -> float:
    return float(_texts(executed.cells[3])[-1])
