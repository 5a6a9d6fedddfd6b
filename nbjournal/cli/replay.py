"""``nbjournal replay RUN``: run a run's upstream cells and its cell again in a fresh kernel.

The data files it read are checked first (a changed one is named and nothing
runs); the new run is recorded as a replay of RUN and compared with it; RUN is
marked reproduced when the numbers come back (see :mod:`nbjournal.runs.replay`).
"""

from __future__ import annotations

import argparse
import json
import sys

from .journal import open_journal
from .registry import Commands
from .runs import run_id


def register(commands: Commands) -> None:
    parser = commands.add(
        "replay",
        replay,
        "run a run's upstream cells and its cell again in a fresh kernel, and compare",
        formats=("json",),
    )
    parser.add_argument("run", metavar="RUN", help="the run id (123 or #123)")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds each cell may take (default 600)"
    )


def replay(arguments: argparse.Namespace) -> int:
    """Exit 0 when the replay reproduced the run, 1 when it did not (or could not start)."""
    from ..runs.replay import replay as replay_run

    store = open_journal(arguments)
    result = replay_run(store, run_id(arguments.run), timeout=arguments.timeout)
    if arguments.format == "json":
        payload = {
            "run_id": result.run_id,
            "replay_id": result.replay_id,
            "reproduced": result.matched,
            "metrics": result.metrics,
            "inputs_match": result.inputs_match,
            "notebook": str(result.notebook) if result.notebook else None,
            "error": result.error,
        }
        sys.stdout.write(json.dumps(payload, allow_nan=False, default=str) + "\n")
    else:
        sys.stdout.write(result.line() + "\n")
    return 0 if result.matched else 1
