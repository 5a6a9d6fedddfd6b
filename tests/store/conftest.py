"""One store test suite, two backends (the pattern of MLflow's ``db_uri`` fixture).

Every test that takes ``store`` (or ``journal_url``) runs twice: on a SQLite
file under ``tmp_path`` and on PostgreSQL when ``NBJOURNAL_TEST_PG_URL`` names
a server (``scripts/pg.sh start`` prints one). Each PostgreSQL test gets a
schema of its own on that database, created for it and dropped after it (the
URL sets ``search_path`` to it), so no test sees another's rows and the Alembic
migration runs on a truly empty schema. A schema costs a millisecond where a
``CREATE DATABASE`` right after a ``DROP DATABASE`` costs a quarter of a second.

Without ``NBJOURNAL_TEST_PG_URL`` the PostgreSQL cases are skipped with a
reason that says how to run them, and the session ends with a red banner
(both from ``tests/pg_schemas.py``, the one PostgreSQL backend of the suite).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from nbjournal.store import Store, forget_stores
from tests.pg_schemas import backend_params


@pytest.fixture(autouse=True)
def _isolated_journal_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """No test may read or write the developer's own journal."""
    monkeypatch.setenv("NBJOURNAL_HOME", str(tmp_path_factory.mktemp("nbjournal-home")))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    forget_stores()


@pytest.fixture(params=backend_params("sqlite"))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_journal_url(backend: str, tmp_path, request: pytest.FixtureRequest) -> Callable[[], str]:
    """A factory of URLs of empty journals on the test's backend."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_new_url")
    counter = iter(range(1_000_000))
    return lambda: f"sqlite:///{tmp_path / f'journal-{next(counter)}.db'}"


@pytest.fixture
def journal_url(new_journal_url: Callable[[], str]) -> str:
    """The URL of an empty journal (nothing created in it yet)."""
    return new_journal_url()


@pytest.fixture
def store(journal_url: str) -> Iterator[Store]:
    """A freshly migrated, empty journal."""
    opened = Store(journal_url)
    try:
        yield opened
    finally:
        opened.close()
