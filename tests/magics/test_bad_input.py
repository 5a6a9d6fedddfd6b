"""Bad input: one clear line (a UsageError), nothing run, nothing recorded."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

BODY = "ran = True\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('bad "unclosed', "check its quotes"),
        ("name --no-such-option", "unrecognized arguments: --no-such-option"),
        ("name -p lr=__import__('os')", "not a Python literal"),
        ("name -p lr=1e-3 -p lr=2", "given twice"),
        ("name -p =3", "NAME=VALUE"),
        ("name -p lr", "NAME=VALUE"),
        ("", "needs a name"),
        ("'   '", "needs a name"),
        ("'two words'", "bad experiment name"),
        ("name --journal mysql://x/y", "unsupported journal backend"),
        ("name --journal not-a-url", "not a journal URL"),
        ("name -g units=5", "non-empty list"),
    ],
)
def test_a_bad_magic_line_is_refused_and_nothing_runs(shell, journal_home, line, message):
    with pytest.raises(UsageError, match=message):
        shell.run_cell(f"%%experiment {line}\n{BODY}")
    assert "ran" not in shell.user_ns
    assert not (journal_home / "journal.db").exists() or _run_count() == 0


def test_an_empty_cell_is_refused(shell, journal_home):
    with pytest.raises(UsageError, match="the cell is empty"):
        shell.run_cell("%%experiment name\n   \n")


def test_an_invalid_nbjournal_url_is_refused(shell, monkeypatch):
    monkeypatch.setenv("NBJOURNAL_URL", "oracle://nowhere")
    with pytest.raises(UsageError, match="unsupported journal backend"):
        shell.run_line_magic("journal", "")


@pytest.mark.parametrize(
    ("magic", "line", "message"),
    [
        ("inference", "--run 99 text", "no run #99"),
        ("inference", "--run abc text", "not a run id"),
        ("inference", "--verdict maybe text", "invalid choice: 'maybe'"),
        ("inference", "", "needs your conclusion"),
        ("journal", "show 42", "no run #42"),
        ("journal", "show x", "not a run id"),
        ("journal", "compare 1", "two runs at least"),
        ("journal", "nosuchexperiment", "no experiment named"),
    ],
)
def test_unknown_runs_and_bad_arguments_are_refused(shell, journal, magic, line, message):
    shell.run_cell("%%experiment one\nx = 1")
    with pytest.raises(UsageError, match=message):
        shell.run_line_magic(magic, line)
    assert journal.run(1).inference is None


def _run_count() -> int:
    import nbjournal

    return len(nbjournal.Journal().runs())


def test_inference_without_any_run_in_this_kernel_is_refused(shell):
    with pytest.raises(UsageError, match="no run in this kernel yet"):
        shell.run_line_magic("inference", "orphan text")


def test_a_quoted_text_param_keeps_its_quotes(shell, journal):
    shell.run_cell("%%experiment acts -p act='relu' -p name=\"wide net\"\nseen = act")
    assert shell.user_ns["seen"] == "relu"
    assert journal.run(1).params["act"] == "relu"
    assert journal.run(1).params["name"] == "wide net"


def test_an_unquoted_word_says_how_to_quote_it(shell, journal_home):
    with pytest.raises(UsageError, match="for text, quote it: --param act='relu'"):
        shell.run_cell(f"%%experiment acts -p act=relu\n{BODY}")


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_help_is_shown_and_nothing_runs(shell, journal_home, option, capsys):
    shell.run_cell(f"%%experiment {option}\n{BODY}")
    assert "--param" in capsys.readouterr().out
    assert "ran" not in shell.user_ns
    shell.run_line_magic("inference", option)
    assert "--verdict" in capsys.readouterr().out


def test_an_inference_may_end_with_a_question_mark(shell, journal):
    shell.run_cell("%%experiment q\nx = 1")
    shell.run_cell("%inference Does dropout help?")
    shell.run_cell("%inference --verdict inconclusive  Is it the seed??")
    assert [i.text for i in journal.run(1).inferences] == [
        "Does dropout help?",
        "Is it the seed??",
    ]
    assert journal.run(1).verdict == "inconclusive"
    shell.run_cell("%inference?")  # still IPython's help on the magic: nothing recorded
    assert len(journal.run(1).inferences) == 2


def test_a_param_the_cell_sets_before_reading_is_refused(shell, journal):
    # -p C=10 is recorded as C=10: a cell that sets C itself would run C=1.0 under that record
    with pytest.raises(UsageError, match="--param binds C, but the cell sets it itself"):
        shell.run_cell("%%experiment lr -p C=10\nC = 1.0\nresult = {'c': C}\nresult")
    assert journal.runs().empty
    shell.run_cell("%%experiment lr -p C=10\nC = C / 10\nresult = {'c': C}\nresult")
    assert journal.runs()["metric.c"].tolist() == [1.0]
