"""``%%experiment`` through a real IPython shell: what is recorded, and that the cell is unchanged."""

from __future__ import annotations

import pytest
from IPython.utils.capture import capture_output


def test_a_keras_cell_is_recorded_with_everything_design_lists(shell, journal, tiny_data, tiny_mlp):
    # Given data in the namespace
    shell.run_cell(tiny_data)
    # When a Keras cell runs as an experiment
    shell.run_cell_magic("experiment", "tiny-mlp --tag smoke -p seed=3", tiny_mlp)
    # Then the cell's effects are there as without the magic
    assert len(shell.user_ns["history"].history["loss"]) == 3
    assert shell.user_ns["seed"] == 3
    # And the run holds hypothesis, code, parameters, data, environment and results
    runs = journal.runs()
    assert list(runs["experiment"]) == ["tiny-mlp"] and list(runs["status"]) == ["finished"]
    run = journal.run(int(runs["id"][0]))
    assert run.hypothesis == "a tiny MLP learns the threshold."
    assert run.code == tiny_mlp
    assert run.tags == ("smoke",)
    p = run.params
    assert p["units"] == 8 and p["lr"] == 0.01 and p["seed"] == 3
    assert p["optimizer.class"] == "Adam"
    assert p["optimizer.learning_rate"] == pytest.approx(0.01)
    assert p["loss"] == "sparse_categorical_crossentropy"
    assert p["model.layers"] == '["Dense(8, relu)","Dropout(0.1)","Dense(2, softmax)"]'
    assert p["model.params"] == 8 * 8 + 8 + 8 * 2 + 2
    assert p["fit.epochs"] == 3 and p["fit.batch_size"] == 16 and p["fit.validation_split"] == 0.25
    inputs = {d["name"]: d for d in run.data}
    assert inputs["X"]["shape"] == [160, 8] and inputs["X"]["dtype"] == "float32"
    assert {"y", "fit.x", "fit.y"} <= set(inputs)
    assert inputs["X"]["hash"] == inputs["fit.x"]["hash"]
    assert run.env["keras"] and run.env["numpy"] and run.env["python"]
    assert run.env["keras_backend"] == "tensorflow"
    assert set(run.metrics) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    loss = run.metrics["loss"]
    assert loss.count == 3 and loss.last_epoch == 2
    assert loss.best == min(shell.user_ns["history"].history["loss"])
    points = journal.metrics(run.id)
    epochs = points[(points["kind"] == "epoch") & (points["name"] == "val_accuracy")]
    assert list(epochs["epoch"]) == [0, 1, 2]
    assert epochs["value"].tolist() == pytest.approx(
        shell.user_ns["history"].history["val_accuracy"]
    )
    assert (points["kind"] == "batch").sum() > 0


def test_the_cell_returns_and_displays_what_a_plain_cell_would(shell, journal):
    result = shell.run_cell("%%experiment arithmetic\nx = 2\nx * 21")
    assert result.result == 42 and shell.user_ns["_"] == 42
    quiet = shell.run_cell("%%experiment arithmetic\nx = 3\nx * 21;")
    assert quiet.result is None
    assert shell.user_ns["x"] == 3


def test_a_numeric_last_expression_and_log_metric_become_metrics(shell, journal):
    shell.run_cell(
        "%%experiment sums\nimport nbjournal\nfor i in range(3):\n"
        "    nbjournal.log_metric('partial', i * 0.5, step=i)\nnbjournal.log_metric('bonus', 7)\n"
        "{'score': 0.75, 'label': 'x'}"
    )
    run = journal.run(1)
    assert run.metrics["score"].last == 0.75
    assert run.metrics["bonus"].last == 7
    assert run.metrics["partial"].count == 3 and run.metrics["partial"].last == 1.0
    assert "label" not in run.metrics


def test_scikit_learn_estimators_are_recorded_with_their_params(shell, journal):
    shell.run_cell(
        "%%experiment digits-logreg\n# Hypothesis: a linear model gets above 90 %.\n"
        "from sklearn.datasets import load_digits\nfrom sklearn.linear_model import LogisticRegression\n"
        "from sklearn.metrics import accuracy_score\n"
        "X, y = load_digits(return_X_y=True)\n"
        "clf = LogisticRegression(C=0.5, max_iter=300).fit(X[:1200], y[:1200])\n"
        "accuracy_score(y[1200:], clf.predict(X[1200:]))"
    )
    run = journal.run(1)
    assert run.params["estimator.class"] == "LogisticRegression"
    assert run.params["estimator.C"] == 0.5 and run.params["estimator.max_iter"] == 300
    assert run.metrics["accuracy_score"].last > 0.9
    assert run.hypothesis == "a linear model gets above 90 %."


def test_the_hypothesis_comes_from_the_option_then_the_comment_then_a_string(shell, journal):
    shell.run_cell('%%experiment h -H "Explicit wins"\n# Hypothesis: comment\nx = 1')
    shell.run_cell('%%experiment h\n"""Hypothesis: from a string."""\nx = 2')
    assert journal.run(1).hypothesis == "Explicit wins"
    assert journal.run(2).hypothesis == "from a string."


def test_a_summary_is_shown_after_the_cell(shell, journal):
    with capture_output() as captured:
        shell.run_cell("%%experiment shown\nx = 1\nx")
    text = captured.outputs[0].data["text/plain"]
    assert text.startswith("run #1 shown: finished")
    assert "x 1" in text
    assert "#1" in captured.outputs[0].data["text/html"]


def test_user_text_is_escaped_in_html(shell, journal):
    with capture_output() as captured:
        shell.run_cell('%%experiment xss -H "<img src=x onerror=alert(1)>"\nx = 1')
        shell.run_line_magic("journal", "show 1")
    html = captured.outputs[-1].data["text/html"]
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.postgres
def test_a_run_is_recorded_in_a_postgresql_journal(shell, pg_url):
    import nbjournal

    url = pg_url

    shell.run_cell(f"%%experiment on-postgres --journal {url} -p lr=0.5\nscore = lr * 2\nscore")
    runs = nbjournal.Journal(url).runs(experiment="on-postgres")
    assert runs.loc[0, "metric.score"] == 1.0 and runs.loc[0, "param.lr"] == 0.5
