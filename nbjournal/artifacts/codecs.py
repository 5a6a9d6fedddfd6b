"""How each kind of value becomes bytes and comes back: one codec per kind.

- Keras models: Keras' own ``.keras`` file (architecture, weights and optimizer
  state), loaded back as a working, compiled model.
- Keras ``History``: its ``history``, ``epoch`` and ``params``, and the name of
  the model it belongs to when the same cell bound that model (restored, its
  ``.model`` is the restored model again).
- numpy arrays: ``.npy`` bytes (no pickle), so equal arrays give equal blobs.
- modules (``import keras`` in the cell): their name, imported again.
- everything else (pandas objects, scikit-learn estimators, plain values):
  pickle with the protocol Python ships; cloudpickle when the value refers to
  something defined in the notebook itself (``__main__``), which plain pickle
  would store only by name.

A value none of these can save (an open file, a generator, a live connection)
is :class:`Unsaveable`, with a few words that say what it is.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import tempfile
import types
from dataclasses import dataclass, field
from typing import Any

PICKLE_PROTOCOL = 5


@dataclass
class Encoded:
    """A value as bytes (``data``), or why it could not be (``reason``)."""

    kind: str
    type: str
    data: bytes | None = None
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def type_name(value: Any) -> str:
    kind = type(value)
    module = kind.__module__
    return (
        kind.__qualname__ if module in ("builtins", "__main__") else f"{module}.{kind.__qualname__}"
    )


def encode(value: Any, models: dict[int, str] | None = None) -> Encoded:
    """``value`` as bytes; ``models`` maps ``id(model)`` to its name among the saved values."""
    kind = type_name(value)
    what = _unsaveable_kind(value)
    if what:
        return Encoded("none", kind, reason=what)
    try:
        if isinstance(value, types.ModuleType):
            return Encoded("module", kind, value.__name__.encode())
        keras = sys.modules.get("keras")
        if keras is not None and isinstance(value, keras.Model):
            return Encoded("keras", kind, _keras_bytes(value))
        if keras is not None and isinstance(value, keras.callbacks.History):
            return _history(value, kind, models or {})
        numpy = sys.modules.get("numpy")
        if numpy is not None and type(value) is numpy.ndarray and not value.dtype.hasobject:
            buffer = io.BytesIO()
            numpy.lib.format.write_array(buffer, value, allow_pickle=False)
            return Encoded("numpy", kind, buffer.getvalue())
        return _pickled(value, kind)
    except Exception as error:  # the value's own code failed: it cannot be saved
        return Encoded("none", kind, reason=f"a {kind} that cannot be saved ({_short(error)})")


def decode(
    kind: str,
    data: bytes,
    extra: dict[str, Any],
    restored: dict[str, Any],
    namespace: dict[str, Any] | None = None,
) -> Any:
    """The value back; ``restored`` holds the values decoded before it (a History's model),
    ``namespace`` where the classes a custom Keras model needs are found (the notebook's)."""
    if kind == "module":
        import importlib

        return importlib.import_module(data.decode())
    if kind == "keras":
        return _keras_model(data, {**(namespace or {}), **restored})
    if kind == "keras-history":
        import keras

        state = pickle.loads(data)
        history = keras.callbacks.History()
        history.history, history.epoch, history.params = (
            state["history"],
            state["epoch"],
            state["params"],
        )
        model = restored.get(extra.get("model") or "")
        if model is not None:
            history.set_model(model)
        return history
    if kind == "numpy":
        import numpy

        return numpy.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    if kind in ("pickle", "cloudpickle"):
        if kind == "cloudpickle":
            import cloudpickle  # noqa: F401  (its reducers must be importable)
        return pickle.loads(data)
    raise ValueError(f"unknown artifact kind {kind!r}")


def _pickled(value: Any, kind: str) -> Encoded:
    try:
        data = pickle.dumps(value, protocol=PICKLE_PROTOCOL)
        if b"__main__" not in data:
            return Encoded("pickle", kind, data)
    except Exception as error:
        plain_error: Exception | None = error
    else:
        plain_error = None  # it names something of the notebook's: store that by value
    import cloudpickle

    try:
        return Encoded("cloudpickle", kind, cloudpickle.dumps(value, protocol=PICKLE_PROTOCOL))
    except Exception as error:
        reason = _short(plain_error or error)
        return Encoded("none", kind, reason=f"a {kind} that cannot be pickled ({reason})")


def _history(value: Any, kind: str, models: dict[int, str]) -> Encoded:
    state = {
        "history": dict(value.history),
        "epoch": list(value.epoch),
        "params": dict(getattr(value, "params", None) or {}),
    }
    model = getattr(value, "model", None)
    extra = {"model": models.get(id(model))} if model is not None else {}
    return Encoded(
        "keras-history", kind, pickle.dumps(state, protocol=PICKLE_PROTOCOL), extra=extra
    )


def _keras_bytes(model: Any) -> bytes:
    with tempfile.TemporaryDirectory(prefix="nbjournal-") as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as file:
            return file.read()


def _keras_model(data: bytes, namespace: dict[str, Any]) -> Any:
    """Load a ``.keras`` file; layers, models and losses defined in the notebook (not
    registered with Keras) are found by name among the notebook's classes and functions."""
    import keras

    custom = {
        name: value
        for name, value in namespace.items()
        if isinstance(value, (type, types.FunctionType))
        and getattr(value, "__module__", None) == "__main__"
    }
    with tempfile.TemporaryDirectory(prefix="nbjournal-") as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as file:
            file.write(data)
        return keras.saving.load_model(path, custom_objects=custom or None)


def is_spent(value: Any) -> bool:
    """A closed file (``with open(...) as f``), a finished generator: nothing to give back,
    and no later cell can use them, so they are not kept and do not stop a restore."""
    if isinstance(value, io.IOBase):
        return bool(value.closed)
    if isinstance(value, types.GeneratorType):
        return value.gi_frame is None
    return False


def _unsaveable_kind(value: Any) -> str | None:
    """Values that hold something outside the process: named, rather than a pickle error."""
    if isinstance(value, io.IOBase):
        return "an open file"
    if isinstance(value, (types.GeneratorType, types.AsyncGeneratorType, types.CoroutineType)):
        return "a generator"
    socket = sys.modules.get("socket")
    if socket is not None and isinstance(value, socket.socket):
        return "a live connection"
    module = type(value).__module__ or ""
    if module.split(".")[0] in ("sqlite3", "psycopg", "psycopg2", "sqlalchemy") and hasattr(
        value, "close"
    ):
        return "a live connection"
    return None


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:120]}" if text else type(error).__name__
