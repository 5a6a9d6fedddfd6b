"""Bad input from a shell: one line on stderr, a non-zero exit, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbjournal.store import Store
from tests.cli.conftest import Cli


def _changes(store: Store) -> int:
    return store.changes(0)[0]


@pytest.mark.parametrize(
    ("words", "says"),
    [
        (("show", "999999"), "no run #999999"),
        (("show", "abc"), "not a run id"),
        (("runs", "units>abc"), "not a number"),
        (("runs", "verdict:maybe"), "supported, refuted, inconclusive"),
        (("runs", "no-such-experiment"), "no-such-experiment"),
        (("runs", "digits-mlp", "learning_rate=0.1"), "learning_rate (did you mean lr?)"),
        (("runs", "val_acc>0.9"), "val_acc (did you mean val_accuracy?)"),
        (("runs", "lr=0.1", "OR"), "OR needs a term on each side"),
        (("runs", "--sort", "colour"), "no run has a metric or parameter 'colour'"),
        (("runs", "--limit", "0"), "not above 0"),
        (("compare", "1"), "two different runs"),
        (("grid", "77"), "77"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    cli: Cli, sweep, store: Store, words: tuple[str, ...], says: str
) -> None:
    before = _changes(store)
    result = cli(*words)
    assert result.code != 0
    assert result.out == ""
    assert result.err.count("\n") == 1 and says in result.err, result.err
    assert _changes(store) == before


def test_a_missing_journal_is_one_line_and_is_not_created(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    result = cli("runs", journal=f"sqlite:///{path}")
    assert result.code == 1 and result.err.count("\n") == 1 and "no journal at" in result.err
    assert not path.exists()


@pytest.mark.parametrize("words", [("runs", "--json"), ("show", "abc")])
def test_the_console_script_in_its_own_process_answers_as_in_this_one(
    cli: Cli, sweep, words: tuple[str, ...]
) -> None:
    """``python -m nbjournal`` is what a shell runs: the same words give the same answer."""
    here, there = cli(*words), cli(*words, process=True)
    assert (there.code, there.out, there.err) == (here.code, here.out, here.err)
    assert there.code == (0 if words[0] == "runs" else 1)


def test_an_unreadable_journal_is_one_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not a database" * 100)
    result = cli("runs", journal=f"sqlite:///{path}")
    assert result.code == 1 and result.err.count("\n") == 1, result.err
    assert path.read_bytes() == b"this is not a database" * 100


def test_a_bad_url_is_one_line(cli: Cli) -> None:
    result = cli("runs", journal="mysql://somewhere/db")
    assert result.code == 1 and result.err.count("\n") == 1 and "mysql" in result.err
