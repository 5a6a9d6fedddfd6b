"""A real IPython shell whose ``run_cell`` re-raises the cell's error, on a journal in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


class TestingShell(InteractiveShell):
    """Like jupysql's: errors in a cell raise, so tests can assert on them."""

    def run_cell(self, raw_cell: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = super().run_cell(raw_cell, *args, **kwargs)
        result.raise_error()
        return result


@pytest.fixture
def journal_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from nbjournal.store import forget_stores

    home = tmp_path / "journal-home"
    monkeypatch.setenv("NBJOURNAL_HOME", str(home))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    forget_stores()
    yield home
    from nbjournal.artifacts import wait_for_saves

    wait_for_saves()  # artifacts still being written belong to this test
    forget_stores()


@pytest.fixture
def shell(journal_home: Path) -> Iterator[TestingShell]:
    from nbjournal.runs import current as active_run

    ip = TestingShell.instance()
    ip.reset(new_session=True)
    ip.run_line_magic("load_ext", "nbjournal")
    active_run.set_active(None)
    yield ip
    ip.run_line_magic("unload_ext", "nbjournal")
    active_run.remember_run(None)


@pytest.fixture
def journal(journal_home: Path):  # type: ignore[no-untyped-def]
    import nbjournal

    return nbjournal.Journal()


TINY_DATA = """
import numpy as np
rng = np.random.RandomState(0)
X = rng.rand(160, 8).astype("float32")
y = (X.sum(axis=1) > 4).astype("int32")
"""

TINY_MLP = """# Hypothesis: a tiny MLP learns the threshold.
units = 8
lr = 0.01
import keras
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(units, activation="relu"),
                          keras.layers.Dropout(0.1), keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.Adam(lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, validation_split=0.25, epochs=3, batch_size=16, verbose=0)
"""


@pytest.fixture
def tiny_data() -> str:
    return TINY_DATA


@pytest.fixture
def tiny_mlp() -> str:
    return TINY_MLP
