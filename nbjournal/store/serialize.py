"""Turning captured Python values into JSON text the journal can keep (rules in
:mod:`nbjournal.rules.params`)."""

from __future__ import annotations

import json
from typing import Any

from ..rules.params import jsonable, listing_params

__all__ = ["dumps", "jsonable", "listing_params", "loads"]


def dumps(value: object) -> str:
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"))


def loads(text: str | None, default: Any = None) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def setting_fragments(name: str, value: object) -> tuple[str, str]:
    """How ``name = value`` appears inside a ``params_flat`` document written by :func:`dumps`.

    Keys are sorted and separators compact, so a flat setting is ``"name":value``
    followed by ``,`` or by the closing ``}``: a substring the database can look
    for without parsing JSON (quotes inside strings are escaped, so a value
    cannot fake a key).
    """
    text = (
        json.dumps(name) + ":" + json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"))
    )
    return text + ",", text + "}"
