"""What a cell and a grid point of the same cell must both record (``runs/body.py``, the one
run body): the cell's data and body, and the run record minus what differs by nature."""

from __future__ import annotations

import dataclasses
from typing import Any

DATA = """
import numpy as np
rng = np.random.RandomState(0)
X = rng.rand(96, 8).astype("float32")
y = np.sort((X.sum(axis=1) > 4).astype("int32"))  # sorted: the sorted-labels check speaks
"""

BODY = """# Hypothesis: one body, whichever way it runs.
import keras
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(units, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X, y, validation_split=0.25, epochs=2, batch_size=16, verbose=0)
{"width": units * 2, "last_loss": history.history["loss"][-1]}
"""

#: What differs between two runs of the same code by nature: identity, time, where it ran
#: first (the grid's point repeats the cell's run), the search for the closest earlier run
#: (a cell's only: a grid point is one of many, searched once per grid by the view).
VOLATILE = {"id", "started", "ended", "updated", "repeat_of", "nearest", "pid"}


def recorded(run: Any) -> dict[str, Any]:
    fields = {k: v for k, v in dataclasses.asdict(run).items() if k not in VOLATILE}
    fields["metrics"] = {
        name: {k: v for k, v in summary.items() if k in ("name", "goal", "count", "last_epoch")}
        for name, summary in fields["metrics"].items()
    }
    fields["artifacts"] = sorted(
        (a["name"], a["kind"], a["type"], a["role"], a["status"]) for a in fields["artifacts"]
    )
    fields["env"] = sorted(fields["env"])  # what was captured, not when
    return fields
