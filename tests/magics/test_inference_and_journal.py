"""``%inference``, ``%%inference`` and ``%journal``."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output


def test_inference_defaults_to_this_kernels_last_run(shell, journal):
    shell.run_cell("%%experiment a\nx = 1")
    shell.run_cell("%%experiment b\nx = 2")
    shell.run_line_magic("inference", "--verdict refuted  two is not one")
    run = journal.run(2)
    assert run.inference.text == "two is not one" and run.inference.verdict == "refuted"
    assert journal.run(1).inference is None


def test_the_same_inference_again_is_not_added_twice(shell, journal):
    # Given a notebook run from the top twice: the experiment is a duplicate the second time
    for _ in range(2):
        shell.run_cell("%%experiment a\nx = 1")
        with capture_output() as said:
            shell.run_line_magic("inference", "--verdict supported  one is one")
    # Then its one conclusion is recorded once, and the second time says so
    assert [(i.text, i.verdict) for i in journal.run(1).inferences] == [("one is one", "supported")]
    assert "already recorded on run #1" in said.stdout
    # A different conclusion is still added
    shell.run_line_magic("inference", "--verdict refuted  one is not one after all")
    assert len(journal.run(1).inferences) == 2


def test_the_cell_form_takes_markdown_and_a_run(shell, journal):
    shell.run_cell("%%experiment a\nx = 1")
    shell.run_cell("%%experiment b\nx = 2")
    shell.run_cell_magic(
        "inference", "--run 1 --verdict inconclusive", "## Result\n\n* one **bold** point\n"
    )
    inference = journal.run(1).inference
    assert inference.verdict == "inconclusive"
    assert inference.text == "## Result\n\n* one **bold** point"
    assert journal.runs().set_index("id").loc[1, "inference"] == inference.text


def test_journal_lists_shows_and_compares(shell, journal):
    shell.run_cell("%%experiment lr-sweep -p lr=0.1\nscore = lr * 2\nscore")
    shell.run_cell("%%experiment lr-sweep -p lr=0.2\nscore = lr * 2\nscore")
    shell.run_cell("%%experiment other\n1")
    with capture_output() as captured:
        shell.run_line_magic("journal", "")
        shell.run_line_magic("journal", "lr-sweep")
        shell.run_line_magic("journal", "show 2")
        shell.run_line_magic("journal", "compare 1 2")
    listing, experiment, detail, comparison = (o.data["text/plain"] for o in captured.outputs[:4])
    assert "#3" in listing and "#1" in listing and "needs inference" in listing
    assert "#3" not in experiment and "lr-sweep: 2 runs" in experiment
    assert "param lr = 0.2" in detail and "score" in detail
    assert "≠lr" in comparison and "0.1" in comparison and "0.2" in comparison


def test_journal_api_columns_follow_the_design(shell, journal):
    shell.run_cell("%%experiment api -p lr=0.1 -t first\nscore = lr * 2\nscore")
    shell.run_line_magic("inference", "fine")
    frame = journal.runs()
    for column in ("id", "experiment", "status", "started", "duration", "hypothesis",
                   "param.lr", "metric.score", "inference"):  # fmt: skip
        assert column in frame.columns
    assert frame.loc[0, "metric.score"] == 0.2 and frame.loc[0, "inference"] == "fine"
    assert len(journal.runs(tag="first")) == 1 and len(journal.runs(tag="none")) == 0
    assert len(journal.runs(status="failed")) == 0 and len(journal.runs(experiment="api")) == 1
    metrics = journal.metrics(1)
    assert list(metrics.columns)[:6] == ["run_id", "step", "epoch", "name", "value", "time"]
    added = journal.add_inference(1, "second thought", "supported")
    assert journal.run(1).inferences[-1] == added


def test_journal_lines_fill_in_names_and_expressions(shell, journal):
    """Issue 21.2: ``$name`` and ``{expr}`` in ``%journal`` lines, as ``%inference`` does."""
    shell.run_cell("%%experiment fill -p lr=0.1\nscore = lr * 2\nscore")
    shell.run_cell("%%experiment fill -p lr=0.2\nscore = lr * 2\nscore")
    shell.run_cell("ids = [1, 2]\nbest_id = 2\nname = 'fill'")
    with capture_output() as captured:
        shell.run_cell("%journal show $best_id")
        shell.run_cell("%journal compare $ids")
        shell.run_cell("%journal compare {ids[0]} {best_id}")
        shell.run_cell("%journal $name")
    detail, comparison, again, listing = (o.data["text/plain"] for o in captured.outputs[:4])
    assert "param lr = 0.2" in detail
    assert "≠lr" in comparison and comparison == again
    assert "fill: 2 runs" in listing
    # a name that is not there is one clear line, nothing shown
    with capture_output() as captured, pytest.raises(UsageError, match=r"cannot fill in \$nope"):
        shell.run_cell("%journal show $nope")
    assert not captured.outputs


def test_journal_show_in_python_is_what_the_magic_shows(shell, journal):
    shell.run_cell("%%experiment api-show -p lr=0.1\nscore = lr * 2\nscore")
    # the run's artifacts are written in the background: both views wait for them and list them
    with capture_output() as captured:
        shell.run_cell("%journal show 1")
    shown = journal.show(1)
    assert shown.__repr__() == captured.outputs[0].data["text/plain"]
    assert shown._repr_mimebundle_() == captured.outputs[0].data


def test_inference_edit_and_delete_keep_the_history(shell, journal):
    """Issue 22.8: a conclusion changed later keeps what it said (one rule: the store's)."""
    shell.run_cell("%%experiment a\nx = 1")
    shell.run_line_magic("inference", "--verdict supported  one is one")
    # --edit changes the run's latest inference; an omitted verdict stays
    with capture_output() as said:
        shell.run_line_magic("inference", "--edit one is one, checked twice")
    first = journal.run(1).inferences[0]
    assert (first.text, first.verdict) == ("one is one, checked twice", "supported")
    assert f"Inference {first.id} on run #1 edited (supported)" in said.stdout
    shell.run_line_magic("inference", "second thought")
    # --id picks another one; --delete withdraws it
    shell.run_line_magic("inference", f"--run 1 --id {first.id} --edit --verdict refuted  no")
    with capture_output() as said:
        shell.run_line_magic("inference", "--delete")
    run = journal.run(1)
    assert [(i.text, i.verdict) for i in run.inferences] == [("no", "refuted")]
    assert run.verdict == "refuted" and "deleted" in said.stdout
    assert [(v.text, v.action) for v in run.inference_history] == [
        ("one is one", "edited"), ("one is one, checked twice", "edited"),
        ("second thought", "deleted"),
    ]  # fmt: skip
    # the Python API is the same rule
    journal.edit_inference(first.id, "yes", "supported")
    assert journal.run(1).verdict == "supported" and len(journal.run(1).inference_history) == 4


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--edit", "needs the new text"),
        ("--delete some text", "takes no text"),
        ("--edit --delete", "--edit or --delete"),
        ("--id 1", "--edit or --delete"),
        ("--run 1 --id 99 --edit x", "no inference 99 on run #1"),
        ("--run 2 --delete", "run #2 has no inference"),
        ("--grid 1 --edit x", "use --run ID"),
    ],
)
def test_bad_edits_say_why_in_one_line_and_change_nothing(shell, journal, line, message):
    shell.run_cell("%%experiment a\nx = 1")
    shell.run_cell("%%experiment b\nx = 2")
    shell.run_line_magic("inference", "--run 1 --verdict supported  kept")
    with pytest.raises(UsageError, match=message):
        shell.run_line_magic("inference", line)
    run = journal.run(1)
    assert [(i.text, i.verdict) for i in run.inferences] == [("kept", "supported")]
    assert run.inference_history == ()
