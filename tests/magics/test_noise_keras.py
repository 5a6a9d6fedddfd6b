"""The comparison rule on real Keras fits (issue 20, "Correctness, measured"): on digits,
runs that differ only in the seed are ``within noise``; dropout 0.5 against none on 200
samples, 5 repeats each, is ``better`` on val_loss. Through ``%%experiment`` in a real
IPython shell and ``Journal()``.

The planted truth was checked offline before it was trusted (plain Keras, the same model,
data and sizes, seeds 0–9 of each arm): see ``SIZES``. The fits are kept tiny (one
full-batch step an epoch, one hidden layer, 30 epochs) but true; one module-scoped journal
(15 fits) serves every test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

from tests.conftest import TestingShell as Shell  # another name: pytest would collect it

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

EXPERIMENT = "dropout-digits"
#: Checked offline (plain Keras, these sizes, seeds 0–9 an arm, final val_loss at each epoch
#: 28–45): at 28–31 epochs dropout 0.5 is ``better`` than none in 252 of 252 choices of 5
#: seeds (paired); seeds 0–4 against 5–9 without dropout are ``within noise`` on val_loss and
#: val_accuracy at 29–31; any 5 seeds against the other 5 are ``within noise`` in ~85 % and
#: ``better``/``worse`` in ≤ 6 % (the rule's false-alarm rate). Past ~32 epochs dropout's
#: full-batch val_loss jumps from epoch to epoch and the effect is no longer sure.
SIZES = {"train": 200, "val": 400, "units": 512, "epochs": 30}

DATA = f"""
from sklearn.datasets import load_digits
X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype("float32")
X_train, y_train = X[:{SIZES["train"]}], y[:{SIZES["train"]}]
END = {SIZES["train"] + SIZES["val"]}
X_val, y_val = X[{SIZES["train"]}:END], y[{SIZES["train"]}:END]
"""

# 200 samples, 512 units, full-batch Adam at 0.01: without dropout it overfits (val_loss
# climbs from epoch ~20); dropout 0.5 holds it lower.
BODY = f"""
import keras
keras.utils.set_random_seed(seed)
model = keras.Sequential([
    keras.Input((64,)),
    keras.layers.Dense({SIZES["units"]}, activation="relu"),
    keras.layers.Dropout(dropout),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X_train, y_train, validation_data=(X_val, y_val),
                    epochs={SIZES["epochs"]}, batch_size={SIZES["train"]}, verbose=0)
"""


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A journal holding dropout 0 and 0.5 on seeds 0–4 (a grid with ``--repeat 5``) and
    dropout 0 again on seeds 5–9: 15 real fits, made once for the module."""
    from nbjournal import Journal
    from nbjournal.runs import current
    from nbjournal.store import forget_stores

    folder: Path = tmp_path_factory.mktemp("noise-keras")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NBJOURNAL_HOME", str(folder / "journal-home"))
        patch.delenv("NBJOURNAL_URL", raising=False)
        patch.delenv("NBJOURNAL_LIVE", raising=False)
        patch.chdir(folder)
        forget_stores()
        existing = InteractiveShell._instance if InteractiveShell.initialized() else None
        if existing is not None and not isinstance(existing, Shell):
            type(existing).clear_instance()
        shell = Shell.instance()
        shell.reset(new_session=True)
        shell.run_line_magic("load_ext", "nbjournal")
        current.set_active(None)
        current.remember_run(None)
        try:
            shell.run_cell(DATA)
            shell.run_cell(
                f"%%experiment {EXPERIMENT} --grid dropout=[0.0,0.5] --repeat 5 --no-live"
                f" --metric val_loss:min\n{BODY}"
            )
            shell.run_cell(
                f"%%experiment {EXPERIMENT} -p dropout=0.0 --grid seed=[5,6,7,8,9] --no-live\n"
                f"{BODY}"
            )
            yield Journal()
        finally:
            shell.run_line_magic("unload_ext", "nbjournal")
            current.set_active(None)
            current.remember_run(None)
            Shell.clear_instance()
            forget_stores()


def _arms(journal: Any) -> dict[tuple[float, tuple[int, ...]], list[int]]:
    """Run ids by (dropout, seeds), from the journal's own grouping into configurations."""
    found: dict[tuple[float, tuple[int, ...]], list[int]] = {}
    runs = journal.runs(experiment=EXPERIMENT)
    for _, row in runs.iterrows():
        seed = int(row["param.seed"])
        key = (float(row["param.dropout"]), (0, 1, 2, 3, 4) if seed < 5 else (5, 6, 7, 8, 9))
        found.setdefault(key, []).append(int(row["id"]))
    return {key: sorted(ids) for key, ids in found.items()}


def test_the_fits_are_one_configuration_per_dropout_whatever_the_seed(journal: Any) -> None:
    frame = journal.configurations(EXPERIMENT)
    assert sorted(zip(frame["param.dropout"], frame["n"], strict=True)) == [(0.0, 10), (0.5, 5)]


def test_runs_that_differ_only_in_the_seed_are_within_noise(journal: Any) -> None:
    arms = _arms(journal)
    first, second = arms[(0.0, (0, 1, 2, 3, 4))], arms[(0.0, (5, 6, 7, 8, 9))]
    assert len(first) == len(second) == 5
    for metric in ("val_loss", "val_accuracy"):
        found = journal.compare(first, second, metric=metric)
        assert found.verdict == "within noise", str(found)
        assert (found.n_a, found.n_b) == (5, 5)
    # one run against one: never a winner, the noise borrowed from the repeats
    single = journal.compare(first[0], second[0], metric="val_loss")
    assert single.verdict not in ("better", "worse"), str(single)
    assert single.comparison.result.borrowed.startswith("configuration #")


def test_dropout_on_200_samples_with_5_repeats_is_better_on_val_loss(journal: Any) -> None:
    arms = _arms(journal)
    dropout, none = arms[(0.5, (0, 1, 2, 3, 4))], arms[(0.0, (0, 1, 2, 3, 4))]
    found = journal.compare(dropout, none, metric="val_loss")
    assert found.verdict == "better", str(found)
    assert found.difference < 0 and found.interval[1] < 0  # lower val_loss, beyond noise
    assert found.paired  # the same seeds 0–4 on both sides
    assert "val_loss" in str(found) and "better" in str(found)
