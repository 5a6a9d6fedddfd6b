"""A real Jupyter Server with nbjournal enabled, over a real journal in ``tmp_path``.

The server and the test share one :class:`~nbjournal.store.Store` (``open_store``
hands both the same one for the same URL): tests write runs through the store
(Given), then ask the REST API (When), then check its JSON (Then).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPResponse

from nbjournal.store import Store, forget_stores, open_store

API = ("nbjournal", "api")

Fetch = Callable[..., Awaitable[HTTPResponse]]


@pytest.fixture
def journal_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty embedded journal for this test only, found as kernels find it."""
    home = tmp_path / "journal-home"
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    monkeypatch.setenv("NBJOURNAL_HOME", str(home))
    forget_stores()
    yield home
    forget_stores()


@pytest.fixture
def jp_server_config(journal_home: Path) -> dict[str, Any]:
    return {"ServerApp": {"jpserver_extensions": {"nbjournal": True}}}


@pytest.fixture
def store(journal_home: Path) -> Store:
    return open_store()


@pytest.fixture
def api(jp_fetch: Fetch) -> Fetch:
    """``jp_fetch`` under ``nbjournal/api``, with the server's token; errors are answers."""

    def fetch(*parts: Any, **kwargs: Any) -> Awaitable[HTTPResponse]:
        kwargs.setdefault("raise_error", False)
        return jp_fetch(*API, *(str(p) for p in parts), **kwargs)

    return fetch


@pytest.fixture
def get_json(api: Fetch) -> Callable[..., Awaitable[Any]]:
    """GET an endpoint that must answer 200, and decode its JSON."""

    async def get(*parts: Any, **params: Any) -> Any:
        response = await api(*parts, params=params)
        assert response.code == 200, response.body
        return json.loads(response.body)

    return get
