"""The magics' tiny data and Keras cell (the shell and journal fixtures are in tests/conftest.py)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


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
