"""Where this kernel's notebook is now: asked of the Jupyter server that started the kernel.

The server tells a kernel its notebook's path once, at start. After a rename
only the server knows the new one: its sessions API maps kernel ids to paths.
The kernel finds the servers of this machine in Jupyter's runtime folder
(``jpserver-*.json``, which hold their URL and token) and its own id in its
connection file's name. Each question has a short timeout, and any failure
means "unknown" (the caller falls back): recording a run never waits on it.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path

#: Seconds to wait for a server's answer; on loopback it answers in milliseconds.
TIMEOUT_S = 0.5
_KERNEL_FILE = re.compile(r"kernel-(?P<id>[0-9a-f-]+)\.json$")


def server_notebook_path(
    kernel_id: str | None = None, servers: Iterable[Mapping[str, object]] | None = None
) -> str | None:
    """The path of this kernel's notebook (relative to the server's root), or ``None``."""
    kernel_id = kernel_id or this_kernel_id()
    if not kernel_id:
        return None
    for server in running_servers() if servers is None else servers:
        try:
            path = _ask(server, kernel_id)
        except Exception:  # a stale runtime file, a server that wants a password...
            continue
        if path is not None:
            return path
    return None


def this_kernel_id() -> str | None:
    """The id the server gave this kernel, read from its connection file's name."""
    if "ipykernel" not in sys.modules:
        return None
    try:
        from ipykernel import get_connection_file

        match = _KERNEL_FILE.search(get_connection_file())
    except Exception:
        return None
    return match["id"] if match else None


def running_servers() -> list[dict[str, object]]:
    """The Jupyter servers of this user on this machine, newest first."""
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        folder = Path(jupyter_runtime_dir())
        files = sorted(
            folder.glob("jpserver-*.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )
    except Exception:
        return []
    servers = []
    for file in files:
        try:
            servers.append(json.loads(file.read_text()))
        except (OSError, ValueError):
            continue
    return servers


def _ask(server: Mapping[str, object], kernel_id: str) -> str | None:
    url = str(server["url"]).rstrip("/") + "/api/sessions"
    headers = {"Authorization": f"token {server['token']}"} if server.get("token") else {}
    request = urllib.request.Request(url, headers=headers)
    # No proxy: the server is on this machine, and a proxy of the environment would not know it.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=TIMEOUT_S) as response:
        sessions = json.loads(response.read().decode())
    for session in sessions:
        if (session.get("kernel") or {}).get("id") == kernel_id:
            path = session.get("path") or session.get("notebook", {}).get("path")
            return str(path) if path else None
    return None
