"""The identical experiment is not run twice; anything that matters makes a new one."""

from __future__ import annotations

import pytest
from IPython.utils.capture import capture_output

CELL = """# Hypothesis: counting works.
runs_of_body = globals().get("runs_of_body", 0) + 1
total = float(values.sum()) * factor
total
"""


@pytest.fixture
def counting(shell):
    shell.run_cell("import numpy as np\nvalues = np.arange(10.0)\nfactor = 2")
    return shell


def run(shell, cell=CELL, line="counting"):
    with capture_output() as captured:
        result = shell.run_cell(f"%%experiment {line}\n{cell}")
    return result.result, captured


def test_the_identical_cell_on_identical_data_is_not_run_again(counting, journal):
    run(counting)
    result, captured = run(counting)
    assert counting.user_ns["runs_of_body"] == 1
    assert result == 90.0  # its value, restored
    notice = captured.outputs[0].data["text/plain"]
    assert "Restored from run #1" in notice and "--force" in notice
    assert len(journal.runs()) == 1


def test_no_restore_shows_the_earlier_run_and_changes_nothing(counting, journal):
    run(counting)
    del counting.user_ns["total"]
    result, captured = run(counting, line="counting --no-restore")
    assert result is None and "total" not in counting.user_ns
    assert counting.user_ns["runs_of_body"] == 1
    notice = captured.outputs[0].data["text/plain"]
    assert "Already run" in notice and "#1" in notice and "--force" in notice
    assert len(journal.runs()) == 1


def test_the_notice_shows_the_earlier_inferences(counting, journal):
    run(counting)
    counting.run_line_magic("inference", "--verdict supported doubling is right")
    _, captured = run(counting)
    assert "supported: doubling is right" in captured.outputs[0].data["text/plain"]
    assert "doubling is right" in captured.outputs[0].data["text/html"]


@pytest.mark.parametrize(
    "cell",
    [
        CELL.replace("# Hypothesis: counting works.", "# Hypothesis: something else entirely"),
        CELL.replace("total = ", "# a new comment\ntotal   =   "),
        '"""Hypothesis: as a string now"""\n' + CELL.split("\n", 1)[1],
        CELL + "\n\n\n",
    ],
    ids=["hypothesis", "comments-and-whitespace", "string-hypothesis", "trailing-lines"],
)
def test_comments_hypothesis_and_whitespace_do_not_make_a_new_experiment(counting, journal, cell):
    run(counting)
    run(counting, cell)
    assert counting.user_ns["runs_of_body"] == 1


@pytest.mark.parametrize(
    ("change", "cell", "line"),
    [
        ("code", CELL.replace("* factor", "* factor + 0"), "counting"),
        ("param", CELL, "counting -p extra=1"),
        ("data value", CELL, "counting"),
        ("namespace literal", CELL, "counting"),
    ],
)
def test_code_params_and_data_make_a_new_experiment(counting, journal, change, cell, line):
    run(counting)
    if change == "data value":
        counting.run_cell("values[7] = 7.000001")
    if change == "namespace literal":
        counting.run_cell("factor = 3")
    run(counting, cell, line)
    assert counting.user_ns["runs_of_body"] == 2
    assert len(journal.runs()) == 2


def test_a_changed_file_is_changed_data(counting, journal, tmp_path):
    (tmp_path / "train.csv").write_text("a,b\n1,2\n")
    cell = "import pandas as pd\nframe = pd.read_csv('train.csv')\nfloat(frame['a'].sum())"
    run(counting, cell)
    run(counting, cell)
    assert len(journal.runs()) == 1
    files = [d for d in journal.run(1).data if d["kind"] == "file"]
    assert files and files[0]["name"] == "train.csv"
    (tmp_path / "train.csv").write_text("a,b\n1,3\n")
    run(counting, cell)
    assert len(journal.runs()) == 2


SPARSE_CELL = """runs_of_body = globals().get("runs_of_body", 0) + 1
float(features.sum())
"""


def test_a_changed_value_in_a_sparse_matrix_is_changed_data(counting, journal):
    # Given a SciPy sparse matrix, as a TF-IDF or a one-hot encoder makes
    counting.run_cell(
        "import scipy.sparse as sp\nfeatures = sp.random(200, 50, 0.05, 'csr', random_state=0)"
    )
    run(counting, SPARSE_CELL)
    run(counting, SPARSE_CELL)
    assert counting.user_ns["runs_of_body"] == 1  # the same matrix: a duplicate
    entry = next(d for d in journal.run(1).data if d["name"] == "features")
    assert entry["kind"] == "sparse" and entry["shape"] == [200, 50]
    # When one stored value changes, in place
    counting.run_cell("features.data[0] += 1e-9")
    run(counting, SPARSE_CELL)
    # Then it is another experiment
    assert counting.user_ns["runs_of_body"] == 2 and len(journal.runs()) == 2


def test_force_runs_again_and_marks_a_repeat(counting, journal):
    run(counting)
    result, _ = run(counting, line="counting --force")
    assert result == 90.0 and counting.user_ns["runs_of_body"] == 2
    runs = journal.runs().set_index("id")
    assert runs.loc[2, "repeat_of"] == 1


def test_a_failed_run_does_not_block_a_rerun(counting, journal):
    failing = CELL + "raise RuntimeError('boom')\n"
    with pytest.raises(RuntimeError):
        run(counting, failing)
    with pytest.raises(RuntimeError):
        run(counting, failing)
    assert counting.user_ns["runs_of_body"] == 2
    assert list(journal.runs()["status"]) == ["failed", "failed"]


STREAM_CELL = """# Hypothesis: a pipeline's content is unknown until read.
runs_of_body = globals().get("runs_of_body", 0) + 1
total = float(sum(float(v) for v in stream))
total
"""


@pytest.mark.parametrize(
    "make_stream",
    [
        "stream = tf.data.Dataset.from_tensor_slices(values * factor)",
        "stream = (v * factor for v in values)",
    ],
    ids=["tf.data", "generator"],
)
def test_a_cell_reading_a_data_stream_is_never_taken_for_a_duplicate(
    counting, journal, make_stream
):
    # Given a stream of data the journal cannot read without consuming it
    counting.run_cell("import tensorflow as tf")
    counting.run_cell(make_stream)
    run(counting, STREAM_CELL)
    # When the data behind it changes and the unchanged cell runs again
    counting.run_cell("values = values + 1\n" + make_stream)
    result, _ = run(counting, STREAM_CELL)
    # Then it runs (a duplicate would have shown the earlier run instead)
    assert counting.user_ns["runs_of_body"] == 2 and result == pytest.approx(2 * 55.0)
    assert len(journal.runs()) == 2
    (entry,) = [d for d in journal.run(2).data if d["name"] == "stream"]
    assert entry["kind"] == "stream" and "never taken for a duplicate" in entry["note"]
