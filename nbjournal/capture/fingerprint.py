"""Content fingerprints of the data a cell reads.

Arrays are hashed with xxh3-128 straight from their buffer (no copy for
contiguous arrays), so hashing runs at memory bandwidth. There is no cache
keyed on object identity: an array changed in place must hash differently.
Heavy libraries are never imported here; values are recognised by duck typing
and by the modules already loaded. A data stream (a generator, a ``tf.data``
pipeline, a Keras ``PyDataset``) cannot be known without consuming it: it gets
a fresh random hash, so that a run reading one is never taken for a duplicate.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

import xxhash

if TYPE_CHECKING:
    import keras
    import numpy as np
    import pandas as pd
    from scipy.sparse import sparray, spmatrix
    from sklearn.base import BaseEstimator

MAX_SEQUENCE_ITEMS = 64
_FILE_CHUNK = 1 << 22


def hash_bytes(*chunks: bytes | memoryview) -> str:
    hasher = xxhash.xxh3_128()
    for chunk in chunks:
        hasher.update(chunk)
    return hasher.hexdigest()


def describe_value(name: str, value: object) -> dict[str, object] | None:
    """A fingerprint entry for ``value``, or ``None`` when it is not data we can hash."""
    try:
        return _describe(name, value)
    except Exception:  # a strange object must never break the cell
        return None


def _describe(name: str, value: object) -> dict[str, object] | None:
    if isinstance(value, (bool, int, float, str, bytes, type(None))):
        text = repr(value)
        return {
            "name": name,
            "kind": "value",
            "value": text[:200],
            "hash": hash_bytes(text.encode()),
        }
    array = _as_numpy(value)
    if array is not None:
        return {
            "name": name,
            "kind": "tensor" if not _is_numpy(value) else "array",
            "shape": list(array.shape),
            "dtype": str(array.dtype),
            "bytes": int(array.nbytes),
            "hash": hash_array(array),
        }
    if _is_pandas(value):
        return _describe_pandas(name, value)
    if _is_sparse(value):
        return _describe_sparse(name, value)
    if _is_keras_model(value):
        return _describe_keras_model(name, value)
    if _is_sklearn_estimator(value):
        params = json.dumps(_safe_params(value), sort_keys=True, default=repr)
        return {
            "name": name,
            "kind": "estimator",
            "class": type(value).__name__,
            "hash": hash_bytes(type(value).__qualname__.encode(), params.encode()),
        }
    if isinstance(value, types.FunctionType) and value.__module__ == "__main__":
        return {"name": name, "kind": "function", "hash": hash_code(value.__code__)}
    if isinstance(value, (list, tuple, dict)):
        return _describe_container(name, value)
    if _is_data_stream(value):
        return {
            "name": name,
            "kind": "stream",
            "class": type(value).__qualname__,
            "note": "a data stream: its content is not read, so a run that uses it is never "
            "taken for a duplicate",
            "hash": secrets.token_hex(16),  # unique: the same object may yield other data
        }
    return None


def _describe_container(name: str, value: list | tuple | dict) -> dict[str, object] | None:
    """Small containers of data item by item; long ones of plain values as JSON."""
    items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
    if not items:
        return None
    kind = "mapping" if isinstance(value, dict) else "sequence"
    if len(items) <= MAX_SEQUENCE_ITEMS:
        entries = [(key, _describe(f"{name}[{key!r}]", item)) for key, item in items]
        if all(entry is not None for _, entry in entries):
            joined = "|".join(f"{key!r}={entry['hash']}" for key, entry in entries if entry)
            return {
                "name": name,
                "kind": kind,
                "length": len(items),
                "items": sorted({str(entry["kind"]) for _, entry in entries if entry}),
                "hash": hash_bytes(type(value).__name__.encode(), joined.encode()),
            }
    try:
        text = json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return None
    return {"name": name, "kind": kind, "length": len(items), "hash": hash_bytes(text.encode())}


def hash_array(array: np.ndarray) -> str:
    """xxh3-128 of dtype, shape and the array's bytes, read in place when contiguous."""
    import numpy as np

    header = f"{array.dtype.str}|{array.shape}|".encode()
    if array.dtype.hasobject:
        return hash_bytes(header, repr(array.tolist()).encode())
    if not array.flags.c_contiguous:
        array = np.ascontiguousarray(array)
    return hash_bytes(header, array.data.cast("B"))  # the buffer itself, no copy


def hash_file(path: Path) -> str:
    hasher = xxhash.xxh3_128()
    with path.open("rb") as handle:
        while chunk := handle.read(_FILE_CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def describe_files(literals: tuple[str, ...], folder: Path) -> list[dict[str, object]]:
    """Fingerprints of the existing files that string literals of the cell name."""
    entries = []
    for literal in literals:
        if len(literal) > 1024 or literal.strip() != literal or not literal:
            continue
        try:
            path = (folder / os.path.expanduser(literal)).resolve()
            if not path.is_file():
                continue
            stat = path.stat()
            entries.append(
                {
                    "name": literal,
                    "kind": "file",
                    "path": str(path),
                    "bytes": stat.st_size,
                    "hash": hash_file(path),
                }
            )
        except (OSError, ValueError):
            continue
    return entries


def hash_code(code: types.CodeType) -> str:
    """A function's identity: its bytecode, constants and names, nested code included."""
    hasher = xxhash.xxh3_128()

    def feed(obj: types.CodeType) -> None:
        hasher.update(obj.co_code)
        hasher.update(repr(obj.co_names).encode())
        for const in obj.co_consts:
            if isinstance(const, types.CodeType):
                feed(const)
            else:
                hasher.update(repr(const).encode())

    feed(code)
    return hasher.hexdigest()


def combine(parts: Mapping[str, object]) -> str:
    """The run's fingerprint: SHA-256 over a canonical JSON of its parts."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


#: Kinds of input that are data rather than settings (values, functions and estimators are not).
_NOT_DATA = ("value", "function", "estimator")


def data_fingerprint(entries: Sequence[Mapping[str, object]]) -> str | None:
    """The fingerprint of a cell's data alone, whatever the names that hold it.

    Two experiments on the same arrays (and files) share it, so insights and the
    nearest-run search can look across them. ``None`` when the cell read no data.
    """
    hashes = sorted(
        {str(e["hash"]) for e in entries if e.get("kind") not in _NOT_DATA and e.get("hash")}
    )
    return combine({"data": hashes}) if hashes else None


# -- recognising values without importing their libraries -------------------------


def _is_numpy(value: object) -> TypeGuard[np.ndarray]:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray)


def _as_numpy(value: object) -> np.ndarray | None:
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return None
    if isinstance(value, numpy.ndarray):
        return value
    module = type(value).__module__
    if module.startswith(("tensorflow", "keras", "torch", "jax")) and hasattr(value, "numpy"):
        try:
            converted = value.numpy()
        except Exception:
            return None
        return converted if isinstance(converted, numpy.ndarray) else None
    return None


def _is_sparse(value: object) -> TypeGuard[spmatrix | sparray]:
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and bool(sparse.issparse(value))


def _describe_sparse(name: str, value: spmatrix | sparray) -> dict[str, object]:
    """A SciPy sparse matrix (a TF-IDF, say) by its CSR arrays: values and where they are."""
    csr = value.tocsr()  # no copy when it is CSR already: the user's matrix stays as it is
    if not csr.has_canonical_format:
        csr = csr.copy()
        csr.sum_duplicates()
    parts = [hash_array(csr.data), hash_array(csr.indices), hash_array(csr.indptr)]
    return {
        "name": name,
        "kind": "sparse",
        "shape": list(csr.shape),
        "dtype": str(csr.dtype),
        "bytes": int(csr.data.nbytes + csr.indices.nbytes + csr.indptr.nbytes),
        "hash": hash_bytes(f"{csr.shape}|".encode(), *(p.encode() for p in parts)),
    }


#: Classes (by module prefix) whose instances hand out data without holding it.
_STREAM_CLASSES = {
    "tensorflow": {"DatasetV2", "DatasetV1"},
    "keras": {"PyDataset", "Sequence"},
    "torch": {"DataLoader", "Dataset", "IterableDataset"},
}


def _is_data_stream(value: object) -> bool:
    """A generator, a ``tf.data`` pipeline, a Keras ``PyDataset``, a torch loader: data
    that can only be known by consuming it."""
    if isinstance(value, (types.GeneratorType, types.AsyncGeneratorType)):
        return True
    for cls in type(value).__mro__:
        prefix = cls.__module__.split(".", 1)[0]
        if cls.__name__ in _STREAM_CLASSES.get(prefix, ()):
            return True
    return False


def _is_pandas(value: object) -> TypeGuard[pd.DataFrame | pd.Series]:
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, (pandas.DataFrame, pandas.Series))


def _describe_pandas(name: str, value: pd.DataFrame | pd.Series) -> dict[str, object]:
    import numpy as np
    import pandas as pd

    hasher = xxhash.xxh3_128()
    frame = value.to_frame() if isinstance(value, pd.Series) else value
    hasher.update(repr(list(frame.columns)).encode())
    hasher.update(
        hash_array(pd.util.hash_pandas_object(frame.index, index=False).to_numpy()).encode()
    )
    for column in frame.columns:
        series = frame[column]
        values = series.to_numpy()
        if values.dtype.hasobject:
            values = pd.util.hash_pandas_object(series, index=False).to_numpy()
        hasher.update(f"{column}|{series.dtype}|".encode())
        hasher.update(hash_array(values).encode())
    return {
        "name": name,
        "kind": "frame" if isinstance(value, pd.DataFrame) else "series",
        "shape": list(value.shape),
        "dtype": ", ".join(sorted({str(t) for t in frame.dtypes}))[:200],
        "bytes": int(np.sum(value.memory_usage(deep=False))),  # a Series answers an int
        "hash": hasher.hexdigest(),
    }


def _is_keras_model(value: object) -> TypeGuard[keras.Model]:
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(value, keras.Model)


def _describe_keras_model(name: str, value: keras.Model) -> dict[str, object]:
    hasher = xxhash.xxh3_128()
    hasher.update(json.dumps(value.get_config(), sort_keys=True, default=repr).encode())
    for weights in value.get_weights():
        hasher.update(hash_array(weights).encode())
    return {
        "name": name,
        "kind": "model",
        "class": type(value).__name__,
        "params": int(value.count_params()) if value.built else None,
        "hash": hasher.hexdigest(),
    }


def _is_sklearn_estimator(value: object) -> TypeGuard[BaseEstimator]:
    base = sys.modules.get("sklearn.base")
    return (
        base is not None and isinstance(value, base.BaseEstimator) and not isinstance(value, type)
    )


def _safe_params(estimator: BaseEstimator) -> dict[str, object]:
    try:
        return dict(estimator.get_params(deep=False))
    except Exception:
        return {}
