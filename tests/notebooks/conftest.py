"""The example notebooks, each executed once per test run and shared by every test that reads it.

Executing ``02_grids`` alone trains 28 models in a kernel and on a Dask cluster: a test that
needs its outputs or its journal asks :func:`examples` for it, and the first to ask pays.
Each notebook runs in a fresh kernel, in a folder of its own, on a journal of its own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "example_notebooks"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


@dataclass(frozen=True)
class Executed:
    """One example notebook after a headless run: its saved outputs and its journal."""

    notebook: Any
    home: Path

    def cells(self, starting: str) -> list[Any]:
        return [c for c in self.notebook.cells if c.source.startswith(starting)]

    def cell(self, containing: str) -> Any:
        return next(c for c in self.notebook.cells if containing in c.source)


class Examples:
    """Executes an example notebook the first time a test asks for it, then hands out that run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.done: dict[str, Executed] = {}

    def __call__(self, name: str) -> Executed:
        if name not in self.done:
            self.done[name] = self._execute(name)
        return self.done[name]

    def _execute(self, name: str) -> Executed:
        from nbjournal.cli.demo import execute
        from nbjournal.store import forget_stores

        folder = self.folder / Path(name).stem
        folder.mkdir()
        copy = folder / name
        shutil.copy(EXAMPLES / name, copy)
        home = folder / "home"
        saved = dict(os.environ)
        os.environ["NBJOURNAL_HOME"] = str(home)  # what the kernel inherits
        for key in ("NBJOURNAL_URL", "NBJOURNAL_LIVE", "NBJOURNAL_ARTIFACTS"):
            os.environ.pop(key, None)
        forget_stores()
        try:
            executed = nbformat.read(execute(copy), as_version=4)
        finally:
            os.environ.clear()
            os.environ.update(saved)
            forget_stores()
        return Executed(executed, home)


@pytest.fixture(scope="session")
def executed_examples(tmp_path_factory: pytest.TempPathFactory) -> Examples:
    return Examples(tmp_path_factory.mktemp("examples"))


@pytest.fixture
def example(
    executed_examples: Examples, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], Executed]]:
    """``example(NAME)``: that notebook executed, its journal the one ``Journal()`` finds."""
    from nbjournal.store import forget_stores

    def get(name: str) -> Executed:
        executed = executed_examples(name)
        monkeypatch.setenv("NBJOURNAL_HOME", str(executed.home))
        monkeypatch.delenv("NBJOURNAL_URL", raising=False)
        forget_stores()
        return executed

    yield get
    forget_stores()
