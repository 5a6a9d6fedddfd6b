"""Plugins and guards shared by every test suite."""

import sys
from collections.abc import Iterator

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server", "tests.outages", "tests.pg_schemas")

_REAL_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _restore_real_main() -> Iterator[None]:
    """An IPython shell replaces ``__main__``; spawn-based tests need the real one back."""
    yield
    sys.modules["__main__"] = _REAL_MAIN
