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
