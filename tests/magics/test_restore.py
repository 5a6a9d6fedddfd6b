"""An identical cell restores what the earlier run's cell made instead of training again;
where it cannot, the cell runs and says why in one line. SQLite and PostgreSQL journals,
artifacts on the local filesystem and in fsspec's memory filesystem."""

from __future__ import annotations

import uuid
import warnings
from pathlib import Path

import numpy as np
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from nbjournal.errors import JournalWarning
from tests.pg_schemas import backend_params


@pytest.fixture(params=backend_params("sqlite-local", "sqlite-memory"))
def backend(request, journal_home: Path, monkeypatch):
    """Where the journal and the artifacts live for one test."""
    database = "postgresql" if request.param == "postgresql" else "sqlite"
    files = "local" if database == "postgresql" else request.param.split("-")[1]
    if files == "memory":
        monkeypatch.setenv("NBJOURNAL_ARTIFACTS", f"memory://nbj-{uuid.uuid4().hex}")
    else:
        monkeypatch.delenv("NBJOURNAL_ARTIFACTS", raising=False)
    if database == "postgresql":
        from nbjournal.artifacts import wait_for_saves

        monkeypatch.setenv("NBJOURNAL_URL", request.getfixturevalue("pg_url"))
        yield request.param
        wait_for_saves()  # before the schema goes
        return
    yield request.param


def run(shell, cell, line="restoring"):
    with capture_output() as captured:
        result = shell.run_cell(f"%%experiment {line}\n{cell}")
    return result.result, captured


def fresh_kernel(shell, tiny_data=None):
    """The namespace of a restarted kernel (modules stay imported, as TensorFlow would)."""
    from nbjournal.artifacts import wait_for_saves

    wait_for_saves()
    shell.reset(new_session=True)
    if tiny_data:
        shell.run_cell(tiny_data)


COUNTING = """runs = globals().get("runs", 0) + 1
import math
def scaled(x):
    return x * factor
table = {"a": scaled(2), "root": math.sqrt(values.sum())}
total = float(values.sum()) * factor
total
"""


@pytest.fixture
def counting(shell):
    shell.run_cell("import numpy as np\nvalues = np.arange(10.0)\nfactor = 2")
    return shell


def test_a_restarted_notebook_gets_the_names_and_value_back_without_running(
    backend, counting, journal
):
    run(counting, COUNTING)
    fresh_kernel(counting)
    counting.run_cell("import numpy as np\nvalues = np.arange(10.0)\nfactor = 2")
    result, captured = run(counting, COUNTING)
    ns = counting.user_ns
    assert result == 90.0 and ns["total"] == 90.0 and ns["runs"] == 1  # the body did not run
    assert ns["scaled"](5) == 10 and ns["math"].sqrt(4) == 2 and ns["table"]["a"] == 4
    notice = captured.outputs[0].data["text/plain"].splitlines()[0]
    assert notice.startswith("Restored from run #1 (finished just now, ")
    assert notice.endswith(" to train): runs, math, scaled, table, total · --force trains again")
    assert len(journal.runs()) == 1
    listed = journal.artifacts(1).set_index("name")
    assert list(listed.index) == ["runs", "math", "scaled", "table", "total", "Out"]
    assert listed.loc["scaled", "kind"] == "cloudpickle" and listed["stored"].all()
    assert journal.load(1, "Out") == 90.0


def test_force_trains_again(backend, counting, journal):
    run(counting, COUNTING)
    run(counting, COUNTING, line="restoring --force")
    assert counting.user_ns["runs"] == 2 and len(journal.runs()) == 2


def test_a_keras_model_and_its_history_come_back_working(
    backend, shell, journal, tiny_data, tiny_mlp
):
    shell.run_cell(tiny_data)
    run(shell, tiny_mlp)
    original = shell.user_ns["model"].predict(shell.user_ns["X"], verbose=0)
    losses = shell.user_ns["history"].history["loss"]
    fresh_kernel(shell, tiny_data)
    _, captured = run(shell, tiny_mlp)
    assert "Restored from run #1" in captured.outputs[0].data["text/plain"]
    model, history = shell.user_ns["model"], shell.user_ns["history"]
    assert np.array_equal(model.predict(shell.user_ns["X"], verbose=0), original)
    assert history.history["loss"] == losses and history.epoch == [0, 1, 2]
    assert history.model is model and history.params["epochs"] == 3
    assert model.optimizer.iterations.numpy() > 0  # the optimizer's state came back too
    shell.run_cell("model.fit(X, y, epochs=1, verbose=0)")  # and it trains on
    loaded = journal.load(1, "model")
    assert np.array_equal(loaded.predict(shell.user_ns["X"], verbose=0), original)


def test_a_cell_that_bound_an_unsaveable_value_runs_again_and_says_why(backend, counting, journal):
    Path("notes.txt").write_text("kept as it is")  # a file the cell names is an input
    cell = "stream = open('notes.txt')\nruns = globals().get('runs', 0) + 1\n"
    run(counting, cell)
    fresh_kernel(counting)
    _, captured = run(counting, cell)
    assert counting.user_ns["runs"] == 1 and not counting.user_ns["stream"].closed
    assert captured.stdout.splitlines()[0] == (
        "Not restored from run #1: stream (an open file) could not be saved; the cell runs again."
    )
    assert len(journal.runs()) == 2 and journal.runs()["repeat_of"].iloc[0] == 1
    counting.user_ns["stream"].close()


def test_a_closed_file_does_not_stop_a_restore(counting, journal):
    Path("notes.txt").write_text("kept as it is")
    cell = "with open('notes.txt') as stream:\n    text = stream.read()\nruns = globals().get('runs', 0) + 1\n"
    run(counting, cell)
    fresh_kernel(counting)
    _, captured = run(counting, cell)
    assert counting.user_ns["text"] == "kept as it is" and counting.user_ns["runs"] == 1
    assert "Restored from run #1" in captured.outputs[0].data["text/plain"]
    assert "stream" not in counting.user_ns


def test_values_past_the_size_limit_run_the_cell_again(backend, counting, journal, monkeypatch):
    monkeypatch.setenv("NBJOURNAL_ARTIFACT_LIMIT_MB", "0.001")
    cell = "big = np.zeros(10_000)\nruns = globals().get('runs', 0) + 1\n"
    run(counting, cell)
    _, captured = run(counting, cell)
    assert counting.user_ns["runs"] == 2
    assert "big passed the size limit" in captured.stdout


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_a_corrupt_or_missing_artifact_runs_the_cell_with_one_warning(
    backend, counting, journal, damage
):
    run(counting, COUNTING)
    from nbjournal.artifacts import open_blobs, wait_for_saves

    wait_for_saves()
    blobs = open_blobs()
    digest = journal.artifacts(1).set_index("name").loc["table", "hash"]
    if damage == "corrupt":
        blobs.fs.pipe_file(blobs.path(digest), b"not what was saved")
    else:
        blobs.fs.rm(blobs.path(digest))
    fresh_kernel(counting)
    counting.run_cell("import numpy as np\nvalues = np.arange(10.0)\nfactor = 2")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result, captured = run(counting, COUNTING)
    ours = [w for w in caught if issubclass(w.category, JournalWarning)]
    assert len(ours) == 1 and damage in str(ours[0].message)
    assert "cannot be restored" in str(ours[0].message)
    assert counting.user_ns["runs"] == 1 and result == 90.0  # it ran (runs was reset)
    assert "Not restored" not in captured.stdout  # the warning said it, once
    assert len(journal.runs()) == 2


def test_a_flipped_byte_shared_blob_is_healed_by_the_cell_that_runs_again(
    backend, counting, journal
):
    # Given a shared blob damaged in place: same size, one bit flipped (issue 19.5)
    run(counting, COUNTING)
    from nbjournal.artifacts import ArtifactUnavailable, open_blobs, wait_for_saves

    wait_for_saves()
    blobs = open_blobs()
    digest = journal.artifacts(1).set_index("name").loc["table", "hash"]
    damaged = bytearray(blobs.fs.cat_file(blobs.path(digest)))
    damaged[len(damaged) // 2] ^= 0x01
    blobs.fs.pipe_file(blobs.path(digest), bytes(damaged))
    with pytest.raises(ArtifactUnavailable, match="corrupt"):
        blobs.get(digest)
    # When the identical cell cannot restore, runs, and saves the same value again
    fresh_kernel(counting)
    counting.run_cell("import numpy as np\nvalues = np.arange(10.0)\nfactor = 2")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        run(counting, COUNTING)
    wait_for_saves()
    # Then the blob is whole again, and the next identical cell restores
    assert blobs.get(digest) != bytes(damaged)
    fresh_kernel(counting)
    counting.run_cell("import numpy as np\nvalues = np.arange(10.0)\nfactor = 2")
    _, captured = run(counting, COUNTING)
    assert "Restored from run #2" in captured.outputs[0].data["text/plain"]
    assert counting.user_ns["table"]["a"] == 4 and counting.user_ns["runs"] == 1


def test_a_full_disk_is_said_on_the_cell_whose_artifacts_failed(counting, journal, tmp_path):
    # Given a disk that refuses to grow a file past 2 MB (a real RLIMIT_FSIZE: EFBIG, as a
    # full disk answers ENOSPC) and a cell that binds a 4 MB array
    import resource
    import signal

    from nbjournal.artifacts import wait_for_saves

    cell = "runs = globals().get('runs', 0) + 1\nbig = np.ones(500_000)\n"
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, hard))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run(counting, cell)
            ours = [str(w.message) for w in caught if issubclass(w.category, JournalWarning)]
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    # Then this cell says so (not the next one), and no half-written file is left
    assert len(ours) == 1 and "run #1's artifacts were not saved" in ours[0], ours
    assert wait_for_saves() == []
    root = tmp_path / "journal-home"
    assert not [p for p in root.rglob("*.partial")]
    assert journal.runs()["status"].tolist() == ["finished"]


def test_a_failure_to_save_is_one_warning_and_the_run_stays_recorded(
    counting, journal, monkeypatch, tmp_path
):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("NBJOURNAL_ARTIFACTS", str(tmp_path / "a-file" / "artifacts"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(counting, COUNTING)
        _, captured = run(counting, COUNTING)
    ours = [str(w.message) for w in caught if issubclass(w.category, JournalWarning)]
    # each run's failure is said on its own cell
    assert len(ours) == 2 and "run #1's artifacts were not saved" in ours[0]
    assert "run #2's artifacts were not saved" in ours[1]
    assert journal.runs()["status"].tolist() == ["finished", "finished"]
    assert "Not restored from run #1: it kept nothing to restore (it ran before" in captured.stdout
    from nbjournal.artifacts import wait_for_saves

    assert wait_for_saves() == []  # nothing left for the next cell


def test_no_restore_from_the_config_warns_and_skips(counting, journal, monkeypatch):
    monkeypatch.setenv("NBJOURNAL_RESTORE", "off")
    run(counting, COUNTING)
    del counting.user_ns["total"]
    result, captured = run(counting, COUNTING)
    assert result is None and "total" not in counting.user_ns
    assert "Already run" in captured.outputs[0].data["text/plain"]


def test_journal_show_lists_the_artifacts(counting, journal):
    run(counting, "stream = open('n.txt', 'w')\ncurve = np.ones(1000)\n")
    from nbjournal.artifacts import wait_for_saves

    wait_for_saves()
    with capture_output() as captured:
        counting.run_line_magic("journal", "show 1")
    text = captured.outputs[0].data["text/plain"]
    assert "artifact curve: numpy.ndarray, 8.128 kB, yes" in text
    assert "artifact stream: _io.TextIOWrapper, –, no: an open file" in text
    assert (
        "<td style='text-align:left;padding-right:10px'>curve</td>"
        in (captured.outputs[0].data["text/html"])
    )
    counting.user_ns["stream"].close()


def test_restore_run_puts_a_runs_names_back_for_the_grid_runner(counting, journal):
    from nbjournal.runs.restore import restore_run

    run(counting, COUNTING)
    fresh_kernel(counting)
    assert restore_run(counting, 1) == ["runs", "math", "scaled", "table", "total"]
    assert counting.user_ns["total"] == 90.0
    run(counting, "stream = open('n.txt', 'w')\n", line="other")
    assert restore_run(counting, 2) is None
    counting.user_ns["stream"].close()


def test_an_inference_whose_expression_fails_records_nothing(counting, journal):
    run(counting, COUNTING)
    with pytest.raises(UsageError, match=r"cannot fill in \{accuracy \* 100\} \(NameError"):
        counting.run_cell("%inference --verdict supported reached {accuracy * 100} %")
    assert journal.run(1).inferences == ()
    counting.run_cell("%inference --verdict supported total reached {total}")
    counting.run_cell("%inference --verdict supported total reached {total}")
    assert [i.text for i in journal.run(1).inferences] == ["total reached 90.0"]


CUSTOM_LAYER = """import keras
class Doubling(keras.layers.Layer):
    def call(self, x):
        return 2 * x
"""

CUSTOM_MODEL = """keras.utils.set_random_seed(2)
model = keras.Sequential([keras.Input((8,)), Doubling(), keras.layers.Dense(2, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
"""


def test_a_model_with_a_layer_defined_in_the_notebook_comes_back(shell, journal, tiny_data):
    shell.run_cell(tiny_data)
    shell.run_cell(CUSTOM_LAYER)
    run(shell, CUSTOM_MODEL)
    original = shell.user_ns["model"].predict(shell.user_ns["X"], verbose=0)
    fresh_kernel(shell, tiny_data)
    shell.run_cell(CUSTOM_LAYER)
    _, captured = run(shell, CUSTOM_MODEL)
    assert "Restored from run #1" in captured.outputs[0].data["text/plain"]
    assert np.array_equal(shell.user_ns["model"].predict(shell.user_ns["X"], verbose=0), original)
