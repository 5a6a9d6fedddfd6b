"""Fingerprints of every kind of input: equal content, equal hash; any change, another hash."""

from __future__ import annotations

import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nbjournal.capture.fingerprint import combine, describe_files, describe_value


def hash_of(value: object) -> str:
    entry = describe_value("x", value)
    assert entry is not None
    return entry["hash"]


def test_arrays_hash_by_content_dtype_and_shape() -> None:
    a = np.arange(12, dtype="float32").reshape(3, 4)
    assert hash_of(a) == hash_of(a.copy())
    changed = a.copy()
    changed[1, 2] += 1e-6
    assert hash_of(changed) != hash_of(a)
    assert hash_of(a.astype("float64")) != hash_of(a)
    assert hash_of(a.reshape(4, 3)) != hash_of(a)
    assert hash_of(np.asfortranarray(a)) == hash_of(a)  # same values, other memory layout


def test_an_array_changed_in_place_hashes_anew() -> None:
    a = np.zeros(5)
    before = hash_of(a)
    a[0] = 1
    assert hash_of(a) != before


def test_array_entry_describes_the_data() -> None:
    entry = describe_value("X_train", np.ones((10, 3), dtype="int8"))
    assert entry is not None
    assert (entry["name"], entry["kind"], entry["shape"], entry["dtype"], entry["bytes"]) == (
        "X_train",
        "array",
        [10, 3],
        "int8",
        30,
    )


def test_plain_values_hash_by_value() -> None:
    assert hash_of(0.001) == hash_of(1e-3)
    assert hash_of(1) != hash_of(1.0)
    assert hash_of("relu") != hash_of("tanh")
    assert describe_value("x", None)["kind"] == "value"  # type: ignore[index]


def test_pandas_frames_hash_values_columns_and_index() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    assert hash_of(frame) == hash_of(frame.copy())
    assert hash_of(frame.rename(columns={"a": "c"})) != hash_of(frame)
    other = frame.copy()
    other.loc[1, "b"] = "z"
    assert hash_of(other) != hash_of(frame)
    assert hash_of(frame.set_axis([5, 6])) != hash_of(frame)
    assert describe_value("s", frame["a"])["kind"] == "series"  # type: ignore[index]


def test_sparse_matrices_hash_by_their_values() -> None:
    sparse = pytest.importorskip("scipy.sparse")
    m = sparse.random(20, 20, density=0.1, random_state=0, format="csr")
    assert hash_of(m) == hash_of(m.copy())
    assert hash_of(m.tocoo()) == hash_of(m)
    changed = m.copy()
    changed.data[0] += 1
    assert hash_of(changed) != hash_of(m)


def test_containers_of_arrays_hash_item_by_item() -> None:
    a, b = np.zeros(3), np.ones(3)
    assert hash_of([a, b]) == hash_of([a.copy(), b.copy()])
    assert hash_of([a, b]) != hash_of([b, a])
    assert hash_of({"train": a}) != hash_of({"test": a})
    assert describe_value("x", []) is None


def test_a_data_stream_is_never_the_same_twice() -> None:
    def gen():  # type: ignore[no-untyped-def]
        yield 1

    stream = gen()
    first = describe_value("g", stream)
    assert first is not None and first["kind"] == "stream"
    assert hash_of(stream) != first["hash"]


def test_functions_of_the_notebook_hash_by_code() -> None:
    namespace: dict[str, object] = {"__name__": "__main__"}
    exec("def f(x):\n    return x + 1\n", namespace)
    exec("def g(x):\n    return x + 1\n", namespace)
    exec("def h(x):\n    return x + 2\n", namespace)
    f, g, h = namespace["f"], namespace["g"], namespace["h"]
    assert isinstance(f, types.FunctionType)
    assert hash_of(f) == hash_of(g)
    assert hash_of(f) != hash_of(h)


def test_objects_that_are_not_data_are_left_out() -> None:
    assert describe_value("o", object()) is None

    class Exploding:
        def __array__(self, *args: object) -> object:
            raise RuntimeError("no")

    assert describe_value("e", Exploding()) is None  # never breaks the cell


def test_files_named_in_the_cell_are_hashed_by_content(tmp_path: Path) -> None:
    data = tmp_path / "train.csv"
    data.write_text("a,b\n1,2\n")
    first = describe_files(("train.csv", "missing.csv", " spaced "), tmp_path)
    assert [e["name"] for e in first] == ["train.csv"]
    data.write_text("a,b\n1,3\n")
    assert describe_files(("train.csv",), tmp_path)[0]["hash"] != first[0]["hash"]


def test_combine_is_canonical() -> None:
    assert combine({"a": 1, "b": [1, 2]}) == combine({"b": [1, 2], "a": 1})
    assert combine({"a": 1}) != combine({"a": 2})
