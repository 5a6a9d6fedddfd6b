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
import uuid
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from nbjournal.store import Store, forget_stores

PG_ENV = "NBJOURNAL_TEST_PG_URL"
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


def pg_admin_url() -> str | None:
    """The server's URL from the environment, normalised to the psycopg 3 driver."""
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class PostgresSchemas:
    """Creates throw-away schemas on the test database and drops them after each test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self) -> str:
        """The URL of a new, empty schema (its connections carry its name, to be found later)."""
        name = f"nbjt_{uuid.uuid4().hex[:16]}"
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        self.created.append(name)
        url = self.admin_url.update_query_dict(
            {"options": f"-csearch_path={name}", "application_name": name}
        )
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        """Drop the schemas, ending any connection a test left open on them first."""
        with self.engine.connect() as connection:
            for name in self.created:
                connection.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        self.created.clear()

    def close(self) -> None:
        self.drop_all()
        self.engine.dispose()


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
