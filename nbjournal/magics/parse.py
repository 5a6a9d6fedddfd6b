"""Parsing magic lines into validated options; every mistake is one clear ``UsageError``."""

from __future__ import annotations

import ast
import keyword
import re
import shlex
from typing import Any

from IPython.core.error import UsageError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_EXPERIMENT = re.compile(r"^[\w.\-/+@]+$")
#: Characters in a magic line, at most: long text belongs in a cell (``%%inference``).
MAX_LINE = 10_000
#: Names IPython keeps for itself; binding one breaks every later cell.
_RESERVED = frozenset({"In", "Out", "get_ipython", "exit", "quit", "_", "_i", "_ii", "_iii", "_oh", "_dh", "_ih"})  # fmt: skip
_HISTORY = re.compile(r"^_i?\d+$")


class CellSyntaxError(SyntaxError):
    """The cell's own SyntaxError, shown without nbjournal's frames (see ``magics.register``)."""


def split_line(line: str) -> list[str]:
    if len(line) > MAX_LINE:
        raise UsageError(
            f"the magic line is {len(line):,} characters long, {MAX_LINE:,} at most: "
            "put long text in the cell form (%%inference, then the text on the lines below)"
        )
    try:
        return shlex.split(line, posix=True)
    except ValueError as error:
        raise UsageError(f"cannot read the magic line ({error}): check its quotes") from None


def experiment_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise UsageError("%%experiment needs a name: %%experiment digits-mlp")
    if not _EXPERIMENT.match(name) or len(name) > 200:
        raise UsageError(
            f"bad experiment name {name!r}: use letters, digits and - _ . / (at most 200)"
        )
    return name


def assignments(items: list[str] | None, option: str, want_list: bool = False) -> dict[str, Any]:
    """``NAME=VALUE`` pairs where VALUE is a Python literal (never evaluated as code)."""
    found: dict[str, Any] = {}
    for item in items or []:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name):
            raise UsageError(f"{option} takes NAME=VALUE, got {item!r}")
        if (
            name.startswith("__")
            or keyword.iskeyword(name)
            or name in _RESERVED
            or _HISTORY.match(name)
        ):
            raise UsageError(
                f"{option} {name}: that name belongs to Python or IPython; choose another"
            )
        try:
            value = ast.literal_eval(text.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            raise UsageError(
                f"{option} {name}: {text.strip()!r} is not a Python literal "
                "(numbers, strings, lists, dicts, True/False/None)"
            ) from None
        if want_list and (not isinstance(value, (list, tuple)) or not value):
            raise UsageError(f"{option} {name}: give a non-empty list, e.g. {name}=[1, 2, 3]")
        if name in found:
            raise UsageError(f"{option} {name} is given twice")
        found[name] = list(value) if want_list else value
    return found


def run_id(text: str | int | None) -> int:
    try:
        value = int(str(text).lstrip("#"))
    except (TypeError, ValueError):
        raise UsageError(f"not a run id: {text!r} (run ids are numbers, like 12 or #12)") from None
    if value <= 0:
        raise UsageError(f"not a run id: {text!r}")
    return value
