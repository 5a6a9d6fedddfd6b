"""As a cell starts, the closest earlier run is named with what differs and what was concluded."""

from __future__ import annotations

import warnings

import pytest
from IPython.utils.capture import capture_output

CELL = """# Hypothesis: scaling helps.
scaled = float(values.sum()) * factor + globals().get("offset", 0)
scaled
"""


@pytest.fixture
def counting(shell):
    shell.run_cell("import numpy as np\nvalues = np.arange(10.0)")
    return shell


def run(shell, line, cell=CELL):
    with capture_output() as captured:
        shell.run_cell(f"%%experiment {line}\n{cell}")
    return captured


def nearest_line(captured) -> str:
    texts = [o.data.get("text/plain", "") for o in captured.outputs]
    return next((t for t in texts if t.startswith("closest earlier run")), "")


def test_a_first_run_names_no_earlier_run(counting, journal):
    captured = run(counting, "scale -p factor=1")
    assert nearest_line(captured) == ""
    assert journal.run(1).nearest is None


def test_the_closest_run_is_named_with_the_one_parameter_that_changed(counting, journal):
    run(counting, "scale -p factor=1")
    run(counting, "scale -p factor=2")
    captured = run(counting, "scale -p factor=3")
    line = nearest_line(captured)
    assert line.startswith("closest earlier run: #2 (just now) differs only in factor 2 → 3")
    assert "· scaled 90" in line
    # it is recorded on the run, and shown again by %journal show
    recorded = journal.run(3).nearest
    assert recorded["run_id"] == 2
    assert recorded["differences"] == [{"name": "factor", "before": 2, "after": 3, "absent": False}]
    with capture_output() as shown:
        counting.run_line_magic("journal", "show 3")
    assert (
        "closest earlier run: #2 differs only in factor 2 → 3"
        in shown.outputs[0].data["text/plain"]
    )


def test_changed_code_is_counted_in_lines(counting, journal):
    run(counting, "scale -p factor=1")
    captured = run(counting, "scale -p factor=1", CELL.replace("* factor", "* factor + 1"))
    assert "has the same parameters; code differs in 1 line" in nearest_line(captured)


def test_a_refuted_conclusion_is_quoted_and_a_repeat_of_its_values_is_flagged(counting, journal):
    run(counting, "scale -p factor=1")
    run(counting, "scale -p factor=5")
    counting.run_line_magic("inference", '--verdict refuted "factor 5 overshoots"')
    run(counting, "scale -p factor=2")
    # the same values as the refuted run, reached by a different code path
    captured = run(counting, "scale -p factor=5", CELL.replace("scaled\n", "scaled + 0\n"))
    text = "\n".join(o.data["text/plain"] for o in captured.outputs)
    assert 'refuted: "factor 5 overshoots"' in text
    assert "run #2 with these same values (factor 5) was refuted" in text
    html = "\n".join(o.data.get("text/html", "") for o in captured.outputs)
    assert "factor 5 overshoots" in html


def test_a_journal_failure_in_the_search_is_one_warning_and_the_cell_runs(
    counting, journal, monkeypatch
):
    run(counting, "scale -p factor=1")
    from nbjournal.store import Store

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "nearest_candidates", broken)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(counting, "scale -p factor=2")
    assert counting.user_ns["scaled"] == 90.0
    assert any("no closest earlier run" in str(w.message) for w in caught)
    assert len(journal.runs()) == 2


def test_among_equally_close_runs_a_refuted_one_is_named_and_the_retry_said_plainly(
    counting, journal
):
    run(counting, "scale -p factor=1 -p offset=0")
    counting.run_line_magic("inference", '--verdict refuted "offset 0 is no good"')
    run(counting, "scale -p factor=1 -p offset=5")
    run(counting, "scale -p factor=2 -p offset=5")
    captured = run(counting, "scale -p factor=1 -p offset=7")
    text = "\n".join(o.data["text/plain"] for o in captured.outputs)
    # #1 and #2 both differ only in offset; #1 was refuted, so it is the one named
    assert "closest earlier run: #1 (just now) differs only in offset 0 → 7" in text
    assert 'refuted: "offset 0 is no good"' in text
    assert (
        "#1 was refuted, and this cell changes only offset, which earlier runs already varied"
        in text
    )


def test_among_equally_close_runs_the_nearest_values_win(counting, journal):
    run(counting, "scale -p factor=1 -p offset=100")
    run(counting, "scale -p factor=2 -p offset=1")
    captured = run(counting, "scale -p factor=3 -p offset=2")
    assert "closest earlier run: #2 (just now) differs in factor 2 → 3, offset 1 → 2" in (
        nearest_line(captured)
    )


# -- issue 21.11: one changed value is said once, and a call's changed keyword is named ------

ASSIGNED = """lr = {lr}
scaled = float(values.sum()) * lr
scaled
"""


def test_a_parameter_assigned_in_the_code_is_not_counted_again_as_a_line(counting, journal):
    run(counting, "assigned", ASSIGNED.format(lr=0.001))
    line = nearest_line(run(counting, "assigned", ASSIGNED.format(lr=0.003)))
    assert "differs only in lr 0.001 → 0.003 · " in line and "code differs" not in line, line


def test_a_changed_keyword_of_a_call_is_named_not_folded_into_lines(counting, journal):
    counting.run_cell("def train(data, epochs, batch_size=32):\n    return epochs / 100")
    cell = "result = train(values, epochs={epochs}, batch_size=16)\nresult\n"
    run(counting, "calls", cell.format(epochs=10))
    line = nearest_line(run(counting, "calls", cell.format(epochs=20)))
    assert "differs only in train(epochs) 10 → 20" in line, line
    assert "code differs" not in line
    changed = cell.format(epochs=20) + "extra = 1\n"
    line = nearest_line(run(counting, "calls", changed))
    assert "code differs in 1 line" in line, line  # a real change is still counted


def test_an_estimator_made_in_an_earlier_cell_is_named_when_it_differs(shell, journal):
    """The same parameters and code can train another model: the one an earlier cell made.
    The line must not say "the same … other data" (issue 21.8)."""
    shell.run_cell(
        "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
        "X = np.random.RandomState(0).rand(40, 3)\ny = (X[:, 0] > 0.5).astype(int)\n"
        "clf = LogisticRegression(C=1.0)"
    )
    body = "clf.fit(X, y)\nclf.score(X, y)\n"
    run(shell, "upstream", body)
    shell.run_cell("clf = LogisticRegression(C=0.01)")
    line = nearest_line(run(shell, "upstream", body))
    # the cell has no parameters of its own: none is said to be "the same" (the estimators'
    # C differs, and the earlier cell that made them is what the line names)
    assert "has the same code; clf (LogisticRegression) differs" in line, line
    assert journal.run(2).nearest["inputs"] == ["clf (LogisticRegression)"]
    shell.run_cell("X = X * 2")  # the data as well: both named, not "other data"
    line = nearest_line(run(shell, "upstream", body))
    assert "#2 (just now) has the same code; X differs ·" in line


def test_a_cell_without_parameters_is_not_said_to_have_the_same_ones(shell, journal):
    """A new experiment on the same data finds a run of another one: a Keras-like cell with
    parameters against a cell that declares none must not read "has the same parameters"."""
    shell.run_cell("import numpy as np\nX = np.arange(30.0).reshape(10, 3)")
    run(shell, "wide -p units=128", "units * X.sum()\n")
    line = nearest_line(run(shell, "linear", "X.mean()\n"))
    assert line.startswith("closest earlier run: #1 of wide"), line
    assert "same parameters" not in line and "(just now) differs in 1 line of code" in line, line
