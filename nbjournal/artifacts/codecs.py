"""How each kind of value becomes bytes and comes back: one codec per kind.

Data first: a journal is shared, and these formats cannot run code when loaded
(:mod:`.trust` lets them load from anyone):

- Keras models: Keras' own ``.keras`` file (architecture, weights and optimizer
  state), loaded back in Keras' safe mode as a working, compiled model.
- Keras ``History``: its ``history``, ``epoch`` and ``params`` as JSON, and the
  name of the model it belongs to when the same cell bound that model
  (restored, its ``.model`` is the restored model again).
- numpy arrays: ``.npy`` bytes (no pickle), so equal arrays give equal blobs.
- plain values (numbers, text, lists, dicts, tuples, sets, numpy scalars): JSON
  (:mod:`.plain`); pandas frames and series of plain columns: ``.npy`` columns
  (:mod:`.frames`).

Then code, loaded only from rows signed by a trusted key:

- modules (``import keras`` in the cell): their name, imported again; classes
  and functions imported by name (``from x import Y``): ``x:Y``, looked up
  again (from a module already imported, these load from anyone: nothing runs).
- everything else (scikit-learn estimators, other objects): pickle with the
  protocol Python ships; cloudpickle when the value refers to something defined
  in the notebook itself (``__main__``), which plain pickle would store only by
  name.

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, SupportsFloat

from .frames import NotFrame, decode_frame, encode_frame
from .plain import NotPlain, decode_plain, encode_plain

if TYPE_CHECKING:
    import keras

PICKLE_PROTOCOL = 5


#: Kinds of row that name what an import bound (``np``, ``LogisticRegression``): put back by
#: importing the name again, never from stored bytes; shown as imports, not as artifacts.
IMPORTED_KINDS = frozenset({"module", "ref"})


@dataclass
class Encoded:
    """A value as bytes (``data``), or why it could not be (``reason``)."""

    kind: str
    type: str
    data: bytes | None = None
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def type_name(value: object) -> str:
    kind = type(value)
    module = kind.__module__
    return (
        kind.__qualname__ if module in ("builtins", "__main__") else f"{module}.{kind.__qualname__}"
    )


def encode(value: object, models: dict[int, str] | None = None) -> Encoded:
    """``value`` as bytes; ``models`` maps ``id(model)`` to its name among the saved values."""
    kind = type_name(value)
    what = _unsaveable_kind(value)
    if what:
        return Encoded("none", kind, reason=what)
    try:
        if isinstance(value, types.ModuleType):
            return Encoded(
                "module", kind, value.__name__.encode(), extra={"module": value.__name__}
            )
        reference = _reference(value)
        if reference is not None:
            return Encoded("ref", kind, reference.encode(), extra={"module": reference})
        keras = sys.modules.get("keras")
        if keras is not None and isinstance(value, keras.Model):
            return Encoded("keras", kind, _keras_bytes(value))
        if keras is not None and isinstance(value, keras.callbacks.History):
            return _history(value, kind, models or {})
        numpy = sys.modules.get("numpy")
        if (
            numpy is not None
            and isinstance(value, numpy.ndarray)
            and type(value) is numpy.ndarray
            and not value.dtype.hasobject
        ):
            buffer = io.BytesIO()
            numpy.lib.format.write_array(buffer, value, allow_pickle=False)
            return Encoded("numpy", kind, buffer.getvalue())
        data = _as_data(value)
        if data is not None:
            return Encoded(data[0], kind, data[1])
        return _pickled(value, kind)
    except Exception as error:  # the value's own code failed: it cannot be saved
        return Encoded("none", kind, reason=f"a {kind} that cannot be saved ({_short(error)})")


def decode(
    kind: str,
    data: bytes,
    extra: Mapping[str, object],
    restored: Mapping[str, object],
    namespace: dict[str, object] | None = None,
) -> object:
    """The value back; ``restored`` holds the values decoded before it (a History's model),
    ``namespace`` where the classes a custom Keras model needs are found (the notebook's)."""
    if kind == "module":
        import importlib

        return importlib.import_module(data.decode())
    if kind == "ref":
        return _resolve(data.decode())
    if kind == "keras":
        return _keras_model(data, {**(namespace or {}), **restored})
    if kind == "json":
        return decode_plain(data)
    if kind == "frame":
        return decode_frame(data)
    if kind == "keras-history":
        import keras

        state = decode_plain(data)
        if not isinstance(state, dict):
            raise ValueError("a Keras History is kept as a mapping")
        history = keras.callbacks.History()
        history.history, history.epoch, history.params = (
            state["history"],
            state["epoch"],
            state["params"],
        )
        model = restored.get(str(extra.get("model") or ""))
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


def _reference(value: object) -> str | None:
    """``module:qualname`` of a class or function importable by name (``from x import Y``);
    ``None`` for one the notebook defined or one its name does not lead back to."""
    if not isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)):
        return None
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", "")
    if not module or module == "__main__" or "<" in qualname or module not in sys.modules:
        return None
    try:
        found = _resolve(f"{module}:{qualname}")
    except (ImportError, AttributeError):
        return None
    return f"{module}:{qualname}" if found is value else None


def _resolve(reference: str) -> object:
    import importlib

    module, _, qualname = reference.partition(":")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def _as_data(value: object) -> tuple[str, bytes] | None:
    """``(kind, bytes)`` for a plain value or a plain frame; ``None`` for anything else."""
    try:
        return "json", encode_plain(value)
    except (NotPlain, ValueError, RecursionError):
        pass
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, (pandas.DataFrame, pandas.Series)):
        try:
            return "frame", encode_frame(value)
        except (NotFrame, ValueError, TypeError):
            return None
    return None


def _pickled(value: object, kind: str) -> Encoded:
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


def _history(value: keras.callbacks.History, kind: str, models: dict[int, str]) -> Encoded:
    state = {
        "history": {str(k): [_number(x) for x in v] for k, v in value.history.items()},
        "epoch": [int(e) for e in value.epoch],
        "params": {
            str(k): _plain_or_text(v) for k, v in (getattr(value, "params", None) or {}).items()
        },
    }
    model = getattr(value, "model", None)
    extra = {"model": models.get(id(model))} if model is not None else {}
    return Encoded("keras-history", kind, encode_plain(state), extra=extra)


def _number(value: SupportsFloat) -> float:
    """A logged value as a Python number (Keras logs floats; a tensor becomes its float)."""
    return value if type(value) is int or type(value) is float else float(value)


def _plain_or_text(value: object) -> object:
    try:
        encode_plain(value)
    except (NotPlain, ValueError):
        return repr(value)
    return value


def _keras_bytes(model: keras.Model) -> bytes:
    with tempfile.TemporaryDirectory(prefix="nbjournal-") as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as file:
            return file.read()


def _keras_model(data: bytes, namespace: Mapping[str, object]) -> keras.Model:
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
        # safe mode: a lambda's bytecode or a function from outside Keras is refused
        return keras.saving.load_model(path, custom_objects=custom or None, safe_mode=True)


def is_spent(value: object) -> bool:
    """A closed file (``with open(...) as f``), a finished generator: nothing to give back,
    and no later cell can use them, so they are not kept and do not stop a restore."""
    if isinstance(value, io.IOBase):
        return bool(value.closed)
    if isinstance(value, types.GeneratorType):
        return value.gi_frame is None
    return False


def _unsaveable_kind(value: object) -> str | None:
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
