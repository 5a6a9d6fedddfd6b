"""Plugins and guards shared by every test suite, and the order the suite's modules are
handed to pytest-xdist workers in."""

import sys
from collections.abc import Iterator

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server", "tests.outages", "tests.pg_schemas")

_REAL_MAIN = sys.modules["__main__"]

#: The longest modules (measured, ``--durations``), longest first. ``make test`` runs
#: ``pytest -n 2 --dist loadscope``: a module stays on one worker (its module-scoped jupyter
#: lab, Dask cluster or live notebook is set up once) and, with ``--no-loadscope-reorder``,
#: modules are handed out in collection order, so these start first and the short ones
#: fill in around them.
LONGEST = (
    "tests/notebooks/test_examples.py",
    "tests/browser/test_live_view.py",
    "tests/cluster/test_dask_grids.py",
    "tests/browser/test_notebook7.py",
    "tests/browser/test_notebook.py",
    "tests/magics/test_noise_keras.py",
    "tests/notebooks/",
    "tests/browser/",
)


@pytest.fixture(autouse=True)
def _restore_real_main() -> Iterator[None]:
    """An IPython shell replaces ``__main__``; spawn-based tests need the real one back."""
    yield
    sys.modules["__main__"] = _REAL_MAIN


def _rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::")[0]
    return next((i for i, long in enumerate(LONGEST) if path.startswith(long)), len(LONGEST))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker (every worker sorts alike) the longest modules come first."""
    if hasattr(config, "workerinput"):
        items.sort(key=_rank)
