"""An inference on a grid as a whole is what was concluded about its runs: insights show it,
and its runs no longer "need inference" (the notebook table, ``inference:none``)."""

from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
from IPython.utils.capture import capture_output

#: The practitioner's grid: two values of C, each twice; a score that depends on C.
GRID = (
    "%%experiment digits-lr --grid C=[0.1,10] --repeat 2 --no-live\n"
    "{'score': 0.9 + C / 1000 + seed / 10000}"
)


def _grid_with_an_inference(shell) -> None:
    shell.run_cell(GRID)
    shell.run_line_magic("inference", "--verdict supported C=10 is as good as C=1")


def test_a_grid_inference_is_what_was_concluded_in_insights(shell, journal):
    _grid_with_an_inference(shell)
    shell.run_cell("%%experiment digits-lr -p C=1.0 --no-live\n{'score': 0.95}")
    shell.run_line_magic("inference", "--verdict refuted C=1 is no better")
    with capture_output() as captured:
        shell.run_line_magic("journal", "insights digits-lr --metric score")
    text, html = captured.outputs[0].data["text/plain"], captured.outputs[0].data["text/html"]
    concluded = text.split("What was concluded:")[1]
    assert "no inference recorded" not in concluded
    # newest first: the run's inference, then the grid's, labelled as the grid's
    assert concluded.index("refuted: C=1 is no better (#5)") < concluded.index("grid #1")
    said = "  grid #1 (C in 0.1, 10; 4 runs):\n    supported: C=10 is as good as C=1 (grid #1)"
    assert said in concluded
    assert "No inference recorded" not in html
    assert "grid #1 (C in 0.1, 10; 4 runs)" in html
    assert "C=10 is as good as C=1" in html
    frame = journal.insights("digits-lr").conclusions
    grid_row = frame[frame["grid_id"] == 1].iloc[0]
    assert grid_row["verdict"] == "supported"
    assert pd.isna(grid_row["run_id"])


def _cli(*words: str) -> dict:
    """``nbjournal WORDS --json`` on the kernel's journal, in this process."""
    from nbjournal.cli import main
    from nbjournal.store import forget_stores

    out = io.StringIO()
    forget_stores()
    with contextlib.redirect_stdout(out):
        assert main([*words, "--json"]) == 0
    return json.loads(out.getvalue())


def test_a_run_its_grid_concluded_about_needs_no_inference_of_its_own(shell, journal, capsys):
    # Given the grid concluded about as a whole, and one run after it nobody concluded about
    _grid_with_an_inference(shell)
    shell.run_cell("%%experiment digits-lr -p C=1.0 --no-live\n{'score': 0.95}")
    capsys.readouterr()

    # When the person lists the experiment's runs in the notebook
    shell.run_line_magic("journal", "digits-lr")
    table = capsys.readouterr().out

    # Then each grid run shows the grid's verdict, marked as the grid's; only the other run
    # needs an inference
    lines = {line.split()[0]: line for line in table.splitlines() if line.startswith("#")}
    assert set(lines) == {"#1", "#2", "#3", "#4", "#5"}
    for grid_run in ("#1", "#2", "#3", "#4"):
        assert "grid #1 supported: C=10 is as good as C=1" in lines[grid_run]
        assert "needs inference" not in lines[grid_run]
    assert "needs inference" in lines["#5"]

    # And the command line's inference:none (the sidebar's "needs inference" filter) agrees
    needing = _cli("runs", "digits-lr", "inference:none")
    assert [r["id"] for r in needing["runs"]] == [5]
    assert [r["id"] for r in _cli("runs", "digits-lr", "inference:any")["runs"]] == [4, 3, 2, 1]
    assert [r.id for r in journal.store.list_runs() if r.needs_inference] == [5]
    shell.run_line_magic("journal", "show 1")
    shown = capsys.readouterr().out
    assert "inference on grid #1: supported: C=10 is as good as C=1" in shown
    with capture_output() as captured:
        shell.run_line_magic("journal", "show 1")
    html = captured.outputs[0].data["text/html"]
    assert "on grid #1 as a whole" in html and "needs inference" not in html
    shell.run_line_magic("journal", "show 5")
    assert "inference" not in capsys.readouterr().out  # the text view lists none to show
    point = _cli("runs", "digits-lr", "#1")["runs"][0]
    assert point["inference"] is None
    assert (point["grid_inference"]["grid_id"], point["grid_inference"]["verdict"]) == (
        1, "supported",
    )  # fmt: skip
