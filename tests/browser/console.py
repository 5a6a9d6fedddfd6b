"""What a page says in its console while a test acts on it: every error and warning, and every
uncaught error — the one listener of the browser tests."""

from __future__ import annotations

import re
from typing import Any

#: JupyterLab's own note that a plugin was slow to start ("Plugin … took 3012 ms to
#: activate"): the machine's load, not a fault of the page.
_SLOW_PLUGIN = re.compile(r"^Plugin .+ (took|is taking) .*activate", re.IGNORECASE)


class Console:
    """The page's console errors and warnings and its uncaught errors, from now on."""

    def __init__(self, page: Any) -> None:
        self.messages: list[str] = []
        page.on("console", self._message)
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def _message(self, message: Any) -> None:
        if message.type in ("error", "warning") and not _SLOW_PLUGIN.search(message.text):
            self.messages.append(f"{message.type}: {message.text}")
