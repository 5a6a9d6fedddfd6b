"""Marking crashed runs on a timer, so that the sidebar's reads never have to write.

A kernel reaps when it opens the journal; a journal that only the server has
open (a team's PostgreSQL journal watched from the lab) still needs someone to
notice a kernel that died. The server does, every :data:`REAP_INTERVAL_S`, in a
worker thread (the database must not stall the event loop), and only once the
journal is open: a server with nbjournal installed but never asked about the
journal never touches it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tornado.ioloop import PeriodicCallback

if TYPE_CHECKING:
    from .service import JournalService

#: Seconds between two looks for crashed runs (``tornado_settings`` key below overrides it).
REAP_INTERVAL_S = 30.0
INTERVAL_SETTING = "nbjournal_reap_interval_s"
#: Where the running reaper is kept in ``web_app.settings``.
REAPER_KEY = "nbjournal_reaper"


class Reaper:
    """A :class:`PeriodicCallback` that reaps the server's journal off the event loop."""

    def __init__(
        self, service: JournalService, interval_s: float, log: logging.Logger | None = None
    ) -> None:
        self.service = service
        self.log = log or logging.getLogger(__name__)
        self._callback = PeriodicCallback(self.tick, interval_s * 1000.0)

    def start(self) -> None:
        self._callback.start()

    def stop(self) -> None:
        self._callback.stop()

    async def tick(self) -> None:
        """One look (tornado awaits it before scheduling the next, so looks never overlap)."""
        try:
            reaped = await self.service.reap()
        except Exception as error:  # the journal may be down for a while: try again later
            self.log.debug("nbjournal: could not look for crashed runs: %s", error)
            return
        if reaped:
            self.log.info("nbjournal: marked crashed: runs %s", ", ".join(map(str, reaped)))
