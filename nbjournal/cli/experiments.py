"""``nbjournal experiments``: every experiment with its run count and best result."""

from __future__ import annotations

import argparse

from .journal import open_journal
from .output import Table, emit, iso
from .registry import Commands


def register(commands: Commands) -> None:
    commands.add(
        "experiments", list_experiments, "experiments, newest activity first, with their best run"
    )


def list_experiments(arguments: argparse.Namespace) -> int:
    from ..server.payloads import experiment

    store = open_journal(arguments)
    found = store.experiments()
    table = Table(
        ["experiment", "runs", "running", "best metric", "best", "best run", "last activity"],
        [
            [e.name, e.runs, e.running, e.best_metric, e.best_value, e.best_run,
             iso(e.last_activity)]
            for e in found
        ],
    )  # fmt: skip
    return emit(arguments.format, table, {"experiments": [experiment(e) for e in found]})
