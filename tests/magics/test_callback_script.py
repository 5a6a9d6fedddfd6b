"""``nbjournal.JournalCallback`` records a ``fit`` in a plain script, with no IPython at all."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import numpy as np, keras, nbjournal
X = np.random.RandomState(0).rand(120, 4).astype("float32"); y = (X.sum(1) > 2).astype("int32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
callback = nbjournal.JournalCallback("script-run", hypothesis="scripts are journaled too",
                                     params={"note": "plain"}, live=False)
model.fit(X, y, epochs=4, verbose=0, callbacks=[callback])
print("trained")
"""


def test_a_plain_script_records_its_fit(tmp_path):
    env = {**os.environ, "NBJOURNAL_HOME": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("NBJOURNAL_URL", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "trained" in done.stdout
    from nbjournal.store import Store

    store = Store(f"sqlite:///{tmp_path / 'journal.db'}")
    (run,) = store.list_runs()
    assert run.experiment == "script-run" and run.status == "finished"
    assert run.hypothesis == "scripts are journaled too"
    assert run.params["note"] == "plain" and run.params["optimizer.class"] == "Adam"
    assert run.metrics["loss"].count == 4 and run.metrics["accuracy"].count == 4
    store.close()


def test_journal_callback_refuses_an_empty_name():
    import pytest

    import nbjournal

    with pytest.raises(ValueError, match="needs an experiment name"):
        nbjournal.JournalCallback("  ")
    with pytest.raises(TypeError, match="params must be a dict"):
        nbjournal.JournalCallback("named", params="lr=0.1")


def test_a_journal_callback_inside_an_experiment_adds_to_its_run_not_a_second_one(
    shell, journal, tiny_data, tiny_mlp
):
    # Given a cell that passes its own JournalCallback to fit, inside %%experiment
    shell.run_cell(tiny_data)
    cell = "import nbjournal\n" + tiny_mlp.replace(
        "verbose=0)",
        "verbose=0, callbacks=[nbjournal.JournalCallback('inner', params={'note': 'mine'})])",
    )
    # When it runs
    shell.run_cell_magic("experiment", "outer", cell)
    # Then the fit is recorded once, in the experiment's run, with the callback's params
    runs = journal.runs()
    assert list(runs["experiment"]) == ["outer"] and list(runs["status"]) == ["finished"]
    run = journal.run(int(runs["id"][0]))
    assert run.params["note"] == "mine" and run.metrics["loss"].count == 3
