"""Opening a journal database: engine options per backend, and schema migration.

SQLite runs in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE`` so that concurrent kernels queue for the write lock instead
of failing with "database is locked" when a read transaction tries to upgrade.

A SQLite journal this process may not write (a colleague's file, a 0444 copy,
a read-only folder) is opened read-only: it stays readable, and every write is
refused up front with a message that says why. Without this, a WAL journal in a
read-only folder could not even be read, since SQLite wants to create its
``-shm`` file beside it.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from ..config import timeout
from ..errors import JournalUnavailable

SQLITE_BUSY_TIMEOUT_S = 60.0
WRITE = "nbjournal_write"
HEAD_REVISION = "0014_grid_inference_history"
MIGRATIONS = Path(__file__).with_name("migrations")
#: PostgreSQL advisory lock held while a journal is migrated (b"nbjournl" as an integer).
MIGRATION_LOCK = int.from_bytes(b"nbjournl", "big")


def create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database or "")
    return _postgresql_engine(url)


def _postgresql_engine(url: str) -> Engine:
    """Connect and statement timeouts of :func:`nbjournal.config.timeout`, not the OS's minutes.

    ``connect_timeout`` bounds the whole connection (a server that accepts and
    never answers included); ``statement_timeout`` a query the server is slow
    with. A frozen server enforces nothing: :mod:`.availability` bounds the
    caller's wait for that case.
    """
    bound = timeout()
    engine = sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=4,
        pool_timeout=bound,
        connect_args={"connect_timeout": max(2, math.ceil(bound))},
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(bound * 1000)}")
        dbapi_connection.commit()

    return engine


def _sqlite_engine(url: str, path: str) -> Engine:
    file = Path(path).expanduser()
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise JournalUnavailable(f"cannot create the journal folder for {path}: {error}") from None
    read_only = _read_only_reason(file)
    options: dict[str, object] = {}
    if read_only is not None:
        uri = f"file:{quote(str(file.resolve()))}?{_read_only_uri_params(file)}"
        options["creator"] = lambda: sqlite3.connect(
            uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_S, check_same_thread=False
        )
    engine = sa.create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        poolclass=sa.pool.QueuePool,
        pool_size=2,
        max_overflow=4,
        **options,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only is None:
            # Fails only while another kernel switches it: WAL mode is persistent.
            with contextlib.suppress(sqlite3.OperationalError):
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        if write and read_only is not None:
            raise JournalUnavailable(
                f"journal {file} is read-only ({read_only}): it can be read, but nothing "
                "can be recorded in it"
            )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _read_only_reason(file: Path) -> str | None:
    """Why this process cannot write the journal file, or ``None`` when it can.

    SQLite writes beside the file (``-wal``, ``-shm``, ``-journal``), so a
    read-only folder makes the journal read-only as surely as a 0444 file.
    """
    if not file.exists():
        return None
    if not file.stat().st_mode & 0o222:
        # Checked apart from access(): root may write a 0444 file, and SQLite would
        # then leave 0444 -wal and -shm files that nobody else can write.
        return "the file is read-only (no write bit in its mode)"
    if not os.access(file, os.W_OK):
        return "no write permission on the file"
    if not os.access(file.parent, os.W_OK | os.X_OK):
        return "no write permission on its folder"
    return None


def _read_only_uri_params(file: Path) -> str:
    """SQLite URI parameters that can read a journal this process cannot write.

    ``mode=ro`` reads a WAL journal when its ``-shm`` file exists or can be
    created. In a read-only folder with neither ``-wal`` nor ``-shm`` (a journal
    closed cleanly, then made read-only) nobody can be writing it, and
    ``immutable=1`` is the only way SQLite will read it.
    """
    side_files = any(Path(f"{file}{suffix}").exists() for suffix in ("-wal", "-shm"))
    if side_files:
        return "mode=ro"
    # Without them nobody is writing it, and ``mode=ro`` alone would create them
    # (with the file's read-only mode) beside a journal we were only to read.
    return "mode=ro&immutable=1"


def current_revision(engine: Engine) -> str | None:
    """The journal's schema revision, ``None`` for an empty database (reads only)."""
    with engine.connect() as connection:
        return _revision_on(connection)


def migrate(engine: Engine) -> list[str]:
    """Bring the schema to the newest revision (creating it in an empty database).

    Returns the migrations that ran, each as ``"REVISION (what it does)"``,
    oldest first; an empty list when the schema was already the newest.

    A journal whose revision this version does not know was written by a newer
    nbjournal: it is refused with a message saying so, and left untouched,
    rather than failing with Alembic's "Can't locate revision".
    """
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return []  # the common case: no Alembic import
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect().execution_options(**{WRITE: True}) as connection:
        # Kernels that open a new journal together: one migrates while the others wait
        # for its lock (PostgreSQL's advisory lock, SQLite's BEGIN IMMEDIATE, which the
        # first statement here begins), then find it done. Every migration then runs in
        # this one transaction: Alembic would commit after each one on SQLite (it takes
        # SQLite's DDL for non-transactional), letting a waiting kernel in between to run
        # a migration this one then runs again ("duplicate column name").
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
        revision = _revision_on(connection)  # another kernel may have migrated meanwhile
        if revision == HEAD_REVISION:
            connection.commit()
            return []
        if connection.dialect.name == "postgresql":
            # Widening a column of a big journal takes longer than a statement may.
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError as error:
            from .._version import __version__

            safe = engine.url.render_as_string(hide_password=True)
            raise JournalUnavailable(
                f"journal {safe} has schema revision {revision!r}, which nbjournal "
                f"{__version__} does not know (it was probably written by a newer "
                f"nbjournal: upgrade nbjournal to open it): {error}"
            ) from None
        connection.commit()
    script = ScriptDirectory.from_config(config)
    ran = list(script.iterate_revisions(HEAD_REVISION, revision))
    return [f"{r.revision} ({_summary(r.doc)})" for r in reversed(ran)]


def _summary(doc: str | None) -> str:
    """A migration's first paragraph on one line."""
    return " ".join((doc or "").strip().split("\n\n")[0].split()).rstrip(".")


def _revision_on(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
