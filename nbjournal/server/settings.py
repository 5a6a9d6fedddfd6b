"""The server extension's settings as traitlets, set once for every user of a server.

``c.NbJournal.url = "postgresql+psycopg://…"`` in ``jupyter_server_config.py`` (as
jupyterlab-git and jupysql take theirs): a JupyterHub admin sets the journal, its
timeout and its artifacts location for all. Each value set becomes the default of
its environment variable in the server's process, so the server and every kernel
it starts resolve the same journal; a variable already set (a user's own) wins.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

from traitlets import Float, Unicode
from traitlets.config import Configurable

#: Each setting and the environment variable it is the default of.
ENVIRONMENT = {"url": "NBJOURNAL_URL", "timeout": "NBJOURNAL_TIMEOUT",
               "artifacts": "NBJOURNAL_ARTIFACTS"}  # fmt: skip


class NbJournal(Configurable):
    """``c.NbJournal.url``, ``.timeout``, ``.artifacts`` (environment variables win)."""

    url = Unicode(
        None,
        allow_none=True,
        help="The journal's URL (default: NBJOURNAL_URL, else the local file)",
    ).tag(config=True)
    timeout = Float(
        None, allow_none=True, help="Seconds to wait for the journal (default: NBJOURNAL_TIMEOUT)"
    ).tag(config=True)
    artifacts = Unicode(
        None, allow_none=True, help="Where artifacts are stored (default: NBJOURNAL_ARTIFACTS)"
    ).tag(config=True)

    def apply(self, environ: MutableMapping[str, str] = os.environ) -> dict[str, str]:
        """Set each configured value as its variable's default; returns what was set."""
        applied = {}
        for name, variable in ENVIRONMENT.items():
            value = getattr(self, name)
            if value is not None and not environ.get(variable):
                environ[variable] = f"{value:g}" if isinstance(value, float) else str(value)
                applied[variable] = environ[variable]
        return applied
