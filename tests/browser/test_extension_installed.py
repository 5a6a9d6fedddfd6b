"""The package installs both halves: JupyterLab lists the lab and the server extension enabled."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest


def _jupyter(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", *args], capture_output=True, text=True, check=True
    )
    return re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)


@pytest.mark.browser
def test_lab_extension_is_enabled() -> None:
    listing = _jupyter("labextension", "list")
    assert re.search(r"^\s*nbjournal v\S+ enabled OK", listing, re.MULTILINE), listing


@pytest.mark.browser
def test_server_extension_is_enabled() -> None:
    listing = _jupyter("server", "extension", "list")
    assert re.search(r"^\s*nbjournal enabled", listing, re.MULTILINE), listing
    assert re.search(r"nbjournal \S+ OK", listing), listing
