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
