"""``%journal tag`` and a trashed run in a kernel: no duplicate, no nearest run."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output


def test_journal_tag_adds_and_removes(shell, journal):
    shell.run_cell("%%experiment a -t draft\nx = 1")
    with capture_output() as said:
        shell.run_line_magic("journal", "tag 1 +keep -draft")
    assert "run #1 tags: keep" in said.stdout
    assert journal.run(1).tags == ("keep",)
    with pytest.raises(UsageError, match="no tag named"):
        shell.run_line_magic("journal", "tag 1 +")
    with pytest.raises(UsageError, match="usage: %journal tag"):
        shell.run_line_magic("journal", "tag 1")
    with pytest.raises(UsageError, match="no run #9"):
        shell.run_line_magic("journal", "tag 9 +x")


def test_a_trashed_run_is_no_duplicate_and_no_nearest_run(shell, journal):
    # Given a run of a cell, then another close to it, both sent to the trash
    shell.run_cell("%%experiment a\nunits = 8\nunits")
    shell.run_cell("%%experiment a\nunits = 16\nunits")
    journal.store.trash([1, 2])

    # When the first cell runs again
    with capture_output() as said:
        shell.run_cell("%%experiment a\nunits = 8\nunits")

    # Then it runs (a new run, not a restore of #1) and names no trashed run as nearest
    assert journal.run(3).status == "finished"
    assert "#1" not in said.stdout and "#2" not in said.stdout
    assert list(journal.runs()["id"]) == [3]
