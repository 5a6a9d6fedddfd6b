"""The server's handle on the journal: opened on first use, queried off the event loop.

Opening a journal may create and migrate a database, and every query blocks on
disk or network; none of that may stall Jupyter Server's event loop, which
also serves kernels and the editor. Every request waits on the journal at
most :func:`nbjournal.config.timeout` seconds and is then answered 503; a
journal found unavailable is not asked again for a while
(:mod:`nbjournal.store.availability`), so requests meanwhile fail at once
instead of piling up threads on a server that does not answer.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..store import Store

T = TypeVar("T")

#: Where the service lives in ``web_app.settings``.
SETTINGS_KEY = "nbjournal"


class JournalService:
    """The journal of this server, resolved as kernels resolve it (``NBJOURNAL_URL``...)."""

    def __init__(self, url: str | None = None) -> None:
        self._url = url
        self._store: Store | None = None
        self._lock = threading.Lock()

    def store(self) -> Store:
        """The open store (blocking: opening may migrate the schema)."""
        with self._lock:
            if self._store is None:
                from ..store import open_store

                self._store = open_store(self._url)
            return self._store

    def opened(self) -> Store | None:
        """The store if a request has opened it, else ``None`` (never opens it)."""
        with self._lock:
            return self._store

    async def reap(self) -> list[int]:
        """Mark crashed runs in a worker thread, if the journal is open (see :mod:`.reaper`)."""
        store = self.opened()
        if store is None:
            return []
        return await asyncio.to_thread(store.reap_crashed)

    async def run(self, view: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``view(store, *args, **kwargs)`` in a worker thread, waited for at most the timeout."""
        from ..config import resolve_url, timeout
        from ..errors import JournalUnavailable
        from ..store import check_available, mark_unavailable

        url = resolve_url(self._url)
        check_available(url)
        bound = timeout()
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._call, view, args, kwargs), bound)
        except TimeoutError:
            reason = f"the journal {url_for_log(url)} did not answer within {bound:g} s"
            mark_unavailable(url, reason)
            raise JournalUnavailable(reason) from None

    def _call(self, view: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        return view(self.store(), *args, **kwargs)


def url_for_log(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
