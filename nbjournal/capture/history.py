"""The kernel's own history as the procedure reads it: each execution's code and cell id.

IPython keeps every executed cell's code by execution count. JupyterLab sends a
cell id with each execution (IPython's ``pre_run_cell`` info carries it); a
listener registered at ``%load_ext`` keeps it per execution count, which costs a
dictionary assignment per cell. Nothing else is done for a cell until an
experiment needs it; then each earlier cell is parsed once and its facts kept
by execution count.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ..rules.code_hash import code_hash
from ..rules.secrets import redact_code
from .procedure import CellFacts, backward_slice, cell_facts
from .slice_index import SliceIndex

if TYPE_CHECKING:
    from IPython.core.interactiveshell import ExecutionInfo, InteractiveShell

#: Names IPython and nbjournal put in the namespace: never hidden state.
_IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open", "_", "__", "___"})


class KernelHistory:
    """Cell ids by execution count, and the parsed facts of executed cells (cached)."""

    def __init__(self) -> None:
        self.cell_ids: dict[int, str] = {}
        self._facts: dict[int, tuple[str, CellFacts]] = {}
        self._by_code: dict[str, CellFacts] = {}

    def pre_run_cell(self, info: ExecutionInfo) -> None:
        """IPython's event, before a cell runs: keep its cell id (when the front end sent one)."""
        shell = _shell()
        cell_id = getattr(info, "cell_id", None)
        if (
            shell is None
            or shell.history_manager is None
            or not getattr(info, "store_history", True)
        ):
            return
        count = len(shell.history_manager.input_hist_raw)  # the index it is stored at next
        if cell_id:
            self.cell_ids[count] = str(cell_id)
        else:
            self.cell_ids.pop(count, None)

    def facts(self, shell: InteractiveShell, count: int, code: str) -> CellFacts:
        """The facts of execution ``count``, parsed once (a cell run again with the same
        code is not parsed again either)."""
        cached = self._facts.get(count)
        if cached is not None and cached[0] == code:
            return cached[1]
        facts = self._by_code.get(code)
        if facts is None:
            facts = self._by_code[code] = cell_facts(code, shell.transform_cell)
        self._facts[count] = (code, facts)
        return facts


_history = KernelHistory()


def _shell() -> InteractiveShell | None:
    from IPython import get_ipython

    return get_ipython()


def watch(shell: InteractiveShell) -> None:
    """Start keeping cell ids (``%load_ext``); once per shell."""
    if _history.pre_run_cell not in shell.events.callbacks["pre_run_cell"]:
        shell.events.register("pre_run_cell", _history.pre_run_cell)


def unwatch(shell: InteractiveShell) -> None:
    if _history.pre_run_cell in shell.events.callbacks["pre_run_cell"]:
        shell.events.unregister("pre_run_cell", _history.pre_run_cell)


def record_procedure(
    shell: InteractiveShell, body: str, ignore: tuple[str, ...] = ()
) -> dict[str, object] | None:
    """The procedure of the experiment cell running now (``body``: its code after the magic
    line): its upstream cells and what is hidden, as the run records it (JSON). ``None``
    outside a shell that keeps a history."""
    manager = getattr(shell, "history_manager", None)
    if manager is None:
        return None
    raw, parsed = manager.input_hist_raw, manager.input_hist_parsed
    count = len(raw) - 1  # a cell run with its history is stored before it runs
    if count >= 1 and body.strip() in raw[count]:
        code, python = raw[count], parsed[count]
    else:  # run without history (``run_cell(store_history=False)``, a magic called directly)
        count += 1
        code, python = body, shell.transform_cell(body)
    # earlier cells are read only when the slice asks about a name their text spells
    index = SliceIndex(
        {n: parsed[n] for n in range(1, count)}, lambda n: _history.facts(shell, n, parsed[n])
    )
    cell = cell_facts(python, shell.transform_cell)
    hidden_names = set(getattr(shell, "user_ns_hidden", {})) | _IPYTHON_NAMES
    ignored = set(ignore) | hidden_names
    found = backward_slice(
        index, cell, count, known=set(shell.user_ns) - hidden_names, ignore=ignored
    )
    facts = index.facts
    return {
        "cell": _entry(count, code, _history.cell_ids.get(count), cell.binds),
        "cells": [
            {
                **_entry(n, raw[n], _history.cell_ids.get(n), facts[n].binds),
                "names": list(found.names[n]),
                **({"opaque": facts[n].opaque} if n in found.opaque else {}),
                **(
                    {"shadows": [_shadow(s, raw[s]) for s in found.shadows[n]]}
                    if n in found.shadows
                    else {}
                ),
            }
            for n in found.cells
        ],
        "hidden": list(found.hidden),
        "files": upstream_files([parsed[n] for n in found.cells]),
    }


def upstream_files(sources: list[str]) -> list[dict[str, object]]:
    """Fingerprints of the files the upstream cells name (``pd.read_csv("data.csv")``): a
    replay checks them before it runs."""
    from pathlib import Path

    from .fingerprint import describe_files

    literals: dict[str, None] = {}
    for source in sources:
        literals.update(dict.fromkeys(_literals(source)))
    return describe_files(tuple(literals), Path.cwd()) if literals else []


@functools.lru_cache(maxsize=2048)
def _literals(source: str) -> tuple[str, ...]:
    """The string literals of one cell's code (parsed once: a cell is upstream of many runs)."""
    import ast

    from .code import string_literals

    try:
        return string_literals(ast.parse(source))
    except (SyntaxError, ValueError):
        return ()


def _shadow(count: int, code: str) -> dict[str, object]:
    return {
        "execution_count": count,
        "cell_id": _history.cell_ids.get(count),
        "code_hash": code_hash(code),
    }


def _entry(count: int, code: str, cell_id: str | None, binds: frozenset[str]) -> dict[str, object]:
    return {
        "execution_count": count,
        "cell_id": cell_id,
        "code_hash": code_hash(code),  # of the code as it ran: the notebook's cell is compared
        "code": redact_code(code),  # never store a secret (rules/secrets.py)
        "bound": sorted(binds),
    }
