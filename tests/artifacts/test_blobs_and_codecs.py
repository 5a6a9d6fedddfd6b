"""The blob store (local folder and fsspec's memory filesystem) and the codecs, round trip."""

from __future__ import annotations

import pickle
import uuid

import numpy as np
import pandas as pd
import pytest

from nbjournal.artifacts import ArtifactUnavailable, BlobStore, snapshot
from nbjournal.artifacts.codecs import decode, encode


@pytest.fixture(params=["local", "memory"])
def blobs(request, tmp_path):
    if request.param == "local":
        return BlobStore(str(tmp_path / "artifacts"))
    return BlobStore(f"memory://nbj-{uuid.uuid4().hex}")


def test_a_blob_is_stored_once_under_its_hash_and_read_back(blobs):
    digest, new = blobs.put(b"weights" * 100)
    again, new_again = blobs.put(b"weights" * 100)
    assert (digest, new, new_again) == (again, True, False)
    assert blobs.get(digest) == b"weights" * 100
    assert blobs.total_bytes() == 700


def test_a_corrupt_or_missing_blob_is_found_out(blobs):
    digest, _ = blobs.put(b"the real bytes")
    blobs.fs.pipe_file(blobs.path(digest), b"the real bytez")
    with pytest.raises(ArtifactUnavailable, match="corrupt"):
        blobs.get(digest)
    blobs.fs.rm(blobs.path(digest))
    with pytest.raises(ArtifactUnavailable, match="missing"):
        blobs.get(digest)


def test_identical_arrays_of_two_snapshots_are_one_blob(blobs):
    array = np.random.RandomState(0).rand(200, 50)
    first = snapshot({"X": array, "lr": 0.1}, None, limit=10**9)
    second = snapshot({"Z": array.copy(), "lr": 0.2}, None, limit=10**9)
    for taken in (first, second):
        for digest, data in taken.blobs.items():
            blobs.put(data, digest)
    assert first.records[0].hash == second.records[0].hash
    assert blobs.total_bytes() < 1.2 * array.nbytes


def _round_trip(value):
    encoded = encode(value)
    assert encoded.data is not None, encoded.reason
    return encoded.kind, decode(encoded.kind, encoded.data, encoded.extra, {})


def test_numpy_pandas_and_plain_values_come_back_equal_as_data():
    kind, array = _round_trip(np.arange(12, dtype="float32").reshape(3, 4))
    assert kind == "numpy" and array.dtype == np.float32 and array.sum() == 66
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    kind, back = _round_trip(frame)
    assert kind == "frame" and back.equals(frame) and (back.dtypes == frame.dtypes).all()
    assert _round_trip({"acc": 0.97, "layers": [64, 10]}) == (
        "json",
        {"acc": 0.97, "layers": [64, 10]},
    )


def test_a_fitted_sklearn_estimator_predicts_the_same():
    from sklearn.linear_model import LogisticRegression

    X = np.random.RandomState(1).rand(40, 3)
    y = (X[:, 0] > 0.5).astype(int)
    clf = LogisticRegression().fit(X, y)
    _, back = _round_trip(clf)
    assert np.array_equal(back.predict_proba(X), clf.predict_proba(X))


def test_what_the_notebook_defined_is_stored_by_value():
    namespace = {"__name__": "__main__"}
    exec("def double(x):\n    return 2 * x\n", namespace)
    double = namespace["double"]
    double.__module__ = "__main__"
    kind, back = _round_trip(double)
    assert kind == "cloudpickle" and back(21) == 42


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (lambda tmp: open(tmp / "f.txt", "w"), "an open file"),  # noqa: SIM115
        (lambda tmp: (i for i in range(3)), "a generator"),
    ],
    ids=["open-file", "generator"],
)
def test_values_that_cannot_be_saved_say_what_they_are(tmp_path, value, what):
    made = value(tmp_path)
    encoded = encode(made)
    assert encoded.data is None and encoded.reason == what
    taken = snapshot({"thing": made}, None, limit=10**9)
    assert taken.records[0].status == "unsaveable"


def test_values_past_the_size_limit_are_listed_not_kept():
    taken = snapshot({"small": 1, "big": np.zeros(10_000)}, 3, limit=1_000)
    statuses = {r.name: r.status for r in taken.records}
    assert statuses == {"small": "stored", "big": "too-large", "Out": "stored"}
    assert all(len(b) < 1_000 for b in taken.blobs.values())


def test_pickles_use_the_protocol_python_ships():
    from fractions import Fraction

    encoded = encode({"a": Fraction(1, 3)})
    assert encoded.kind == "pickle"
    assert encoded.data[1] == pickle.HIGHEST_PROTOCOL or encoded.data[1] == 5


def test_one_object_under_two_names_comes_back_as_one_object(blobs):
    from nbjournal.artifacts import load_all

    weights = {"layer": [1.0, 2.0]}
    taken = snapshot({"model": weights, "best": weights, "other": {"layer": [1.0, 2.0]}}, weights,
                     limit=10**9)  # fmt: skip
    for digest, data in taken.blobs.items():
        blobs.put(data, digest)
    loaded = load_all(blobs, taken.records, "a-fingerprint")
    assert loaded.values["model"] is loaded.values["best"] is loaded.result
    assert loaded.values["other"] == weights and loaded.values["other"] is not weights
    assert list(loaded.values) == ["model", "best", "other"]
