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

from tests.pg_schemas import backend_params


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` and its client."""
    import distributed  # a test dependency: missing or broken, the tests fail, never skip

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


@pytest.fixture(params=backend_params("sqlite"))
def journal_url(request: pytest.FixtureRequest, journal_home: Path) -> str:
    """An empty journal on the test's backend (a schema of its own on PostgreSQL)."""
    if request.param == "sqlite":
        return f"sqlite:///{journal_home.parent / 'dask-journal.db'}"
    return str(request.getfixturevalue("pg_url"))
