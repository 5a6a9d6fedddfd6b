"""Parameters as the journal keeps them: JSON-safe values, and nested dicts flattened.

Captured parameters come from user objects (numpy scalars, tuples, Keras
configs with odd members). Nothing here may raise: what cannot be represented
becomes its short ``repr``, because the journal must never break the cell.
One flattening rule serves the store (``params_flat``), the live view's labels
and every listing.
"""

from __future__ import annotations

import json
import math
from typing import Any

_MAX_REPR = 200


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


def flatten(params: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested parameters as ``a.b.c`` keys with scalar values (lists kept as compact text)."""
    flat: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, (list, tuple)):
            flat[name] = json.dumps(jsonable(value), separators=(",", ":"))
        else:
            flat[name] = jsonable(value)
    return flat
