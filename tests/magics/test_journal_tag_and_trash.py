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


def test_every_way_to_start_a_run_refuses_a_tag_the_query_cannot_find(shell, journal):
    # a tag with a space, digits only (#12 names a run), too many: refused before anything runs
    for line, said in [
        ("a -t 'two words'", "is not a word"),
        ("a -t 12", "#12 would name run 12"),
        ("a " + " ".join(f"-t t{i}" for i in range(51)), "51 tags: a run takes 50 at most"),
    ]:
        with pytest.raises(UsageError, match=said):
            shell.run_cell_magic("experiment", line, "ran = True")
        assert "ran" not in shell.user_ns
    from nbjournal import JournalCallback, run_grid

    with pytest.raises(ValueError, match="is digits only"):
        JournalCallback("a", tags=["7"])
    with pytest.raises(ValueError, match="is not a word"):
        run_grid("a", lambda lr: lr, {"lr": [1, 2]}, tags=["no good"], live=False)
    assert journal.runs().empty
    shell.run_cell("%%experiment a -t v1.2 -t data:digits\nx = 1")  # words the query finds
    assert journal.run(1).tags == ("data:digits", "v1.2")


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
