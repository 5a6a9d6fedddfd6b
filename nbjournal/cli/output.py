"""What a command prints: a terminal table, or JSON, CSV or a Markdown table.

Terminal and Markdown tables show numbers at about four significant digits
(the one formatter, :func:`nbjournal.rules.format.number`); CSV and JSON
keep full precision. User text is printed as text: one line per cell, cut
where a table would overflow, never interpreted.
"""

from __future__ import annotations

import io
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..rules.spreadsheet import write_rows

#: The widest a text cell is in a terminal table (the whole value is in --csv/--json).
TEXT_WIDTH = 48


@dataclass
class Table:
    """Rows of raw values under named columns, with an optional line before and after."""

    columns: list[str]
    rows: list[list[Any]]
    title: str | None = None
    notes: list[str] = field(default_factory=list)


def cell(value: object, width: int | None = TEXT_WIDTH) -> str:
    """One value as a person reads it: numbers at ~4 significant digits, text on one line."""
    from ..rules.format import number

    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v, None) for v in value) or "–"
    text = " ".join(str(value).split())
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def text_table(table: Table) -> str:
    """Columns padded to their widest cell, numbers aligned right."""
    shown = [[cell(v) for v in row] for row in table.rows]
    widths = [len(c) for c in table.columns]
    for row in shown:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]
    numeric = _numeric_columns(table)

    def line(values: Sequence[str]) -> str:
        cells = [
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(cells).rstrip()

    lines = [table.title] if table.title else []
    lines += [line(table.columns), line(["─" * w for w in widths])]
    lines += [line(row) for row in shown]
    lines += table.notes
    return "\n".join(lines)


def markdown_table(table: Table) -> str:
    def escaped(value: str) -> str:
        return value.replace("\\", "\\\\").replace("|", "\\|")

    numeric = _numeric_columns(table)
    lines = [f"**{escaped(table.title)}**", ""] if table.title else []
    lines.append("| " + " | ".join(escaped(c) for c in table.columns) + " |")
    lines.append("| " + " | ".join("---:" if n else "---" for n in numeric) + " |")
    lines += ["| " + " | ".join(escaped(cell(v, None)) for v in row) + " |" for row in table.rows]
    if table.notes:
        lines += ["", *table.notes]
    return "\n".join(lines)


def csv_table(table: Table) -> str:
    out = io.StringIO()
    write_rows(out, [table.columns, *([_raw(v) for v in row] for row in table.rows)])
    return out.getvalue().rstrip("\n")


def emit(form: str, table: Table, payload: object) -> int:
    """Print ``table`` in the asked form (``payload`` for ``json``); exit status 0."""
    if form == "json":
        text = json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)
    elif form == "csv":
        text = csv_table(table)
    elif form == "md":
        text = markdown_table(table)
    else:
        text = text_table(table)
    sys.stdout.write(text + "\n")
    return 0


def iso(seconds: float | None) -> str | None:
    """A time as ISO 8601 in UTC (what CSV and Markdown hold: no relative times)."""
    if seconds is None:
        return None
    return time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(seconds))


def _numeric_columns(table: Table) -> list[bool]:
    """Columns of numbers (a missing value allowed): aligned right."""
    return [
        any(_is_number(row[i]) for row in table.rows)
        and all(_is_number(row[i]) or row[i] is None for row in table.rows)
        for i in range(len(table.columns))
    ]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _raw(value: object) -> object:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return value
