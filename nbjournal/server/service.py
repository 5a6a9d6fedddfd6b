"""The server's handle on the journal: opened on first use, queried off the event loop.

Opening a journal may create and migrate a database, and every query blocks on
disk or network; none of that may stall Jupyter Server's event loop, which
also serves kernels and the editor. Every request waits on the journal at
most :func:`nbjournal.config.timeout` seconds (a computation such as insights:
its own budget) and is then answered 503. Only a journal that does not answer
at all is remembered as unavailable for a while
(:mod:`nbjournal.store.availability`), so requests meanwhile fail at once
instead of piling up threads on a server that does not answer; a request that
is merely slow fails alone.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from ..store import Store

T = TypeVar("T")

#: The longest the server waits on ``SELECT 1`` to tell a slow request from a journal that is down.
PROBE_S = 2.0
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

    async def run(
        self, view: Callable[..., T], *args: object, budget: float | None = None, **kwargs: object
    ) -> T:
        """``view(store, *args, **kwargs)`` in a worker thread, waited for at most ``budget``
        seconds (default: the configured timeout).

        A request past its budget is not, by itself, a journal that is down: the
        journal is asked a trivial question (:meth:`_answers`), and only when that
        fails too is it marked unavailable for everyone (the back-off). Otherwise
        only this request fails, with :class:`TooSlow`.
        """
        from ..config import resolve_url, timeout
        from ..errors import JournalUnavailable, TooSlow
        from ..store import check_available, mark_unavailable

        url = resolve_url(self._url)
        check_available(url)
        bound = max(timeout(), budget or 0.0)
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._call, view, args, kwargs), bound)
        except TimeoutError:
            if await self._answers(min(timeout(), PROBE_S)):
                raise TooSlow(
                    f"this request took longer than {bound:g} s and was stopped waiting; "
                    "narrow it (a shorter query, fewer runs) or try again"
                ) from None
            reason = f"the journal {url_for_log(url)} did not answer within {bound:g} s"
            mark_unavailable(url, reason)
            raise JournalUnavailable(reason) from None

    async def _answers(self, bound: float) -> bool:
        """Whether the open journal answers ``SELECT 1`` within ``bound`` seconds (a journal
        still being opened has not answered yet: that is a connection-level failure)."""
        store = self.opened()
        if store is None:
            return False

        def probe() -> None:
            import sqlalchemy as sa

            with store.engine.connect() as connection:
                connection.execute(sa.select(sa.literal(1)))

        try:
            await asyncio.wait_for(asyncio.to_thread(probe), bound)
        except Exception:  # a timeout or any failure: the journal does not answer
            return False
        return True

    def _call(
        self, view: Callable[..., T], args: tuple[object, ...], kwargs: dict[str, object]
    ) -> T:
        return view(self.store(), *args, **kwargs)


def url_for_log(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
