"""``nbjournal compare RUN RUN…``: only what differs, then each metric."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from .journal import open_journal
from .output import Table, cell, emit, markdown_table, text_table
from .registry import Commands
from .runs import run_id

if TYPE_CHECKING:
    from ..analysis.run_diff import RunDifferences


def register(commands: Commands) -> None:
    parser = commands.add(
        "compare",
        compare_runs,
        "what differs between runs: parameters, code, data, environment; then the metrics",
    )
    parser.add_argument("runs", nargs="+", metavar="RUN", help="two runs or more (ids)")
    parser.add_argument("--all", action="store_true", help="every row, not only those that differ")


def compare_runs(arguments: argparse.Namespace) -> int:
    from ..analysis.run_diff import differences
    from ..errors import BadInput

    ids = [run_id(text) for text in arguments.runs]
    if len(set(ids)) < 2:
        raise BadInput("compare needs two different runs at least, as in: nbjournal compare 12 15")
    store = open_journal(arguments)
    runs = [store.get_run(i) for i in ids]
    found = differences(runs, everything=arguments.all)
    if arguments.format == "json":
        return emit("json", Table([], []), payload(found))
    table = _table(found)
    if arguments.format == "csv":
        return emit("csv", table, None)
    code = _code_lines(found)
    if arguments.format == "md":
        text = markdown_table(table)
        if code:
            text += "\n\n```diff\n" + "\n".join(code) + "\n```"
        sys.stdout.write(text + "\n")
        return 0
    out = [
        f"compare {' '.join(f'#{i}' for i in found.run_ids)}"
        + ("" if arguments.all else " (only what differs; --all for every row)")
    ]
    sections = [
        ("parameters", found.params),
        ("data (content hash)", found.data),
        ("environment", found.env),
    ]
    for title, rows in sections:
        if rows:
            out += ["", _section(title, found, rows)]
    out += ["", "code: the same" if not code else "code"]
    out += [f"  {line}" for line in code]
    metrics = Table(
        ["metric (final)", *(f"#{i}" for i in found.run_ids), *_difference_heads(found)],
        [[name, *values, *_differences(values)] for name, values in found.metrics],
    )
    out += ["", text_table(metrics) if found.metrics else "metrics: none recorded"]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def payload(found: RunDifferences) -> dict[str, Any]:
    from ..server.payloads import clean

    def rows(rows: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
        return [{"name": name, "values": clean(values)} for name, values in rows]

    return {
        "runs": list(found.run_ids),
        "params": rows(found.params),
        "code": ["\n".join(diff) for diff in found.code],
        "data": rows(found.data),
        "env": rows(found.env),
        "metrics": [
            {"name": name, "values": clean(values), "differences": clean(_differences(values))}
            for name, values in found.metrics
        ],
    }


def _table(found: RunDifferences) -> Table:
    head = ["what", "name", *(f"#{i}" for i in found.run_ids)]
    rows: list[list[Any]] = []
    for what, section in (("param", found.params), ("data", found.data), ("env", found.env),
                          ("metric", found.metrics)):  # fmt: skip
        rows += [[what, name, *values] for name, values in section]
    return Table(head, rows)


def _section(title: str, found: RunDifferences, rows: list[tuple[str, list[Any]]]) -> str:
    table = Table(
        [title, *(f"#{i}" for i in found.run_ids)],
        [[name, *(cell(v) for v in values)] for name, values in rows],
    )
    return text_table(table)


def _code_lines(found: RunDifferences) -> list[str]:
    return [line for diff in found.code for line in diff]


def _difference_heads(found: RunDifferences) -> list[str]:
    first = found.run_ids[0]
    return [f"#{i} − #{first}" for i in found.run_ids[1:]]


def _differences(values: list[Any]) -> list[float | None]:
    first = values[0]
    return [None if first is None or value is None else value - first for value in values[1:]]
