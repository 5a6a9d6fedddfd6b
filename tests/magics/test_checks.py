"""The checks before fit through a real IPython shell, real tiny Keras models and scikit-learn.

Findings are one line each, shown before training (the text sink outside a
notebook prints them before the run's first line), recorded on the run,
shown by ``%journal show``; ``--no-check`` and ``NBJOURNAL_NO_CHECK`` silence,
``--strict`` and ``NBJOURNAL_STRICT_CHECKS`` stop the cell before ``fit``.
"""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.error import UsageError

SORTED = """
order = np.argsort(y, kind="stable")
X_sorted, y_sorted = X[order], y[order]
X_nan = X_sorted.copy()
X_nan[5, 3] = np.nan
"""

FIT = """%%experiment {name} {options}
import keras
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy")
history = model.fit({x}, {y}, validation_split=0.25, epochs=1, batch_size=16, verbose=0)
"""


@pytest.fixture
def data(shell: Any, tiny_data: str) -> Any:
    shell.run_cell(tiny_data + SORTED)
    return shell


def last_run(journal: Any) -> Any:
    return journal.run(int(journal.runs()["id"].max()))


def names(run: Any) -> list[str]:
    return [f["name"] for f in run.checks["findings"]]


def test_the_tiny_mlp_on_clean_data_has_no_findings(
    shell: Any, tiny_data: str, tiny_mlp: str, journal: Any, capsys: Any
) -> None:
    # Given clean, shuffled, scaled data
    shell.run_cell(tiny_data)
    # When the tiny MLP is fitted in an experiment
    shell.run_cell("%%experiment tiny-mlp\n" + tiny_mlp)
    # Then no check speaks, and the run records that the checks ran and found nothing
    run = last_run(journal)
    assert run.status == "finished"
    assert run.checks == {"findings": [], "skipped": [], "silenced": []}
    assert "check" not in capsys.readouterr().out


def test_findings_are_shown_before_training_and_recorded(
    data: Any, journal: Any, capsys: Any
) -> None:
    # When a cell fits on labels sorted by class, with a NaN in the inputs
    data.run_cell(FIT.format(name="sorted", options="", x="X_nan", y="y_sorted"))

    # Then each finding is one line, printed before the run's first progress line
    out = capsys.readouterr().out
    lines = out.splitlines()
    sorted_line = next(i for i, line in enumerate(lines) if line.startswith("sorted-labels: "))
    nan_line = next(i for i, line in enumerate(lines) if line.startswith("non-finite: "))
    start = next(i for i, line in enumerate(lines) if line.startswith("nbjournal: run #"))
    assert sorted_line < nan_line < start
    assert "the last 25 % of y (validation_split=0.25) holds only class 1" in lines[sorted_line]
    assert "shuffle before fit, or pass validation_data" in lines[sorted_line]
    assert "1 NaN (first at row 5, column 3)" in lines[nan_line]

    # And they are recorded on the run (name, message, evidence), which still trains
    run = last_run(journal)
    assert run.status == "finished"
    assert names(run)[:2] == ["sorted-labels", "non-finite"]
    assert run.checks["findings"][0]["evidence"]["validation_classes"] == [1]
    assert run.checks["findings"][0]["fit"] == 1

    # And %journal show says them
    data.run_line_magic("journal", f"show {run.id}")
    shown = capsys.readouterr().out
    assert "check sorted-labels: the last 25 % of y" in shown


def test_no_check_silences_and_is_recorded(data: Any, journal: Any, capsys: Any) -> None:
    data.run_cell(
        FIT.format(name="silenced", options="--no-check sorted-labels", x="X_sorted", y="y_sorted")
    )
    run = last_run(journal)
    assert "sorted-labels" not in names(run)
    assert run.checks["silenced"] == ["sorted-labels"]
    assert "sorted-labels" not in capsys.readouterr().out


def test_the_config_value_silences_in_every_cell(
    data: Any, journal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NBJOURNAL_NO_CHECK", "sorted-labels, non-finite")
    data.run_cell(FIT.format(name="config", options="", x="X_nan", y="y_sorted"))
    run = last_run(journal)
    assert not {"sorted-labels", "non-finite"} & set(names(run))
    assert run.checks["silenced"] == ["non-finite", "sorted-labels"]


def test_an_unknown_check_name_is_one_clear_line_and_runs_nothing(data: Any, journal: Any) -> None:
    with pytest.raises(UsageError, match="--no-check sorted: no such check; the checks are"):
        data.run_cell(FIT.format(name="bad", options="--no-check sorted", x="X", y="y"))
    assert journal.runs().empty


def test_strict_stops_the_cell_before_fit(data: Any, journal: Any) -> None:
    # When a strict cell fits on sorted labels
    with pytest.raises(UsageError, match=r"--strict: the checks found 1 problem\(s\) before fit"):
        data.run_cell(FIT.format(name="strict", options="--strict", x="X_sorted", y="y_sorted"))

    # Then nothing trained, and the run is recorded as failed, with its finding
    assert int(data.user_ns["model"].optimizer.iterations) == 0
    assert "history" not in data.user_ns
    run = last_run(journal)
    assert run.status == "failed"
    assert "--strict" in (run.error or "")
    assert names(run) == ["sorted-labels"]


def test_strict_by_config_on_clean_data_trains(
    shell: Any, tiny_data: str, tiny_mlp: str, journal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NBJOURNAL_STRICT_CHECKS", "1")
    shell.run_cell(tiny_data)
    shell.run_cell("%%experiment strict-clean\n" + tiny_mlp)
    assert last_run(journal).status == "finished"


def test_initial_loss_reports_the_first_batch(data: Any, journal: Any, capsys: Any) -> None:
    # When unscaled inputs (x 1000) meet a fresh model
    data.run_cell(FIT.format(name="raw", options="", x="X * 1000", y="y"))
    # Then the first batch's loss is compared with chance, as soon as it is known
    run = last_run(journal)
    assert names(run) == ["initial-loss"]
    evidence = run.checks["findings"][0]["evidence"]
    assert evidence["loss"] > 3 * evidence["chance"]
    assert "chance is 0.6931 (−log(1/2))" in capsys.readouterr().out


def test_a_nan_first_loss_from_named_nan_inputs_is_said_once(data: Any, journal: Any) -> None:
    # Given a NaN in every row: the first batch's loss is NaN whatever the shuffle (tanh
    # keeps a NaN; TensorFlow's fused ReLU may turn it into 0 and the loss comes out finite)
    data.run_cell("X_all_nan = X.copy(); X_all_nan[:, 0] = np.nan")
    cell = FIT.format(name="nan-rows", options="", x="X_all_nan", y="y")
    data.run_cell(cell.replace('activation="relu"', 'activation="tanh"'))
    run = last_run(journal)
    assert run.metrics["loss"].last is None  # not finite: the first batch saw the NaN
    # Then the non-finite check names the cause, and initial-loss does not repeat it
    assert names(run) == ["non-finite"]


def test_evaluate_on_rows_seen_in_training_is_leakage(data: Any, journal: Any) -> None:
    data.run_cell(
        FIT.format(name="evaluate", options="", x="X", y="y")
        + "model.evaluate(X[:40], y[:40], verbose=0)\n"
    )
    run = last_run(journal)
    (finding,) = run.checks["findings"]
    assert finding["name"] == "leakage" and finding["evaluate"] is True
    assert "40 of 40 rows of the data passed to evaluate (100 %)" in finding["message"]


def test_strict_stops_at_the_first_batch_on_initial_loss(data: Any, journal: Any) -> None:
    with pytest.raises(UsageError, match="problem\\(s\\) after the first batch \\(initial-loss\\)"):
        data.run_cell(FIT.format(name="strict-raw", options="--strict", x="X * 1000", y="y"))
    run = last_run(journal)
    assert run.status == "failed"
    assert names(run) == ["initial-loss"]


def test_a_multi_input_fit_skips_what_it_cannot_read_and_goes_on(data: Any, journal: Any) -> None:
    data.run_cell(
        """%%experiment two-inputs
import keras
a, b = keras.Input((4,)), keras.Input((4,))
out = keras.layers.Dense(2, activation="softmax")(keras.layers.Concatenate()([a, b]))
model = keras.Model([a, b], out)
model.compile("adam", "sparse_categorical_crossentropy")
model.fit([X[:, :4], X[:, 4:]], y, epochs=1, verbose=0)
"""
    )
    run = last_run(journal)
    assert run.status == "finished"
    assert run.checks["findings"] == []
    skipped = {s["name"]: s["reason"] for s in run.checks["skipped"]}
    assert "list of arrays" in skipped["non-finite"]


def test_scikit_learn_fit_is_checked_too(data: Any, journal: Any, capsys: Any) -> None:
    # When a cell imports an estimator and fits it on data with a NaN
    with pytest.raises(ValueError, match="NaN"):
        data.run_cell(
            """%%experiment sk
from sklearn.svm import LinearSVC
LinearSVC().fit(X_nan, y_sorted)
"""
        )
    # Then the data checks ran first (scikit-learn's own error follows, unchanged)
    assert "non-finite: x holds 1 NaN" in capsys.readouterr().out
    run = last_run(journal)
    assert run.status == "failed"
    assert names(run) == ["non-finite"]
    assert run.checks["findings"][0]["estimator"] == "LinearSVC"


def test_scikit_learn_on_clean_data_and_nested_fits_are_quiet(data: Any, journal: Any) -> None:
    data.run_cell(
        """%%experiment sk-clean
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
clf = make_pipeline(StandardScaler(), LogisticRegression()).fit(X * [1, 1e5, 1, 1, 1, 1, 1, 1], y)
"""
    )
    run = last_run(journal)
    assert run.status == "finished"
    assert run.checks["findings"] == []
    # the classes are restored when the cell ends
    from sklearn.linear_model import LogisticRegression

    assert LogisticRegression.fit.__code__.co_name != "checked_fit"


# -- issue 21.5: a false alarm after the recommended fix, and misses ---------------------

IMBALANCED = """
y_rare = np.zeros(160, dtype="int32")
y_rare[::20] = 1  # 8 of 160: 5.3 % of the other class
"""


def test_imbalance_is_quiet_once_classes_are_weighed(data: Any, journal: Any) -> None:
    data.run_cell(IMBALANCED)
    data.run_cell(
        "%%experiment imb-plain\nfrom sklearn.linear_model import LogisticRegression\n"
        "LogisticRegression().fit(X, y_rare)"
    )
    assert names(last_run(journal)) == ["imbalance"]
    data.run_cell(
        "%%experiment imb-balanced\nfrom sklearn.linear_model import LogisticRegression\n"
        "LogisticRegression(class_weight='balanced').fit(X, y_rare)"
    )
    assert names(last_run(journal)) == []
    data.run_cell(
        "%%experiment imb-weights\nfrom sklearn.linear_model import LogisticRegression\n"
        "LogisticRegression().fit(X, y_rare, sample_weight=1 + 10 * y_rare)"
    )
    assert names(last_run(journal)) == []
    data.run_cell(
        FIT.format(name="imb-keras", options="", x="X", y="y_rare").replace(
            "verbose=0)", "verbose=0, class_weight={0: 1.0, 1: 19.0})"
        )
    )
    assert names(last_run(journal)) == []


def test_a_one_unit_softmax_is_named_whatever_the_loss(data: Any, journal: Any) -> None:
    data.run_cell(
        """%%experiment softmax-one
import keras
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="softmax")])
model.compile("adam", "mse")
model.fit(X, y.astype("float32"), epochs=1, verbose=0)
"""
    )
    (finding,) = last_run(journal).checks["findings"]
    assert finding["name"] == "output-loss"
    assert finding["message"].startswith("softmax on 1 unit always outputs 1")


def test_a_column_that_is_the_label_scaled_is_target_leakage(data: Any, journal: Any) -> None:
    data.run_cell(
        """import pandas as pd
frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(8)])
frame["refund"] = 49.99 * y"""
    )
    data.run_cell(
        "%%experiment refund\nfrom sklearn.linear_model import LogisticRegression\n"
        "LogisticRegression().fit(frame, y)"
    )
    (finding,) = last_run(journal).checks["findings"]
    assert finding["name"] == "target-leakage"
    assert finding["message"].startswith("column 'refund' alone gives the label away")
    # the same data without the column is clean
    data.run_cell(
        "%%experiment refund-dropped\nfrom sklearn.linear_model import LogisticRegression\n"
        "LogisticRegression().fit(frame.drop(columns='refund'), y)"
    )
    assert names(last_run(journal)) == []


def test_nan_labels_are_never_imputed(data: Any, journal: Any) -> None:
    data.run_cell('y_nan = y.astype("float32")\ny_nan[7] = np.nan')
    with pytest.raises(Exception, match="label"):  # TensorFlow's own error follows, unchanged
        data.run_cell(FIT.format(name="nan-labels", options="", x="X", y="y_nan"))
    found = [f["message"] for f in last_run(journal).checks["findings"]]
    message = next(m for m in found if m.startswith("y holds 1 NaN"))
    assert "impute or drop" not in message and "fix the mapping that made them" in message


def test_data_frame_columns_are_named_by_their_names(data: Any, journal: Any) -> None:
    data.run_cell(
        """import pandas as pd
wide = pd.DataFrame({"income": X[:, 0] * 1e5, "ratio": X[:, 1]})"""
    )
    data.run_cell(
        "%%experiment named\nfrom sklearn.linear_model import LogisticRegression\n"
        "LogisticRegression().fit(wide, y)"
    )
    (finding,) = last_run(journal).checks["findings"]
    assert "column 'income': " in finding["message"] and "column 'ratio': " in finding["message"]


def test_leakage_of_the_same_rows_is_said_once(data: Any, journal: Any) -> None:
    data.run_cell(
        FIT.format(name="said-once", options="", x="X", y="y").replace(
            "validation_split=0.25", "validation_data=(X[:40], y[:40])"
        )
        + "model.evaluate(X[:40], y[:40], verbose=0)\n"
    )
    assert names(last_run(journal)) == ["leakage"]


# -- issue 21.6: a diagnosis defers to the check that found the cause ---------------------


def test_a_diagnosis_names_the_check_that_found_its_cause(data: Any, journal: Any) -> None:
    data.run_cell(
        """%%experiment softmax-regression
import keras
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="softmax")])
model.compile("adam", "mse")
model.fit(X, X.sum(axis=1), epochs=8, batch_size=32, verbose=0)
"""
    )
    run = last_run(journal)
    assert names(run) == ["output-loss"]
    assert run.diagnoses, "a constant output is a flat loss"
    for diagnosis in run.diagnoses:
        assert "likely because of output-loss: softmax on 1 unit" in diagnosis["message"]
        assert "learning rate" not in diagnosis["message"]
        assert "larger model" not in diagnosis["message"]
    plateau = next(d for d in run.diagnoses if d["kind"] == "plateau")
    assert plateau["message"].startswith("training loss flat at about") and plateau["epoch"] == 0


def test_a_fit_without_a_finding_keeps_its_own_advice(data: Any, journal: Any) -> None:
    data.run_cell(
        """%%experiment still
import keras
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
model.fit(X, y, epochs=8, batch_size=32, verbose=0)
"""
    )
    run = last_run(journal)
    assert names(run) == []
    plateau = next(d for d in run.diagnoses if d["kind"] == "plateau")
    assert "try a higher learning rate" in plateau["message"]
    assert "since epoch 1 " in plateau["message"]
