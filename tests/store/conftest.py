"""One store test suite, two backends (the pattern of MLflow's ``db_uri`` fixture).

Every test that takes ``store`` (or ``journal_url``) runs twice: on a SQLite
file under ``tmp_path`` and on PostgreSQL when ``NBJOURNAL_TEST_PG_URL`` names
a server (``scripts/pg.sh start`` prints one). Each PostgreSQL test gets a
schema of its own on that database, created for it and dropped after it (the
URL sets ``search_path`` to it), so no test sees another's rows and the Alembic
migration runs on a truly empty schema. A schema costs a millisecond where a
``CREATE DATABASE`` right after a ``DROP DATABASE`` costs a quarter of a second.

Without ``NBJOURNAL_TEST_PG_URL`` the PostgreSQL cases are skipped with a
reason that says how to run them, and the session ends with a warning banner:
a green run that silently tested one backend would be a lie.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from nbjournal.store import Store, forget_stores
from tests.pg_schemas import PG_ENV, PostgresSchemas, pg_admin_url

PG_SKIP_REASON = (
    f"!!! PostgreSQL journal tests SKIPPED: {PG_ENV} is not set "
    f"(run `{PG_ENV}=$(scripts/pg.sh start) pytest tests/store`) !!!"
)
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[pytest.mark.postgres]
        + ([] if os.environ.get(PG_ENV) else [pytest.mark.skip(reason=PG_SKIP_REASON)]),
    ),
]

_pg_skipped = 0


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[PostgresSchemas | None]:
    admin = pg_admin_url()
    if admin is None:
        yield None
        return
    schemas = PostgresSchemas(admin)
    try:
        yield schemas
    finally:
        schemas.close()


@pytest.fixture(autouse=True)
def _isolated_journal_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """No test may read or write the developer's own journal."""
    monkeypatch.setenv("NBJOURNAL_HOME", str(tmp_path_factory.mktemp("nbjournal-home")))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    forget_stores()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_journal_url(
    backend: str, tmp_path, pg_schemas: PostgresSchemas | None
) -> Iterator[Callable[[], str]]:
    """A factory of URLs of empty journals on the test's backend."""
    counter = iter(range(1_000_000))

    def make() -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'journal-{next(counter)}.db'}"
        assert pg_schemas is not None
        return pg_schemas.create()

    yield make
    if pg_schemas is not None:
        forget_stores()
        pg_schemas.drop_all()


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


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    global _pg_skipped
    if report.skipped and PG_SKIP_REASON in str(report.longrepr):
        _pg_skipped += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    if _pg_skipped:
        terminalreporter.write_sep(
            "!", f"{_pg_skipped} PostgreSQL journal tests were SKIPPED", red=True, bold=True
        )
        terminalreporter.write_line(
            f"Set {PG_ENV} (e.g. `{PG_ENV}=$(scripts/pg.sh start)`) to test the team journal.",
            red=True,
            bold=True,
        )
