"""The console script's sub-commands: one table of modules, each registering its own.

A command group is a module of this package with a ``register(commands)``
function; adding one (``trust``, say) is a module and one line in
:data:`GROUPS`. Modules import nothing heavy at the top: ``nbjournal --help``
and ``nbjournal runs`` stay quick because each command imports what it needs
when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib import import_module
from typing import NoReturn

#: The command groups, in the order ``nbjournal --help`` lists them.
GROUPS = (
    "runs",
    "compare",
    "experiments",
    "grids",
    "insights",
    "export",
    "retire",
    "tags",
    "db",
    "replay",
    "keys",
)

#: What a command does with its parsed arguments: the process's exit status.
Action = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (``nbjournal runs: …``) and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


class Commands:
    """The sub-command table: ``add`` gives each command its parser, the common options
    (``--journal``, and ``--json/--csv/--md`` where asked) and its action."""

    def __init__(self, subparsers: argparse._SubParsersAction[Parser]) -> None:
        self._subparsers = subparsers

    def add(
        self,
        name: str,
        action: Action,
        help: str,
        *,
        description: str | None = None,
        formats: tuple[str, ...] = ("json", "csv", "md"),
    ) -> Parser:
        parser: Parser = self._subparsers.add_parser(
            name,
            help=help,
            description=description or help,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.set_defaults(action=action, format="text")
        add_journal_option(parser)
        if formats:
            group = parser.add_mutually_exclusive_group()
            texts = {
                "json": "JSON, with the REST API's field names",
                "csv": "CSV, numbers at full precision",
                "md": "a Markdown table (GitHub-flavoured)",
            }
            for form in formats:
                group.add_argument(
                    f"--{form}",
                    dest="format",
                    action="store_const",
                    const=form,
                    help=texts[form],
                )
        return parser


def add_journal_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--journal",
        metavar="URL",
        help="the journal (default: NBJOURNAL_URL, else ~/.nbjournal/journal.db)",
    )


def parser() -> Parser:
    """The whole command line: every group's commands registered."""
    top = Parser(
        prog="nbjournal",
        description="The nbjournal lab journal from the command line: list, compare, export "
        "and retire runs. The journal is --journal URL, else NBJOURNAL_URL, else "
        "~/.nbjournal/journal.db.",
    )
    from .._version import __version__

    top.add_argument("--version", action="version", version=f"nbjournal {__version__}")
    subparsers = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    subparsers.required = True
    commands = Commands(subparsers)
    for group in GROUPS:
        import_module(f"{__package__}.{group}").register(commands)
    return top


def fail(message: str) -> int:
    """Say what went wrong in one line on stderr; the exit status of a refused command."""
    print(f"nbjournal: {message}", file=sys.stderr)
    return 1
