"""``%journal insights NAME [--data] [--metric M]`` in a real shell."""

from __future__ import annotations

import math
import uuid

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from nbjournal.store import MetricPoint


def test_insights_of_an_experiment_show_as_one_view(shell, journal):
    store = journal.store
    for i in range(12):
        lr = 10 ** (-4 + i % 4)
        run_id = store.create_run(
            experiment="digits-mlp", fingerprint=uuid.uuid4().hex, params={"lr": lr, "i": i % 3}
        )
        value = 0.9 - 0.05 * (math.log10(lr) + 2.5) ** 2
        store.add_points(run_id, [MetricPoint("val_accuracy", value, 0, "epoch", 0)])
        store.finish_run(run_id, "finished")
    with capture_output() as captured:
        shell.run_line_magic("journal", "insights digits-mlp --metric val_accuracy")
    output = captured.outputs[0].data
    assert output["text/plain"].startswith("Insights: digits-mlp · val_accuracy")
    assert "What to try next" in output["text/plain"]
    assert "data:image/png;base64," in output["text/html"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("insights", "usage: %journal insights NAME"),
        ("insights nope", "no experiment named 'nope'"),
        ("insights a b", "unexpected 'b'"),
        ("insights a --metric", "--metric needs a metric name"),
        ("insights a --bogus", "unexpected '--bogus'"),
    ],
)
def test_bad_insights_lines_are_one_clear_message(shell, journal, line, message):
    with pytest.raises(UsageError, match=message):
        shell.run_line_magic("journal", line)


def test_insights_read_inferences_with_and_without_a_verdict(shell, journal):
    """Issue 21.1: one inference with a verdict and one without used to crash both views (NaN)."""
    store = journal.store
    for i in range(2):
        run_id = store.create_run(
            experiment="mixed", fingerprint=uuid.uuid4().hex, params={"lr": 0.1 * (i + 1)}
        )
        store.add_points(run_id, [MetricPoint("val_accuracy", 0.5 + 0.1 * i, 0, "epoch", 0)])
        store.finish_run(run_id, "finished")
    shell.run_line_magic("inference", "--run 1 --verdict supported it learns")
    shell.run_line_magic("inference", "--run 2 a plain note")
    with capture_output() as captured:
        shell.run_line_magic("journal", "insights mixed")
    output = captured.outputs[0].data
    assert "supported: it learns (#1)" in output["text/plain"]
    assert "    a plain note (#2)" in output["text/plain"]
    assert "a plain note" in output["text/html"]
    assert 'class="v-supported"' in output["text/html"]
    assert ">nan<" not in output["text/html"].lower()


#: A fit's curve (an epoch metric, as Keras logs it) and, in the cells, a returned test score.
CURVE = """import nbjournal
nbjournal.log_metric("val_accuracy", 0.8 + units / 1000, step=0)
"""


def test_insights_say_which_grid_runs_a_returned_metric_left_out_and_why(shell, journal):
    # Given two cell runs that return test_accuracy and a grid of the same experiment whose
    # body does not (all of them log val_accuracy, as a fit does)
    for units in (32, 64):
        shell.run_cell(
            f"%%experiment mix -p units={units} --no-live\n{CURVE}"
            '{"test_accuracy": 0.7 + units / 1000}'
        )
    shell.run_cell(f"%%experiment mix --grid units=[16,128] --repeat 2 --no-live\n{CURVE}")
    grid_runs = sorted(int(i) for i in journal.grid(int(journal.grids()["id"][0]))["run_id"])
    # When insights are asked for with no metric named
    with capture_output() as captured:
        shell.run_line_magic("journal", "insights mix")
    text = captured.outputs[0].data["text/plain"]
    # Then they rank by the metric of record (DESIGN: the cell's returned metric) and say
    # which runs that left out, why, and how to count them
    assert text.startswith("Insights: mix · test_accuracy")
    ids = ", ".join(f"#{i}" for i in grid_runs)
    assert (
        f"left out: 4 of 6 finished runs have no test_accuracy ({ids}: grid #1); "
        "ranked by test_accuracy (the cell's result); "
        "`%journal insights mix --metric val_accuracy` counts all 6"
    ) in text
    found = journal.insights("mix")
    assert found.left_out is not None and list(found.left_out.runs) == grid_runs
    # And with that metric every run counts, and nothing is left out
    assert journal.insights("mix", metric="val_accuracy").left_out is None
