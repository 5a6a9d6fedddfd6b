"""The PostgreSQL backend of every test that runs on both databases (``NBJOURNAL_TEST_PG_URL``):
a schema per test, its URL's ``search_path`` set to it, dropped after the test; and the red
banner that counts every PostgreSQL test skipped, whichever folder it is in."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_ENV = "NBJOURNAL_TEST_PG_URL"


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


# --- the one PostgreSQL backend of the test suite (a pytest plugin: the root conftest loads it) ---

PG_SKIP_REASON = (
    f"!!! PostgreSQL journal tests SKIPPED: {PG_ENV} is not set "
    f"(run `{PG_ENV}=$(scripts/pg.sh start) pytest`) !!!"
)


def backend_params(*others: str) -> list[Any]:
    """``others`` (SQLite flavours) and ``"postgresql"``, marked ``postgres``, for a backend fixture."""
    return [*others, pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[PostgresSchemas | None]:
    """The schema maker on the server ``NBJOURNAL_TEST_PG_URL`` names, or ``None``."""
    admin = pg_admin_url()
    if admin is None:
        yield None
        return
    schemas = PostgresSchemas(admin)
    try:
        yield schemas
    finally:
        schemas.close()


@pytest.fixture
def pg_new_url(pg_schemas: PostgresSchemas | None) -> Iterator[Callable[[], str]]:
    """A factory of URLs of empty PostgreSQL journals (a schema each), all dropped after the test.

    Without a server the test is skipped, and counted in the red banner at the end."""
    if pg_schemas is None:
        pytest.skip(PG_SKIP_REASON)
    yield pg_schemas.create
    from nbjournal.store import forget_stores

    forget_stores()
    pg_schemas.drop_all()


@pytest.fixture
def pg_url(pg_new_url: Callable[[], str]) -> str:
    """The URL of an empty PostgreSQL journal of this test's own."""
    return pg_new_url()


_pg_skipped: list[str] = []


def _is_postgres_skip(report: pytest.TestReport) -> bool:
    return report.skipped and (
        "postgres" in report.keywords or "PostgreSQL" in str(report.longrepr)
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _is_postgres_skip(report):
        _pg_skipped.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """A green run that silently tested one backend would be a lie: say so in red."""
    if not _pg_skipped:
        return
    terminalreporter.write_sep(
        "!", f"{len(_pg_skipped)} PostgreSQL journal tests were SKIPPED", red=True, bold=True
    )
    terminalreporter.write_line(
        f"Set {PG_ENV} (e.g. `{PG_ENV}=$(scripts/pg.sh start)`) to test the team journal.",
        red=True,
        bold=True,
    )
