"""``nbjournal insights EXPERIMENT``: what mattered, the best configurations, what to try."""

from __future__ import annotations

import argparse
import sys

from .journal import open_journal
from .output import Table, emit
from .registry import Commands


def register(commands: Commands) -> None:
    parser = commands.add(
        "insights",
        show_insights,
        "what the finished runs of an experiment say (needs Optuna)",
        formats=("json", "md"),
    )
    parser.add_argument("experiment", metavar="EXPERIMENT")
    parser.add_argument(
        "--data", action="store_true", help="with every experiment on the same data"
    )
    parser.add_argument("--metric", metavar="NAME", help="rank by this metric")


def show_insights(arguments: argparse.Namespace) -> int:
    from ..server import endpoints

    store = open_journal(arguments)
    if arguments.format == "json":
        payload = endpoints.insights(
            store, arguments.experiment, same_data=arguments.data,
            metric=arguments.metric, suggestions=5,
        )  # fmt: skip
        return emit("json", Table([], []), payload)
    from ..analysis.insights import insights
    from ..display.insights_view import shown
    from ..errors import UnknownExperiment

    if not store.list_runs(experiment=arguments.experiment, limit=1):
        raise UnknownExperiment(arguments.experiment)
    found = insights(store, arguments.experiment, same_data=arguments.data, metric=arguments.metric)
    text = repr(shown(found))  # the text %journal insights prints, not the data's repr
    if arguments.format == "md":
        text = f"```\n{text}\n```"
    sys.stdout.write(text + "\n")
    return 0
