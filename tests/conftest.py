"""Fixtures every suite shares: a journal of its own in ``tmp_path``, and a real IPython shell.

The shell is a plain ``InteractiveShell`` whose ``run_cell`` re-raises the cell's
error (as jupysql's ``TestingShell``), with ``%load_ext nbjournal`` done.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


class TestingShell(InteractiveShell):
    """Errors in a cell raise, so tests can assert on them."""

    def run_cell(self, raw_cell: str, *args: Any, **kwargs: Any) -> Any:
        result = super().run_cell(raw_cell, *args, **kwargs)
        result.raise_error()
        return result


@pytest.fixture
def journal_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty embedded journal for this test only, found as kernels and the server find it."""
    from nbjournal.store import forget_stores

    home = tmp_path / "journal-home"
    monkeypatch.setenv("NBJOURNAL_HOME", str(home))
    monkeypatch.delenv("NBJOURNAL_URL", raising=False)
    monkeypatch.delenv("NBJOURNAL_LIVE", raising=False)
    monkeypatch.chdir(tmp_path)
    forget_stores()
    yield home
    forget_stores()


@pytest.fixture
def shell(journal_home: Path) -> Iterator[TestingShell]:
    """A fresh shell with nbjournal loaded and no run of an earlier test remembered."""
    from nbjournal.runs import current

    existing = InteractiveShell._instance if InteractiveShell.initialized() else None
    if existing is not None and not isinstance(existing, TestingShell):
        type(existing).clear_instance()  # another class's singleton: one at a time
    ip = TestingShell.instance()
    ip.reset(new_session=True)
    ip.run_line_magic("load_ext", "nbjournal")
    current.set_active(None)
    current.remember_run(None)
    yield ip
    ip.run_line_magic("unload_ext", "nbjournal")
    current.set_active(None)
    current.remember_run(None)
    TestingShell.clear_instance()
    # Each shell registers an exit hook that resets it with a full garbage collection: a
    # few hundred shells made pytest spend minutes after the last test (one CI run, 5+ min)
    atexit.unregister(ip.atexit_operations)


@pytest.fixture
def journal(journal_home: Path) -> Any:
    import nbjournal

    return nbjournal.Journal()
