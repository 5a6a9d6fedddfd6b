"""What a fit records: callbacks, epochs actually run, a Pipeline's steps, a loop of fits
(issue 10, defects 11 and 12)."""

from __future__ import annotations

from nbjournal.live.spec import part_colors
from nbjournal.live.state import part_labels


def test_early_stopping_and_the_epochs_actually_run_are_recorded(
    shell, journal, tiny_data, tiny_mlp
):
    shell.run_cell(tiny_data)
    stop = "keras.callbacks.EarlyStopping(monitor='loss', patience=0, min_delta=10)"
    cell = tiny_mlp.replace("epochs=3", "epochs=30").replace(
        "verbose=0", f"verbose=0, callbacks=[{stop}]"
    )
    shell.run_cell(f"%%experiment stops --no-live\n{cell}")
    params = journal.run(1).params
    assert params["fit.epochs"] == 30
    assert params["fit.epochs_run"] == 2
    assert (
        params["fit.callbacks"] == "[\"EarlyStopping(monitor='loss', patience=0, min_delta=10)\"]"
    )
    assert journal.run(1).full_params["fit"]["callbacks"] == [
        "EarlyStopping(monitor='loss', patience=0, min_delta=10)"
    ]


def test_a_pipelines_steps_are_separate_params(shell, journal):
    shell.run_cell(
        "%%experiment pipe\n"
        "from sklearn.datasets import load_digits\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "X, y = load_digits(return_X_y=True)\n"
        "pipe = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=200))\n"
        "pipe.fit(X[:300], y[:300])\n"
    )
    params = journal.run(1).params
    assert params["estimator.class"] == "Pipeline"
    assert params["estimator.logisticregression__C"] == 0.5
    assert params["estimator.logisticregression__max_iter"] == 200
    assert params["estimator.standardscaler__with_mean"] is True
    assert params["estimator.logisticregression"] == "LogisticRegression"
    assert "StandardScaler" in params["estimator.steps"]


LOOP = """
import keras
keras.utils.set_random_seed(1)
for width in range(1, 12):
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(width, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(X, y, epochs=1, batch_size=80, verbose=0)
"""


def test_a_loop_of_fits_keeps_the_listing_readable(shell, journal, tiny_data):
    shell.run_cell(tiny_data)
    shell.run_cell(f"%%experiment loop --no-live\n{LOOP}")
    frame = journal.runs()
    assert not [c for c in frame.columns if c.startswith("param.fit2")]
    assert len([c for c in frame.columns if c.startswith("param.")]) < 20
    run = journal.run(1)
    assert run.full_params["fit11"]["model"]["layers"][0] == "Dense(11, relu)"  # kept in the record
    fits = [run.full_params] + [run.full_params[f"fit{i}"] for i in range(2, 12)]
    labels = part_labels([{k: f[k] for k in ("model", "fit", "optimizer") if k in f} for f in fits])
    assert labels[0] == "layers[0]=Dense(1, relu)" and labels[10] == "layers[0]=Dense(11, relu)"
    assert len(set(labels)) == 11


def test_no_colour_is_reused_within_a_run():
    for count in (1, 10, 11, 40):
        colours = part_colors(count)
        assert len(colours) == count == len(set(colours))
