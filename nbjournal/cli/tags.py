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
        description="Add and remove a run's tags: nbjournal tag 12 +baseline -draft",
        formats=("json",),
    )
    parser.add_argument("run", metavar="RUN", help="the run's id")
    parser.add_argument(
        "changes", nargs=argparse.REMAINDER, metavar="+TAG|-TAG", help="tags to add or remove"
    )
    parser.set_defaults(reparse=parser)


def tag_run(arguments: argparse.Namespace) -> int:
    from ..store.retire import tag_changes

    changes, options = _split(arguments.changes)
    if options:  # `-draft` reads as an option, so the tags took what followed RUN: read it again
        arguments.reparse.parse_args([*options, arguments.run], namespace=arguments)
    add, remove = tag_changes(changes)
    store = open_journal(arguments)
    number = run_id(arguments.run)
    tags = store.edit_tags(number, add, remove)
    if arguments.format == "json":
        return emit("json", Table([], []), {"run_id": number, "tags": list(tags)})
    print(f"run #{number} tags: {', '.join(tags) if tags else 'none'}")
    return 0


def _split(words: list[str]) -> tuple[list[str], list[str]]:
    """The ``+tag``/``-tag`` words, and the ``--options`` (with their values) among them."""
    changes: list[str] = []
    options: list[str] = []
    taking_value = False
    for word in words:
        if taking_value:
            options.append(word)
            taking_value = False
        elif word.startswith("--"):
            options.append(word)
            taking_value = "=" not in word and word not in _FLAGS
        else:
            changes.append(word)
    return changes, options


#: Options of the command that take no value.
_FLAGS = frozenset({"--json", "--help"})
