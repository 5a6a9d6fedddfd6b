"""Migrations are history: what 0013 and 0014 do to an existing journal stays what it was.

The two share their history table's shape (``migrations/history_tables.py``); these tests
hold the SQL each sends, statement by statement, to the SQL they sent when each was
written, on an old journal (0.1.0's file) and on PostgreSQL.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from nbjournal.store.engine import MIGRATIONS, create_engine

ASSETS = Path(__file__).with_name("upgrade_assets")
READS = ("SELECT", "PRAGMA", "BEGIN")  # introspection and the transaction, not the change
BEFORE, AFTER = "0012_meta_features", "0014_grid_inference_history"

#: What 0013 then 0014 sent to SQLite (0.1.0's journal, upgraded through 0012 first), and to
#: an empty PostgreSQL journal: recorded before the two shared their table's shape. (The
#: order of one table's indexes is a set's: the statements are compared as a multiset.)
# fmt: off
SQLITE = ['ALTER TABLE inferences ADD COLUMN edited FLOAT',
    '\n'
    'CREATE TABLE inference_history (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tinference_id INTEGER NOT NULL, \n'
    '\trun_id INTEGER NOT NULL, \n'
    '\ttext TEXT NOT NULL, \n'
    '\tverdict VARCHAR(16), \n'
    '\tcreated FLOAT NOT NULL, \n'
    '\treplaced FLOAT NOT NULL, \n'
    '\taction VARCHAR(8) NOT NULL, \n'
    '\tauthor VARCHAR(200), \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE\n'
    ')\n'
    '\n',
    'CREATE INDEX ix_inference_history_inference_id ON inference_history (inference_id)',
    'CREATE INDEX ix_inference_history_run_id ON inference_history (run_id)',
    "UPDATE alembic_version SET version_num='0013_inference_history' WHERE "
    "alembic_version.version_num = '0012_meta_features'",
    'ALTER TABLE grid_inferences ADD COLUMN edited FLOAT',
    '\n'
    'CREATE TABLE grid_inference_history (\n'
    '\tid INTEGER NOT NULL, \n'
    '\tinference_id INTEGER NOT NULL, \n'
    '\tgrid_id INTEGER NOT NULL, \n'
    '\ttext TEXT NOT NULL, \n'
    '\tverdict VARCHAR(16), \n'
    '\tcreated FLOAT NOT NULL, \n'
    '\treplaced FLOAT NOT NULL, \n'
    '\taction VARCHAR(8) NOT NULL, \n'
    '\tauthor VARCHAR(200), \n'
    '\tPRIMARY KEY (id), \n'
    '\tFOREIGN KEY(grid_id) REFERENCES grids (id) ON DELETE CASCADE\n'
    ')\n'
    '\n',
    'CREATE INDEX ix_grid_inference_history_inference_id ON grid_inference_history (inference_id)',
    'CREATE INDEX ix_grid_inference_history_grid_id ON grid_inference_history (grid_id)',
    "UPDATE alembic_version SET version_num='0014_grid_inference_history' WHERE "
    "alembic_version.version_num = '0013_inference_history'"]

# fmt: on
#: PostgreSQL got the same statements, its tables' keys SERIAL.
POSTGRESQL = [s.replace("\tid INTEGER NOT NULL", "\tid SERIAL NOT NULL") for s in SQLITE]


def _upgrade(engine: sa.Engine, revision: str, sent: list[str] | None = None) -> None:
    """Alembic's upgrade to ``revision`` on ``engine``; with ``sent``, the DDL and writes it
    sends (the introspection it reads with is left out)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    def record(_c: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if sent is not None and not statement.lstrip().upper().startswith(READS):
            sent.append(statement)

    with engine.connect() as connection:
        config.attributes["connection"] = connection
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            command.upgrade(config, revision)
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
        connection.commit()


def _sent_by_0013_and_0014(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        _upgrade(engine, BEFORE)
        sent: list[str] = []
        _upgrade(engine, AFTER, sent)
        return sent
    finally:
        engine.dispose()


def test_0013_and_0014_send_an_old_journal_what_they_always_sent(tmp_path: Path) -> None:
    # Given the journal 0.1.0 wrote, upgraded to the revision before the two
    copy = tmp_path / "journal-0.1.0.db"
    shutil.copyfile(ASSETS / "journal-0.1.0.db", copy)
    # When 0013 and 0014 run on it
    sent = _sent_by_0013_and_0014(f"sqlite:///{copy}")
    # Then they send exactly what they sent when they were written
    assert sorted(sent) == sorted(SQLITE)


@pytest.mark.postgres
def test_0013_and_0014_send_postgresql_what_they_always_sent(
    pg_new_url: Callable[[], str],
) -> None:
    sent = _sent_by_0013_and_0014(pg_new_url())
    assert sorted(sent) == sorted(POSTGRESQL)
