"""What %journal and the run's summary show: offline charts, whole values, verdicts, numbers,
errors and the key metric (issue 10, defects 2, 3, 5, 6, 13)."""

from __future__ import annotations

import pytest
from IPython.utils.capture import capture_output

from nbjournal.rules import format as fmt

LONG = "Dense(64, relu) → Dropout(0.2) → Dense(64, relu) → Dense(10, softmax) "


def outputs(shell, line: str):
    with capture_output() as captured:
        shell.run_line_magic("journal", line)
    return captured.outputs


def test_compare_draws_its_chart_offline_and_keeps_it_in_the_notebook(shell, journal):
    shell.run_cell("import nbjournal")
    for lr in (0.1, 0.2):
        shell.run_cell(
            f"%%experiment lr-sweep -p lr={lr}\n"
            "_ = [nbjournal.log_metric('loss', lr / (k + 1), step=k) for k in range(3)]\n"
        )
    chart = outputs(shell, "compare 1 2")[1]
    # an image made in the kernel: no Vega from a CDN, and it stays in the saved notebook
    assert set(chart.data) == {"image/svg+xml", "image/png", "text/plain"}
    assert chart.data["image/svg+xml"].lstrip().startswith("<svg")
    assert "cdn." not in chart.data["image/svg+xml"] and not any("vega" in m for m in chart.data)
    # runs are labelled by what differs
    assert "#1 lr=0.1" in chart.data["text/plain"] and "#1 lr=0.1" in chart.data["image/svg+xml"]


def test_compare_marks_differences_inline_and_shows_values_whole(shell, journal):
    shell.run_cell(f"%%experiment layers -p layers={LONG + 'A'!r}\nx = 1")
    shell.run_cell(f"%%experiment layers -p layers={LONG + 'B'!r}\nx = 1")
    table = outputs(shell, "compare 1 2")[0]
    html = table.data["text/html"]
    assert LONG.strip() + " A" in html.replace("&gt;", ">") or (LONG + "A") in html
    assert (LONG + "B") in html  # not cut at 40 or 60 characters
    differing = html.split("≠ layers")[1].split("</tr>")[0]
    # the mark is on the cells themselves: JupyterLab's striping and nbconvert keep it
    assert "background:" in differing and "font-weight:600" in differing
    assert (LONG + "B") in table.data["text/plain"]


def test_a_note_without_a_verdict_keeps_the_verdict(shell, journal):
    shell.run_cell("%%experiment noted\nx = 1")
    shell.run_line_magic("inference", "--verdict supported it works")
    shell.run_line_magic("inference", "a later note")
    listing = outputs(shell, "")[0].data["text/plain"]
    assert "supported: a later note" in listing
    assert journal.runs().loc[0, "verdict"] == "supported"
    assert journal.run(1).verdict == "supported"
    assert "supported" in outputs(shell, "show 1")[0].data["text/plain"]


def test_numbers_show_about_four_significant_digits(shell, journal):
    shell.run_cell("%%experiment numbers -p lr=0.0010000000474974513\nscore = 0.10295800000000001")
    shell.run_cell("score")  # not the cell's last expression: nothing more recorded
    detail = outputs(shell, "show 1")[0]
    assert "param lr = 0.001" in detail.data["text/plain"]
    assert "0.0010000000474974513" not in detail.data["text/html"]
    assert [fmt.number(v) for v in (0.10295800000000001, 0.97234, 123.456, 12345.6)] == [
        "0.103", "0.9723", "123.5", "12,346",
    ]  # fmt: skip
    assert fmt.param("[0.0010000000474974513, 0.9]") == "[0.001, 0.9]"


def test_a_failed_run_keeps_its_error_without_terminal_codes(shell, journal):
    with pytest.raises(ValueError):
        shell.run_cell(
            "%%experiment colours\nraise ValueError('\\x1b[1mbad shape\\x1b[0m\\n  • kwargs=x')"
        )
    error = journal.run(1).error
    assert "\x1b" not in error and error.startswith("ValueError: bad shape")
    assert fmt.error_summary(error) == "ValueError: bad shape"


def test_the_summary_of_a_keras_error_is_its_message_not_its_argument_dump():
    keras_error = (
        "ValueError: Exception encountered when calling Sequential.call().\n\n"
        "Input 0 of layer 'dense' is incompatible with the layer\n\n"
        "Arguments received by Sequential.call():\n  • kwargs=<class 'inspect._empty'>"
    )
    assert fmt.error_summary(keras_error) == (
        "ValueError: Input 0 of layer 'dense' is incompatible with the layer"
    )


def test_a_metric_the_cell_returns_is_the_key_metric(shell, journal, tiny_data, tiny_mlp):
    shell.run_cell(tiny_data)
    with capture_output() as captured:
        shell.run_cell(f"%%experiment returns --no-live\n{tiny_mlp}\n{{'test_accuracy': 0.5}}")
    run = journal.run(1)
    assert "val_accuracy" in run.metrics
    assert run.key_metric.name == "test_accuracy"
    card = captured.outputs[-1].data["text/plain"] if captured.outputs else captured.stdout
    assert "test_accuracy" in outputs(shell, "")[0].data["text/plain"]
    assert card
