"""Text cells a spreadsheet will not run: the one rule for every CSV nbjournal writes.

A CSV export is opened in a spreadsheet, which takes a cell starting with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a
formula: ``=HYPERLINK(…)`` or ``+1+cmd|' /C calc'!A0`` in a hypothesis or a
parameter would run when the file is opened (CSV injection, OWASP). Such text
is prefixed with ``'``, which spreadsheets show as text. Line breaks inside a
cell become ``\\n`` (a lone ``\\r`` would end the row in many readers), and the
csv module quotes the cell. Numbers are left as they are: ``-0.5`` stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a CSV cell: text that a spreadsheet would read as a formula is quoted."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if value.startswith(FORMULA_STARTS) else text


def write_rows(out: IO[str], rows: Iterable[Iterable[object]]) -> None:
    """Write ``rows`` (the header first) as CSV, every text cell through :func:`safe_cell`."""
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
