"""Real tiny Keras models (compiled, never trained) for the checks' rules."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture(scope="session")
def keras() -> Any:
    import keras

    return keras


@pytest.fixture(scope="session")
def make_model(keras: Any) -> Callable[..., Any]:
    """``make_model(inputs, units, activation, loss, hidden=("relu",), normalise=False)``."""

    def make(
        inputs: int | tuple[int, ...] = 8,
        units: int = 3,
        activation: str | None = "softmax",
        loss: Any = "sparse_categorical_crossentropy",
        hidden: tuple[str, ...] = ("relu",),
        first: Any = None,
        normalise: bool = False,
    ) -> Any:
        shape = inputs if isinstance(inputs, tuple) else (inputs,)
        layers: list[Any] = [keras.Input(shape)]
        if first is not None:
            layers.append(first)
        if len(shape) > 1:
            layers.append(keras.layers.Flatten())
        for hidden_activation in hidden:
            layers.append(keras.layers.Dense(4, activation=hidden_activation))
            if normalise:
                layers.append(keras.layers.BatchNormalization())
        layers.append(keras.layers.Dense(units, activation=activation))
        model = keras.Sequential(layers)
        model.compile("adam", loss)
        return model

    return make
