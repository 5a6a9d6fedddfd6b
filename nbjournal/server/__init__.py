"""The Jupyter Server extension: the REST API that the Journal sidebar reads.

It uses the store and nothing else (no IPython, no Keras), and opens the
journal only when the first request comes, so a server starts as fast with
nbjournal installed as without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp

__all__ = ["load_jupyter_server_extension"]


def load_jupyter_server_extension(server_app: ServerApp) -> None:
    """Register the API under ``<base_url>/nbjournal/api/``; look for crashed runs on a timer.

    Jupyter Server is imported here, not with the package: the console script reads
    :mod:`.payloads` and :mod:`.endpoints` without starting a server's worth of imports.
    """
    from .reaper import INTERVAL_SETTING, REAP_INTERVAL_S, REAPER_KEY, Reaper
    from .routes import API_PREFIX, url_patterns
    from .service import SETTINGS_KEY, JournalService
    from .settings import NbJournal

    applied = NbJournal(parent=server_app).apply()
    if applied:
        server_app.log.info("nbjournal: from the server's config: %s", ", ".join(sorted(applied)))
    web_app = server_app.web_app
    service = web_app.settings.setdefault(SETTINGS_KEY, JournalService())
    interval_s = float(web_app.settings.get(INTERVAL_SETTING, REAP_INTERVAL_S))
    reaper = web_app.settings.setdefault(REAPER_KEY, Reaper(service, interval_s, server_app.log))
    # On the server's own loop (ServerApp.io_loop is set before extensions load).
    io_loop = getattr(server_app, "io_loop", None)
    if io_loop is not None:
        io_loop.add_callback(reaper.start)
    else:
        reaper.start()
    base_url = web_app.settings.get("base_url", "/")
    web_app.add_handlers(".*$", url_patterns(base_url))  # type: ignore[no-untyped-call]
    server_app.log.info("nbjournal: journal API at %s%s/", base_url, API_PREFIX)
