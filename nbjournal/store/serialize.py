"""Turning captured Python values into JSON the journal can keep.

Captured parameters come from user objects (numpy scalars, tuples, Keras
configs with odd members). Nothing here may raise: what cannot be represented
becomes its short ``repr``, because the journal must never break the cell.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_MAX_REPR = 200
#: A later fit's params in a run's record (:meth:`nbjournal.recorder.RunRecorder.fit_started`).
_LATER_PART = re.compile(r"fit[2-9][0-9]*|fit1[0-9]+")


def jsonable(value: Any, depth: int = 0) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if depth > 8:
        return _short_repr(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v, depth + 1) for v in items]
    item = getattr(value, "item", None)  # numpy and tensor scalars
    if callable(item) and getattr(value, "ndim", 1) == 0:
        try:
            return jsonable(item(), depth + 1)
        except Exception:
            pass
    return _short_repr(value)


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 1] + "…"


def dumps(value: Any) -> str:
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"))


def loads(text: str | None, default: Any = None) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def flatten(params: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested parameters as ``a.b.c`` keys with scalar values (lists kept as compact text).

    The params of a cell's later fits (``fit2``, ``fit3``… from a loop of fits) stay
    in the run's full record only: a loop of twelve fits would otherwise make
    hundreds of listing columns. The first fit's params are the run's.
    """
    flat: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if not prefix and isinstance(value, dict) and _LATER_PART.fullmatch(key):
            continue
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, (list, tuple)):
            flat[name] = json.dumps(jsonable(value), separators=(",", ":"))
        else:
            flat[name] = jsonable(value)
    return flat
