"""The console script: ``nbjournal.cli.main`` with the words a user types, its exit code and
its output, in this process (a new interpreter a call cost ~0.7 CPU-s in imports, ~100 CPU-s
of the suite); ``cli(…, process=True)`` runs ``python -m nbjournal …`` in a subprocess, for
what only a real process shows (the entry point, the exit status the shell sees).

Each journal is real (SQLite under ``tmp_path``, or a PostgreSQL schema when
``NBJOURNAL_TEST_PG_URL`` names a server, as the store tests do) and holds a
planted sweep whose every number the tests know.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nbjournal.store import Store
from tests.store.conftest import (  # noqa: F401  (fixtures)
    _isolated_journal_home,
    backend,
    journal_url,
    new_journal_url,
    store,
)
from tests.store.helpers import new_run, record

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Cli = Callable[..., Result]


@pytest.fixture
def cli(journal_url: str, tmp_path: Path) -> Cli:  # noqa: F811
    """``cli("runs", "--json")``: the console script on this test's journal."""

    def run(*words: str, journal: str | None = journal_url, env: dict[str, str] | None = None,
            cwd: Path | None = None, process: bool = False) -> Result:  # fmt: skip
        settings = {"NBJOURNAL_HOME": str(tmp_path), **({} if journal is None else
                    {"NBJOURNAL_URL": journal}), **(env or {})}  # fmt: skip
        if process:
            return _in_a_process(words, settings, cwd or tmp_path)
        return _in_this_process(words, settings, cwd or tmp_path)

    return run


def _in_a_process(words: tuple[str, ...], settings: dict[str, str], cwd: Path) -> Result:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("NBJOURNAL_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "nbjournal", *words],
        capture_output=True,
        text=True,
        env={**environment, **settings},
        cwd=cwd,
        timeout=120,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def _in_this_process(words: tuple[str, ...], settings: dict[str, str], cwd: Path) -> Result:
    from nbjournal.cli import main
    from nbjournal.store import forget_stores

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NBJOURNAL_URL", raising=False)
        for name, value in settings.items():
            patch.setenv(name, value)
        patch.chdir(cwd)
        forget_stores()  # each call opens the journal as a new process would
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(list(words))
                except SystemExit as leaving:  # argparse's usage errors
                    code = leaving.code if isinstance(leaving.code, int) else 1
        finally:
            forget_stores()
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def sweep(store: Store) -> dict[str, int]:  # noqa: F811
    """A planted sweep of ``lr`` on ``digits-mlp``, and one run of ``other``.

    ``slow`` (lr 0.001) ends at val_accuracy 0.91, ``fast`` (lr 0.003) at 0.97
    and is refuted, ``broken`` (lr 0.1) fails; ``other`` is tagged ``baseline``.
    """
    data = [{"name": "X_train", "kind": "array", "shape": [100, 8], "hash": "xxh3:aaaa"}]
    made = {}
    for name, lr, accuracy, status in (
        ("slow", 0.001, [0.5, 0.8, 0.91], "finished"),
        ("fast", 0.003, [0.6, 0.9, 0.97], "finished"),
        ("broken", 0.1, [0.1], "failed"),
    ):
        run_id = new_run(
            store, "digits-mlp", hypothesis=f"lr {lr} learns the digits\nsecond line",
            params={"lr": lr, "units": 64}, code=f"units = 64\nlr = {lr}\nmodel.fit(X, y)\n",
            data=data, env={"python": "3.11.7", "numpy": "2.0"},
        )  # fmt: skip
        record(store, run_id, {"val_accuracy": accuracy, "loss": [1 - a for a in accuracy]})
        store.finish_run(
            run_id, status, error="ValueError: lr too large" if status == "failed" else None
        )
        made[name] = run_id
    store.add_inference(made["fast"], "faster is not better here", "refuted")
    other = new_run(store, "other", hypothesis="a baseline", params={"depth": 3}, tags=["baseline"])
    record(store, other, {"accuracy": [0.5, 0.6]})
    store.finish_run(other, "finished")
    made["other"] = other
    return made
