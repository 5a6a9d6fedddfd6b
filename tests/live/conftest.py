"""A real IPython shell on a journal in tmp_path, and the comm messages the live view sends.

The shell is a plain ``InteractiveShell`` (no kernel): ``sinks_for`` gives it the
text line, unless ``NBJOURNAL_LIVE=widget`` asks for the notebook view, whose
comm messages then go to a :class:`~tests.live.wire.Wire` instead of a front end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from .wire import Wire

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


class TestingShell(InteractiveShell):
    """Errors in a cell raise, so tests can assert on them (as jupysql's)."""

    def run_cell(self, raw_cell: str, *args: Any, **kwargs: Any) -> Any:
        result = super().run_cell(raw_cell, *args, **kwargs)
        result.raise_error()
        return result


@pytest.fixture
def journal_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from nbjournal.store import forget_stores

    home = tmp_path / "journal-home"
    monkeypatch.setenv("NBJOURNAL_HOME", str(home))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    monkeypatch.delenv("NBJOURNAL_LIVE", raising=False)
    monkeypatch.chdir(tmp_path)
    forget_stores()
    yield home
    forget_stores()


@pytest.fixture
def shell(journal_home: Path) -> Iterator[TestingShell]:
    from nbjournal.runs import current as active_run

    existing = InteractiveShell._instance if InteractiveShell.initialized() else None
    if existing is not None and not isinstance(existing, TestingShell):
        type(existing).clear_instance()  # another suite's shell class: one singleton at a time
    ip = TestingShell.instance()
    ip.reset(new_session=True)
    ip.run_line_magic("load_ext", "nbjournal")
    active_run.set_active(None)
    yield ip
    ip.run_line_magic("unload_ext", "nbjournal")
    TestingShell.clear_instance()


@pytest.fixture
def wire() -> Iterator[Wire]:
    import comm

    recording = Wire()
    previous = recording.install()
    yield recording
    comm.create_comm = previous


@pytest.fixture
def widget_shell(shell: TestingShell, wire: Wire, monkeypatch: pytest.MonkeyPatch) -> TestingShell:
    """The shell, with the notebook view forced on (its messages kept by ``wire``)."""
    monkeypatch.setenv("NBJOURNAL_LIVE", "widget")
    return shell


@pytest.fixture
def journal(journal_home: Path) -> Any:
    import nbjournal

    return nbjournal.Journal()


def run_captured(shell: TestingShell, cell: str) -> Any:
    """Run a cell; its rich outputs (display data) are returned even when it raises."""
    with capture_output(display=True) as captured:
        try:
            shell.run_cell(cell)
        except BaseException as error:  # re-raised by the caller through .error
            captured.error = error
        else:
            captured.error = None
    return captured


def is_run_card(data: dict[str, Any]) -> bool:
    """Whether a display's bundle is the closing run card (``RunCard``) of a cell."""
    return "<div class='nbj'><div class='nbj-head'>" in data.get("text/html", "")


TINY_DATA = """
import numpy as np
rng = np.random.RandomState(0)
X = rng.rand(160, 8).astype("float32")
y = (X.sum(axis=1) > 4).astype("int32")
"""

TINY_MLP = """# Hypothesis: a tiny MLP learns the threshold.
import keras
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, validation_split=0.25, epochs=EPOCHS, batch_size=16, verbose=0CALLBACKS)
"""


def tiny_mlp(epochs: int = 3, callbacks: str = "") -> str:
    """The tiny Keras cell; ``callbacks`` is a Python expression for ``fit(callbacks=...)``."""
    extra = f", callbacks={callbacks}" if callbacks else ""
    return TINY_MLP.replace("EPOCHS", str(epochs)).replace("CALLBACKS", extra)
