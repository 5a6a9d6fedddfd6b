"""A real Dask cluster (two worker processes) shared by a module's tests, and journals on
both backends that its workers reach by URL.

The workers are separate processes started once per module: what they see of the
environment is fixed then, so every test hands its journal to the grid by URL and
the workers' own ``NBJOURNAL_HOME`` is a throw-away folder, never the developer's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.pg_schemas import PG_ENV, PostgresSchemas, pg_admin_url

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[] if os.environ.get(PG_ENV) else [pytest.mark.skip(reason=f"{PG_ENV} is not set")],
    ),
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` and its client."""
    distributed = pytest.importorskip("distributed")
    home = tmp_path_factory.mktemp("worker-home")
    saved = {k: os.environ.get(k) for k in ("NBJOURNAL_HOME", "NBJOURNAL_URL")}
    os.environ["NBJOURNAL_HOME"] = str(home)  # what the worker processes inherit
    os.environ.pop("NBJOURNAL_URL", None)
    try:
        local = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(local)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield client
    client.close()
    local.close()


@pytest.fixture(params=BACKENDS)
def journal_url(request: pytest.FixtureRequest, journal_home: Path) -> Iterator[str]:
    """An empty journal on the test's backend (a schema of its own on PostgreSQL)."""
    from nbjournal.store import forget_stores

    if request.param == "sqlite":
        yield f"sqlite:///{journal_home.parent / 'dask-journal.db'}"
        return

    schemas = PostgresSchemas(pg_admin_url() or "")
    try:
        yield schemas.create()
        forget_stores()
    finally:
        schemas.close()
