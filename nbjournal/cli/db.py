"""``nbjournal db upgrade | db current``: the journal's schema, by hand.

Kernels and the Jupyter server upgrade a journal's schema when they open it
(for PostgreSQL they say in one line which migration ran). A team that
prefers to upgrade its shared journal at a time of its choosing runs
``nbjournal db upgrade`` once, with the new nbjournal installed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .journal import safe_url
from .registry import Commands


def register(commands: Commands) -> None:
    database = commands.add("db", _need_action, "the journal's schema", formats=())
    actions = database.add_subparsers(dest="db_action", metavar="{upgrade,current}")
    for name, text in (
        ("upgrade", "bring the journal's schema to the newest revision this nbjournal knows"),
        ("current", "show the journal's schema revision (changes nothing)"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        action.set_defaults(action=upgrade if name == "upgrade" else current)
        action.add_argument(
            "--journal",
            metavar="URL",
            default=argparse.SUPPRESS,
            help="the journal (default: NBJOURNAL_URL, else ~/.nbjournal/journal.db)",
        )


def _need_action(arguments: argparse.Namespace) -> int:
    from ..errors import BadInput

    raise BadInput("db needs an action: nbjournal db upgrade | nbjournal db current")


def current(arguments: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from ..config import resolve_url
    from ..store.engine import HEAD_REVISION, create_engine, current_revision

    url = resolve_url(arguments.journal)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        print(f"journal {url}: no journal file yet (the first recorded run creates it)")
        return 0  # look, never create
    engine = create_engine(url)
    try:
        revision = current_revision(engine)
        print(f"journal {safe_url(url)}: schema revision {revision or 'none (empty)'}, "
              f"{_compared(revision, HEAD_REVISION)}")  # fmt: skip
    finally:
        engine.dispose()
    return 0


def upgrade(arguments: argparse.Namespace) -> int:
    from ..config import resolve_url
    from ..store.engine import HEAD_REVISION, create_engine, migrate

    url = resolve_url(arguments.journal)
    engine = create_engine(url)
    try:
        ran = migrate(engine)
    finally:
        engine.dispose()
    if ran:
        print(f"journal {safe_url(url)}: upgraded to schema {HEAD_REVISION}; ran {', '.join(ran)}")
    else:
        print(f"journal {safe_url(url)}: already at schema {HEAD_REVISION}; nothing to do")
    return 0


def _compared(revision: str | None, head: str) -> str:
    if revision == head:
        return "the newest this nbjournal knows"
    return f"this nbjournal's newest is {head} (`nbjournal db upgrade` brings it there)"
