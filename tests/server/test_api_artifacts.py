"""GET runs/{id}/artifacts/{name}: what a run's cell made, downloaded as a file from the run
view — saved by the real saving path (a real Keras model is its ``.keras`` file)."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from nbjournal.artifacts import open_blobs, save_snapshot, snapshot
from nbjournal.server import endpoints
from nbjournal.store import Store

from .helpers import error_of, make_run


@pytest.fixture
def saved(store: Store) -> dict:
    """A run whose cell bound a Keras model, an array, a dict and a module, and ended on 0.97."""
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    weights = np.arange(12, dtype="float32").reshape(3, 4)
    run_id = make_run(store, "artifacts")
    taken = snapshot(
        {"model": model, "weights": weights, "config": {"units": 3}, "np": np},
        0.97,
        limit=10**9,
    )
    save_snapshot(store, open_blobs(), run_id, taken)
    return {"run": run_id, "weights": weights}


async def test_a_keras_model_downloads_as_its_keras_file(saved, api) -> None:
    response = await api("runs", saved["run"], "artifacts", "model")
    assert response.code == 200
    assert response.headers["Content-Type"] == "application/zip"
    name = f"run{saved['run']}-model.keras"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    with zipfile.ZipFile(io.BytesIO(response.body)) as archive:
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Sequential"


async def test_an_array_a_dict_and_the_cells_value_download_as_their_files(saved, api) -> None:
    response = await api("runs", saved["run"], "artifacts", "weights")
    assert response.headers["Content-Disposition"].endswith('-weights.npy"')
    assert np.array_equal(np.load(io.BytesIO(response.body)), saved["weights"])
    response = await api("runs", saved["run"], "artifacts", "config")
    assert json.loads(response.body) == {"units": 3}
    response = await api("runs", saved["run"], "artifacts", "Out", params={"role": "result"})
    assert response.code == 200 and json.loads(response.body) == 0.97


@pytest.mark.parametrize(
    ("name", "params", "code", "says"),
    [
        ("nothing", {}, 404, "has no artifact 'nothing'"),
        ("np", {}, 400, "no file to download; Journal().load("),
        ("model", {"role": "other"}, 400, "role must be name or result"),
    ],
)
async def test_a_bad_artifact_request_is_one_line(saved, api, name, params, code, says) -> None:
    response = await api("runs", saved["run"], "artifacts", name, params=params)
    message = error_of(response)["message"]
    assert response.code == code and says in message and "\n" not in message


async def test_a_blob_gone_from_the_store_is_404_without_saying_where_it_lived(
    saved, api, store: Store
) -> None:
    (weights,) = [a for a in store.artifacts(saved["run"]) if a.name == "weights"]
    assert open_blobs().remove(weights.hash)
    response = await api("runs", saved["run"], "artifacts", "weights")
    message = error_of(response)["message"]
    assert response.code == 404 and "cannot be read" in message
    assert open_blobs().url not in message


async def test_an_artifact_over_the_bound_says_how_to_load_it(saved, api, monkeypatch) -> None:
    monkeypatch.setattr(endpoints, "ARTIFACT_MAX_BYTES", 10)
    response = await api("runs", saved["run"], "artifacts", "weights")
    message = error_of(response)["message"]
    assert response.code == 413 and f"Journal().load({saved['run']}, 'weights')" in message
