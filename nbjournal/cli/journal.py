"""Opening the journal a command names, without creating one by mistake."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import JournalError

if TYPE_CHECKING:
    from ..store import Store


def open_journal(arguments: argparse.Namespace) -> Store:
    """The store of ``--journal``/``NBJOURNAL_URL``/the default.

    A SQLite journal that does not exist is an error, not a new empty file: a
    mistyped path must not leave a journal behind.
    """
    from sqlalchemy.engine import make_url

    from ..config import resolve_url
    from ..store import open_store

    url = resolve_url(getattr(arguments, "journal", None))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not path.is_file():
            raise JournalError(f"no journal at {path} (the first recorded run creates it)")
    return open_store(url)


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
