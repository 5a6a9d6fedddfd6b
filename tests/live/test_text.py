"""Outside a notebook: a text progress line and the same recording, in terminal IPython and
in a plain script."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from typing import Any

from nbjournal.live import in_notebook, sinks_for
from nbjournal.live.text import TextProgress

from .conftest import TINY_DATA, run_captured, tiny_mlp

WIDGET = "application/vnd.jupyter.widget-view+json"


def test_a_terminal_shell_gets_the_text_line_not_a_widget(shell: Any) -> None:
    assert not in_notebook()
    assert [type(s).__name__ for s in sinks_for(True)] == ["TextProgress"]
    assert sinks_for(False) == []


def test_nbjournal_live_chooses_the_sink(shell: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("NBJOURNAL_LIVE", "off")
    assert sinks_for(True) == []
    monkeypatch.setenv("NBJOURNAL_LIVE", "widget")
    assert [type(s).__name__ for s in sinks_for(True)] == ["LiveView"]
    monkeypatch.setenv("NBJOURNAL_LIVE", "text")
    assert [type(s).__name__ for s in sinks_for(True)] == ["TextProgress"]


def test_an_experiment_in_terminal_ipython_prints_progress_and_records_the_same(
    shell: Any, journal: Any
) -> None:
    shell.run_cell(TINY_DATA)
    captured = run_captured(shell, f"%%experiment in-terminal\n{tiny_mlp(epochs=3)}")
    assert captured.error is None
    assert not [o for o in captured.outputs if WIDGET in o.data]  # no widget
    lines = captured.stdout.splitlines()
    assert lines[0] == "nbjournal: run #1 in-terminal — a tiny MLP learns the threshold."
    epochs = [line for line in lines if line.startswith("epoch ")]
    assert epochs[0].startswith("epoch 1 of 3: ") and epochs[-1].startswith("epoch 3 of 3: ")
    assert "val_loss" in epochs[-1]
    summary = next(line for line in lines if line.startswith("run #1 in-terminal: finished"))
    assert "best " in summary
    run = journal.run(1)
    assert run.status == "finished" and run.metrics["val_loss"].count == 3


def test_when_keras_prints_its_own_progress_only_the_run_and_its_end_are_added(
    shell: Any,
) -> None:
    shell.run_cell(TINY_DATA)
    cell = tiny_mlp(epochs=2).replace("verbose=0", "verbose=2")
    captured = run_captured(shell, f"%%experiment keras-prints\n{cell}")
    ours = [line for line in captured.stdout.splitlines() if line.startswith(("epoch ", "nbj"))]
    assert ours[0].startswith("nbjournal: run #1 keras-prints")
    assert not [line for line in ours if line.startswith("epoch ")]  # Keras said it already
    assert any(
        line.startswith("run #1 keras-prints: finished") for line in captured.stdout.splitlines()
    )


class _Recorder:
    """What the text sink reads from a recorder: the run's names and its fits."""

    def __init__(self, verbose: int | None = 0) -> None:
        self.experiment, self.run_id, self.hypothesis = "text", 7, "first line\nsecond"
        self.fits = [{"epochs": 100, "steps": 4, "verbose": verbose, "params": {}}]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_line_is_rewritten_and_epoch_lines_are_rationed() -> None:
    stream = _Terminal()
    sink = TextProgress(stream)
    recorder = _Recorder()
    sink.run_started(recorder)
    sink.fit_started(recorder, 0, 100, 4)
    for epoch in range(100):
        for batch in range(4):
            sink.batch_ended(recorder, 0, epoch, batch, {"loss": 1.0})
        sink.epoch_ended(recorder, 0, epoch, {"loss": 1.0 / (epoch + 1)})
    sink.diagnosed(recorder, {"kind": "plateau", "message": "flat"})
    sink.run_ended(recorder, "finished", None)
    text = stream.getvalue()
    assert "\repoch 1 of 100 · batch 1 of 4 · loss 1 · " in text  # the line rewritten in place
    lines = [line.split("\r")[-1] for line in text.split("\n")]  # what the terminal shows
    assert lines[0] == "nbjournal: run #7 text — first line"
    epoch_lines = [line for line in lines if line.startswith("epoch ")]
    # the first and the last epoch always; the rest at most one a second (these take µs)
    assert epoch_lines[0].startswith("epoch 1 of 100: loss 1")
    assert epoch_lines[-1].startswith("epoch 100 of 100: ")
    assert len(epoch_lines) < 100
    assert "nbjournal: plateau: flat" in text
    assert (
        lines[-2].startswith("run #7 text: finished after ") and "diagnoses: plateau" in lines[-2]
    )


SCRIPT = """
import numpy as np, keras, nbjournal
X = np.random.RandomState(0).rand(120, 4).astype("float32"); y = (X.sum(1) > 2).astype("int32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
callback = nbjournal.JournalCallback("script-live", hypothesis="scripts show progress too")
model.fit(X, y, epochs=3, verbose=0, validation_split=0.25, callbacks=[callback])
"""


def test_a_plain_script_prints_progress_lines_and_records_its_fit(tmp_path: Any) -> None:
    env = {**os.environ, "NBJOURNAL_HOME": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("NBJOURNAL_URL", None)
    env.pop("NBJOURNAL_LIVE", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "nbjournal: run #1 script-live — scripts show progress too"
    epochs = [line.split(":")[0] for line in lines if line.startswith("epoch ")]
    assert epochs[0] == "epoch 1 of 3" and epochs[-1] == "epoch 3 of 3"  # others: one a second
    assert lines[-1].startswith("run #1 script-live: finished after ")
    from nbjournal.store import Store

    store = Store(f"sqlite:///{tmp_path / 'journal.db'}")
    (run,) = store.list_runs()
    assert run.status == "finished" and run.metrics["val_loss"].count == 3
    store.close()
