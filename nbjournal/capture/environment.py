"""The environment of a run: versions, host, notebook, git state.

Versions are read from package metadata, never by importing the package:
reading TensorFlow's version must not cost the four seconds of importing it.
"""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .._version import __version__

_PACKAGES = {
    "tensorflow": ("tensorflow", "tensorflow-cpu"),
    "keras": ("keras",),
    "sklearn": ("scikit-learn",),
    "numpy": ("numpy",),
    "pandas": ("pandas",),
}


def capture_environment(notebook: str | None, folder: Path) -> dict[str, object]:
    env: dict[str, Any] = dict(_static_environment())
    env["keras_backend"] = keras_backend()
    env["notebook"] = notebook
    env["cwd"] = str(folder)
    git = git_state(folder)
    if git:
        env["git"] = git
    return env


@lru_cache(maxsize=1)
def _static_environment() -> dict[str, object]:
    env: dict[str, Any] = {
        "python": platform.python_version(),
        "nbjournal": __version__,
        "host": socket.gethostname(),
        "platform": platform.platform(),
    }
    for key, distributions in _PACKAGES.items():
        env[key] = _version(distributions)
    return env


def _version(distributions: tuple[str, ...]) -> str | None:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def keras_backend() -> str | None:
    keras = sys.modules.get("keras")
    if keras is not None:
        try:
            return str(keras.config.backend())
        except Exception:
            pass
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    return "tensorflow" if _static_environment().get("keras") else None


def notebook_path(user_ns: Mapping[str, object]) -> str | None:
    """The notebook's path as the Jupyter server knows it now, where the kernel can know it.

    A notebook renamed after its kernel started (``Untitled.ipynb`` →
    ``ux-digits.ipynb``) keeps the old name in ``__session__`` and
    ``JPY_SESSION_NAME``: the server's sessions API, asked for this kernel, has
    the new one. Without a reachable server (a plain IPython, a server
    without a token), today's rule: those names, then VS Code's.
    """
    from .sessions import server_notebook_path

    current = server_notebook_path()
    if current is not None:
        return current
    session = user_ns.get("__session__") or os.environ.get("JPY_SESSION_NAME")
    if isinstance(session, str) and session.endswith(".ipynb"):
        return session
    vscode = user_ns.get("__vsc_ipynb_file__")
    return vscode if isinstance(vscode, str) else None


def git_state(folder: Path) -> dict[str, object] | None:
    try:
        commit = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD", "--show-toplevel"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.split()  # fmt: skip
        status = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if len(commit) < 2:
        return None
    return {"commit": commit[0], "root": commit[1], "dirty": bool(status.strip())}
