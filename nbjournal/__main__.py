"""``python -m nbjournal db upgrade | db current``: the journal's schema, by hand.

Kernels and the Jupyter server upgrade a journal's schema when they open it
(for PostgreSQL they say in one line which migration ran). A team that
prefers to upgrade its shared journal at a time of its choosing runs
``python -m nbjournal db upgrade`` once, with the new nbjournal installed.
The journal is ``--journal URL``, else ``NBJOURNAL_URL``, else the embedded default.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import JournalError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nbjournal", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="area", required=True, metavar="db")
    database = commands.add_parser("db", help="the journal's schema")
    actions = database.add_subparsers(dest="action", required=True, metavar="{upgrade,current}")
    for name, text in (
        ("upgrade", "bring the journal's schema to the newest revision this nbjournal knows"),
        ("current", "show the journal's schema revision (changes nothing)"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument(
            "--journal",
            metavar="URL",
            help="the journal (default: NBJOURNAL_URL, else ~/.nbjournal)",
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from .config import resolve_url
    from .store.engine import HEAD_REVISION, create_engine, current_revision, migrate

    try:
        url = resolve_url(arguments.journal)
        parsed = make_url(url)
        missing = parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists()
        if missing and arguments.action == "current":  # look, never create
            print(f"journal {url}: no journal file yet (the first recorded run creates it)")
            return 0
        engine = create_engine(url)
        safe = engine.url.render_as_string(hide_password=True)
        try:
            if arguments.action == "current":
                revision = current_revision(engine)
                print(f"journal {safe}: schema revision {revision or 'none (empty)'}, "
                      f"{_compared(revision, HEAD_REVISION)}")  # fmt: skip
            else:
                ran = migrate(engine)
                if ran:
                    print(
                        f"journal {safe}: upgraded to schema {HEAD_REVISION}; ran {', '.join(ran)}"
                    )
                else:
                    print(f"journal {safe}: already at schema {HEAD_REVISION}; nothing to do")
        finally:
            engine.dispose()
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"nbjournal: journal unavailable: {reason}", file=sys.stderr)
        return 1
    except JournalError as error:
        print(f"nbjournal: {error}", file=sys.stderr)
        return 1
    return 0


def _compared(revision: str | None, head: str) -> str:
    if revision == head:
        return "the newest this nbjournal knows"
    return f"this nbjournal's newest is {head} (`python -m nbjournal db upgrade` brings it there)"


if __name__ == "__main__":
    sys.exit(main())
