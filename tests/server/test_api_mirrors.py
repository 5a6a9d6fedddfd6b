"""GET experiments/{name}/table names the parameters that only mirror another (issue 22.7)."""

from __future__ import annotations

import itertools

from nbjournal.store import Store
from tests.browser.journal_data import keras_params

from .helpers import make_run


async def test_a_keras_sweep_folds_its_mirrors_behind_lr_and_units(store: Store, get_json) -> None:
    # Given a real-Keras-shaped sweep: lr × units × 2 seeds, each run recording lr and
    # optimizer.learning_rate (float32), units, model.layers and model.params
    for lr, units, seed in itertools.product((1e-3, 3e-3, 1e-2), (32, 64), (0, 1)):
        make_run(store, "keras", params=keras_params(lr=lr, units=units, seed=seed),
                 epochs={"val_accuracy": [0.9 + lr]})  # fmt: skip

    # When the page asks for the table
    body = await get_json("experiments", "keras", "table")

    # Then each independent parameter names its mirrors; the mirrors stay columns of the rows
    assert body["mirrors"] == {
        "lr": ["optimizer.learning_rate"],
        "units": ["model.layers", "model.params"],
    }
    assert body["params"] == [
        "lr", "model.layers", "model.params", "optimizer.learning_rate", "seed", "units"
    ]  # fmt: skip
    newest = body["rows"][0]["params"]
    assert (newest["units"], newest["model.params"]) == (64, 64 * 64 + 64 + 64 * 10 + 10)


async def test_a_random_search_has_no_mirrors(store: Store, get_json) -> None:
    # Given a random search: every run has its own lr and dropout (one to one by chance only)
    for i, (lr, dropout) in enumerate([(1e-3, 0.1), (2e-3, 0.35), (7e-4, 0.2), (5e-3, 0.05)]):
        make_run(store, "random", params={"lr": lr, "dropout": dropout, "seed": i},
                 epochs={"val_accuracy": [0.9]})  # fmt: skip

    body = await get_json("experiments", "random", "table")

    # Then nothing is folded: both are parameters of their own
    assert body["mirrors"] == {}
    assert body["params"] == ["dropout", "lr", "seed"]
