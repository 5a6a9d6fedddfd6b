"""``nbjournal tag RUN +tag -tag``: tags added and removed after the fact."""

from __future__ import annotations

import argparse

from .journal import open_journal
from .output import Table, emit
from .registry import Commands
from .runs import run_id


def register(commands: Commands) -> None:
    parser = commands.add(
        "tag",
        tag_run,
        "add (+tag) and remove (-tag) a run's tags",
        description="Add and remove a run's tags: nbjournal tag 12 +baseline -draft\n"
        "(options such as --journal go before RUN)",
        formats=("json",),
    )
    parser.add_argument("run", metavar="RUN", help="the run's id")
    parser.add_argument(
        "changes", nargs=argparse.REMAINDER, metavar="+TAG|-TAG", help="tags to add or remove"
    )


def tag_run(arguments: argparse.Namespace) -> int:
    from ..store.retire import tag_changes

    add, remove = tag_changes(arguments.changes)
    store = open_journal(arguments)
    number = run_id(arguments.run)
    tags = store.edit_tags(number, add, remove)
    if arguments.format == "json":
        return emit("json", Table([], []), {"run_id": number, "tags": list(tags)})
    print(f"run #{number} tags: {', '.join(tags) if tags else 'none'}")
    return 0
