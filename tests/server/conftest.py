"""A real Jupyter Server with nbjournal enabled, over a real journal in ``tmp_path``.

The server and the test share one :class:`~nbjournal.store.Store` (``open_store``
hands both the same one for the same URL): tests write runs through the store
(Given), then ask the REST API (When), then check its JSON (Then).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPResponse

from nbjournal.store import Store, open_store

API = ("nbjournal", "api")

Fetch = Callable[..., Awaitable[HTTPResponse]]


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
