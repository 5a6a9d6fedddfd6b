"""Opening a journal database: engine options per backend, and schema migration.

SQLite runs in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE`` so that concurrent kernels queue for the write lock instead
of failing with "database is locked" when a read transaction tries to upgrade.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from ..errors import JournalUnavailable

SQLITE_BUSY_TIMEOUT_S = 60.0
WRITE = "nbjournal_write"
HEAD_REVISION = "0001"
MIGRATIONS = Path(__file__).with_name("migrations")


def create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database or "")
    return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)


def _sqlite_engine(url: str, path: str) -> Engine:
    try:
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise JournalUnavailable(f"cannot create the journal folder for {path}: {error}") from None
    engine = sa.create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        poolclass=sa.pool.QueuePool,
        pool_size=2,
        max_overflow=4,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except Exception:  # a read-only file keeps its journal mode
            pass
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creating it in an empty database)."""
    if current_revision(engine) == HEAD_REVISION:
        return  # the common case: no Alembic import
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect().execution_options(**{WRITE: True}) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
