"""Turning captured Python values into JSON text the journal can keep (rules in
:mod:`nbjournal.rules.params`)."""

from __future__ import annotations

import json
from typing import Any

from ..rules.params import flatten, jsonable

__all__ = ["dumps", "flatten", "jsonable", "loads"]


def dumps(value: Any) -> str:
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"))


def loads(text: str | None, default: Any = None) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default
