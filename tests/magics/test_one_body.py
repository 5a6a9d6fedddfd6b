"""A grid point and a cell are one run body (``runs/body.py``): the same cell run with ``-p``
and as the matching point of a ``--grid`` records the same run, field for field. A field
recorded by one path only (a hook attached by one, results read by one, artifacts saved by
one) fails here."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

pytestmark = pytest.mark.slow

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


def test_a_cell_and_the_same_cell_as_a_grid_point_record_the_same_run(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell(DATA)
    # Given the cell run by hand with -p
    shell.run_cell(f"%%experiment one-body -p units=4\n{BODY}")
    cell_result = shell.user_ns["_"]
    # When the same cell runs as the point units=4 of a grid (forced: the cell's run is its twin)
    shell.run_cell(f"%%experiment one-body --grid units=[4] --force\n{BODY}")
    capsys.readouterr()

    runs = journal.runs(experiment="one-body").sort_values("id")
    assert list(runs["status"]) == ["finished", "finished"]
    cell, point = (journal.run(int(i)) for i in runs["id"])
    # Then the two runs are one record: code, params, data, env, metrics, checks, artifacts
    assert point.repeat_of == cell.id
    assert recorded(point) == recorded(cell)
    # and what the body records is really there, in both
    assert cell.checks["findings"] and cell.checks["findings"][0]["name"] == "sorted-labels"
    assert {"loss", "val_loss", "accuracy", "width"} <= set(cell.metrics)
    assert {"model", "history"} <= {a.name for a in cell.artifacts}
    assert cell_result["width"] == 8
    # and the point leaves the namespace as the cell does: its values and what it bound
    assert shell.user_ns["units"] == 4 and "model" in shell.user_ns
