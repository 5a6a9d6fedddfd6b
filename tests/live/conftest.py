"""The comm messages the live view sends, and helpers to run cells in the shared shell.

The shell (``tests/conftest.py``) is a plain ``InteractiveShell`` (no kernel): ``sinks_for`` gives it the
text line, unless ``NBJOURNAL_LIVE=widget`` asks for the notebook view, whose
comm messages then go to a :class:`~tests.live.wire.Wire` instead of a front end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from IPython.utils.capture import capture_output

from .wire import Wire


@pytest.fixture
def wire() -> Iterator[Wire]:
    import comm

    recording = Wire()
    previous = recording.install()
    yield recording
    comm.create_comm = previous


@pytest.fixture
def widget_shell(shell: Any, wire: Wire, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The shell, with the notebook view forced on (its messages kept by ``wire``)."""
    monkeypatch.setenv("NBJOURNAL_LIVE", "widget")
    return shell


def run_captured(shell: Any, cell: str) -> Any:
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
