"""The journal never breaks the user's work: an unusable journal is one warning, the cell runs."""

from __future__ import annotations

import warnings


def _warnings_of(shell, cell):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = shell.run_cell(cell)
    return result, [str(w.message) for w in caught if "nbjournal" in str(w.message)]


def test_an_unreachable_journal_is_a_warning_and_the_cell_runs(shell):
    cell = "%%experiment offline --journal postgresql+psycopg://nobody@127.0.0.1:9/none\nvalue = 6 * 7\nvalue"
    result, messages = _warnings_of(shell, cell)
    assert result.result == 42 and shell.user_ns["value"] == 42
    assert len(messages) == 1 and "unavailable" in messages[0] and "kept locally" in messages[0]


def test_a_read_only_journal_is_a_warning_and_the_cell_runs(shell, tmp_path):
    path = tmp_path / "j.db"
    shell.run_cell(f"%%experiment seed --journal sqlite:///{path}\nx = 1")
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    result, messages = _warnings_of(shell, f"%%experiment ro --journal {read_only}\nx = 2\nx")
    assert result.result == 2 and shell.user_ns["x"] == 2
    assert len(messages) == 1 and "readonly" in messages[0]


def test_a_journal_on_an_unwritable_path_is_a_warning_and_training_goes_on(
    shell, tiny_data, tiny_mlp
):
    shell.run_cell(tiny_data)
    cell = f"%%experiment blocked --journal sqlite:////proc/nbjournal/j.db\n{tiny_mlp}"
    _, messages = _warnings_of(shell, cell)
    assert len(shell.user_ns["history"].history["loss"]) == 3
    assert len(messages) == 1 and "kept locally" in messages[0]
