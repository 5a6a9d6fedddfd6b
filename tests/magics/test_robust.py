"""The journal never blocks a cell, never silently drops a point, never records a secret.

Through a real IPython shell, against real failures: a socket that accepts and
never answers, a real PostgreSQL frozen with SIGSTOP mid-cell (this session's
own cluster), values no column can hold.
"""

from __future__ import annotations

import os
import re
import warnings

import pytest
from IPython.core.error import UsageError

from nbjournal.store import mark_available, open_store


def _run(shell, cell):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = shell.run_cell(cell)
    return result, [str(w.message) for w in caught if "nbjournal" in str(w.message)]


def test_cells_on_a_journal_that_never_answers_run_and_only_the_first_waits(
    shell, black_hole, short_timeout
):
    # Given a journal server that accepts connections and never answers
    cell = f"%%experiment silent --journal {black_hole.url}\nvalue = 6 * 7\nvalue"

    # When two cells use it
    first, first_messages = _run(shell, cell)
    tried = black_hole.accepted
    second, second_messages = _run(shell, cell)

    # Then both ran, each said once that its run is kept locally,
    # and the second did not wait on the journal again
    assert first.result == 42 and second.result == 42
    for messages in (first_messages, second_messages):
        assert len(messages) == 1 and "kept locally" in messages[0], messages
    assert tried >= 1 and black_hole.accepted == tried


def test_a_journal_frozen_mid_cell_keeps_the_run_and_writes_it_when_back(
    shell, own_postgres, short_timeout
):
    # Given a cell that records 5 points, then the journal freezes, then 5 more
    url = own_postgres.new_database("frozen_mid_cell")
    shell.user_ns["freeze"] = own_postgres.freeze
    body = (
        "import nbjournal\n"
        "for s in range(5): nbjournal.log_metric('m', s, step=s)\n"
        "import time; time.sleep(1.5)\n"  # the writer flushes the first five
        "freeze()\n"
        "for s in range(5, 10): nbjournal.log_metric('m', s, step=s)\n"
        "'done'"
    )
    try:
        # When the cell runs
        result, messages = _run(shell, f"%%experiment frozen --journal {url}\n{body}")
    finally:
        own_postgres.thaw()

    # Then it returned its value, saying what is kept locally
    assert result.result == "done"
    assert any("kept in" in m for m in messages), messages

    # When the journal is back and the next cell opens it
    mark_available(url)
    _, later = _run(shell, f"%%experiment after --journal {url}\nq = 1")

    # Then the frozen run is complete in the journal, and one line said so
    assert any("answers again" in m for m in later), later
    store = open_store(url)
    run = next(r for r in store.list_runs() if r.experiment == "frozen")
    assert run.status == "finished" and run.points_pending == 0
    assert sorted(p.step for p in store.metric_points(run.id, names=["m"])) == list(range(10))


def test_values_no_column_holds_cost_only_themselves(shell, journal):
    # Given a cell that logs good values among ones no journal column can hold
    cell = (
        "%%experiment odd-values\n"
        "import nbjournal\n"
        "nbjournal.log_metric('m' * 300, 1.0)\n"
        "nbjournal.log_metric('nul\\x00name', 1.0)\n"
        "nbjournal.log_metric('clock', 2.0, step=2**40)\n"
        "nbjournal.log_metric('loss', 0.5, step=2**70)\n"
        "nbjournal.log_metric('loss', 0.25, step=1)\n"
        "{'acc': 0.75}"
    )

    # When it runs
    result, messages = _run(shell, cell)

    # Then the cell's value is returned, each bad value is one line, the rest is recorded
    assert result.result == {"acc": 0.75}
    assert len(messages) == 3 and all("not recorded" in m for m in messages), messages
    run = journal.store.get_run(journal.store.list_runs()[0].id)
    assert run.status == "finished"
    assert set(run.metrics) == {"clock", "loss", "acc"}
    assert run.metrics["clock"].last_epoch == 2**40


def test_secrets_read_by_a_cell_are_recorded_by_name_only(shell, journal, monkeypatch):
    # Given a key from the environment and a literal key in the namespace
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    shell.run_cell(
        "import os\naws = os.environ['AWS_SECRET_ACCESS_KEY']\nAPI_KEY = 'sk-live-0123456789'"
    )

    # When an experiment cell uses them
    shell.run_cell("%%experiment secretive -p lr=0.1\nused = (aws, API_KEY, lr)")

    # Then the run names them with redacted values, and no output shows them
    run = journal.store.get_run(journal.store.list_runs()[0].id)
    assert run.full_params["aws"] == "<redacted>" and run.full_params["API_KEY"] == "<redacted>"
    assert run.full_params["lr"] == 0.1
    text = repr(run)
    assert "sk-live" not in text and "EXAMPLEKEY" not in text


def test_dunder_and_ipython_names_are_refused_as_params(shell):
    for name in ("__builtins__", "In", "get_ipython", "_i3", "class"):
        with pytest.raises(UsageError, match="belongs to Python or IPython"):
            shell.run_cell(f"%%experiment p -p {name}=1\nx = 1")
    assert shell.run_cell("x = 2\nx").result == 2


def test_a_huge_magic_line_is_refused_at_once_pointing_to_the_cell_form(shell):
    with pytest.raises(UsageError, match="%%inference"):
        shell.run_cell("%inference " + "{x}$y " * 200_000)


def test_magic_lines_are_not_expanded_but_where_the_magic_asks(shell, journal):
    shell.run_cell("x = 1")
    # IPython's expansion is off for %%experiment: the tag rule sees '{x}', not '1'
    for tag in ("{x}", "$x"):
        with pytest.raises(UsageError, match=re.escape(f"tag {tag!r} is not a word")):
            shell.run_cell_magic("experiment", f"plain -t {tag}", "y = 2")
    shell.run_cell("%%experiment plain -H '{x} as written'\ny = 2")
    run = journal.store.get_run(journal.store.list_runs()[0].id)
    assert run.hypothesis == "{x} as written"
    shell.run_cell("%inference {x} costs $x")  # %inference fills in {…} itself (issue 12)
    assert journal.store.get_run(run.id).inference.text == "1 costs 1"


def test_run_ids_beyond_any_journal_are_one_line(shell):
    with pytest.raises(UsageError, match="no run #"):
        shell.run_cell("%journal show 1000000000000000000000000000000")
    with pytest.raises(UsageError, match="no run #"):
        shell.run_cell("%inference --run 1000000000000000000000000000000 text")


def test_a_journal_warning_is_its_message_alone(shell, capfd, tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"not a database" * 100)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        shell.run_cell(f"%%experiment c --journal sqlite:///{corrupt}\nz = 1")
    lines = [line for line in capfd.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("nbjournal: "), lines
    assert os.path.basename(__file__) not in lines[0] and "interactiveshell" not in lines[0]


def test_a_run_made_while_the_journal_was_away_is_written_when_it_is_back(shell, tmp_path):
    # Given a journal whose folder cannot be made (a file stands in its way)
    blocker = tmp_path / "blocked"
    blocker.write_text("a file")
    url = f"sqlite:///{blocker / 'journal.db'}"

    # When a cell records a run there
    result, messages = _run(
        shell,
        f"%%experiment away --journal {url}\nimport nbjournal\nnbjournal.log_metric('m', 2.0)\n7",
    )
    assert result.result == 7 and len(messages) == 1 and "kept locally" in messages[0]

    # And the folder is fixed, and (the back-off over) the next cell opens the journal
    blocker.unlink()
    blocker.mkdir()
    from nbjournal.config import resolve_url

    mark_available(resolve_url(url))
    _, later = _run(shell, f"%%experiment back --journal {url}\nq = 1")

    # Then the run made while it was away is in it, finished, with its metrics
    assert any("answers again" in m for m in later), later
    runs = {r.experiment: r for r in open_store(url).list_runs()}
    assert runs["away"].status == "finished" and runs["away"].points_pending == 0
    assert set(runs["away"].metrics) == {"m", "result"} or "m" in runs["away"].metrics


def test_a_syntax_error_in_the_cell_shows_as_in_a_plain_cell(shell, capsys):
    # When an experiment cell does not parse
    with pytest.raises(SyntaxError):
        shell.run_cell("%%experiment broken\nx = (1,\ny = 2")

    # Then the cell fails with the error alone: no traceback through nbjournal
    shown = capsys.readouterr().out
    assert "SyntaxError" in shown and "was never closed" in shown
    assert "Traceback" not in shown and "nbjournal" not in shown
    assert len([line for line in shown.splitlines() if line.strip()]) <= 4
