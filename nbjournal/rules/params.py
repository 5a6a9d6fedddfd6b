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
import re
from collections.abc import Mapping
from typing import TypeAlias

#: The parameter ``--repeat`` binds (0..K-1) and grids never make an axis of.
SEED = "seed"

_MAX_REPR = 200

#: A JSON document as :func:`jsonable` makes it: what the journal keeps of a value.
JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"


def jsonable(value: object, depth: int = 0) -> JsonValue:
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


def _short_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 1] + "…"


def flatten(
    params: Mapping[str, object], prefix: str = "", *, split_lists: bool = False
) -> dict[str, JsonValue]:
    """Nested parameters as ``a.b.c`` keys with scalar values.

    Lists are kept as compact JSON text; with ``split_lists`` a list of scalars is
    spread by position (``model.layers[0]``, plus ``.count``), so that labels can
    name the one layer that changed between two fits.
    """
    flat: dict[str, JsonValue] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + ".", split_lists=split_lists))
        elif isinstance(value, (list, tuple)):
            if split_lists and all(is_scalar(v) for v in value):
                flat.update({f"{name}[{i}]": jsonable(v) for i, v in enumerate(value)})
                flat[f"{name}.count"] = len(value)
            else:
                flat[name] = json.dumps(jsonable(value), separators=(",", ":"))
        else:
            flat[name] = jsonable(value)
    return flat


def unflattened(value: object) -> object:
    """A flat value as a cell binds it: a list :func:`flatten` kept as JSON text is a list again.

    A suggestion learned from flat params must hand the cell ``[64, 32]``, not the
    text ``"[64,32]"`` (a cell that loops over it would see characters).
    """
    if isinstance(value, str) and value[:1] == "[" and value[-1:] == "]":
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        return decoded if isinstance(decoded, list) else value
    return value


def listing_params(params: Mapping[str, object]) -> dict[str, JsonValue]:
    """The flat params a listing shows (``params_flat``): the first fit's, not a loop's.

    The params of a cell's later fits (``fit2``, ``fit3``… from a loop of fits) stay
    in the run's full record only: a loop of twelve fits would otherwise make
    hundreds of listing columns.
    """
    return flatten(
        {
            k: v
            for k, v in params.items()
            if not (isinstance(v, Mapping) and _LATER_FIT.fullmatch(k))
        }
    )


def is_scalar(value: object) -> bool:
    return value is None or isinstance(value, (int, float, str, bool))


#: A later fit's params in a run's record (:meth:`nbjournal.recording.recorder.RunRecorder.fit_started`).
_LATER_FIT = re.compile(r"fit([2-9]|[1-9][0-9]+)")
