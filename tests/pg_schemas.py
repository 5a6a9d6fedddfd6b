"""Throw-away PostgreSQL schemas for tests that run on both databases (``NBJOURNAL_TEST_PG_URL``):
a schema per test, its URL's ``search_path`` set to it, dropped after the test."""

from __future__ import annotations

import os
import uuid

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
