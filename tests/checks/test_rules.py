"""Each check on data that triggers it and on data that does not, and the clean cases in full.

The checks are pure functions of the arrays and a compiled model, so they are
called directly here; tests/magics/test_checks.py drives them through a real
IPython shell and real fits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nbjournal.checks import FitData, chance_loss, describe_model, initial_loss, run_checks

RNG = np.random.default_rng(0)


def findings(data: FitData) -> list[str]:
    report = run_checks(data)
    assert report.skipped == []
    return [f.name for f in report.findings]


def balanced(n: int = 600, classes: int = 3) -> np.ndarray:
    return RNG.permutation(np.arange(n) % classes)


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The quickstart's data: digits scaled to [0, 1], the training part of its split."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x_train, _, y_train, _ = train_test_split(x / 16.0, y, test_size=0.25, random_state=0)
    return x_train, y_train


# -- the clean cases: never a false alarm ------------------------------------------------


def test_the_quickstart_digits_fit_is_clean(make_model: Any) -> None:
    x, y = digits()
    model = make_model(64, 10)
    assert findings(FitData(x, y, validation_split=0.2, batch_size=32, model=model)) == []
    assert findings(FitData(x, y, task="classification")) == []  # its scikit-learn baseline


@pytest.mark.parametrize(
    "name",
    ["standardised", "min-max", "one-hot", "images", "shuffled-imbalanced-mild", "binary"],
)
def test_clean_data_has_no_findings(name: str, make_model: Any) -> None:
    n = 2000
    y = balanced(n, 4)
    if name == "standardised":
        raw = RNG.normal([5, 3e4, 0.01, 200], [2, 9e3, 0.003, 70], size=(n, 4))
        x = (raw - raw.mean(0)) / raw.std(0)
    elif name == "min-max":
        raw = RNG.lognormal(size=(n, 6)) * [1, 10, 1e3, 1e4, 0.1, 5]
        x = (raw - raw.min(0)) / (raw.max(0) - raw.min(0))
    elif name == "one-hot":
        categories = RNG.integers(0, 12, size=n)
        x = np.hstack([np.eye(12)[categories], RNG.normal(size=(n, 3))]).astype("float32")
    elif name == "images":
        x = (RNG.integers(0, 256, size=(n, 8, 8, 1)) / 255.0).astype("float32")
    elif name == "shuffled-imbalanced-mild":
        y = RNG.permutation(np.r_[np.zeros(1500), np.ones(300), np.full(200, 2), np.full(0, 3)])
        y = y.astype(int)
        x = RNG.normal(size=(n, 5))
    else:
        x = RNG.normal(size=(n, 5)).astype("float32")
        y = (x[:, 0] > 0).astype("float32")
    if name == "binary":
        model = make_model(5, 1, "sigmoid", "binary_crossentropy")
    else:
        units = int(y.max()) + 1
        model = make_model(x.shape[1:] if x.ndim > 2 else x.shape[1], units)
    assert findings(FitData(x, y, validation_split=0.2, model=model)) == []
    assert findings(FitData(x.reshape(n, -1), y, task="classification")) == []


def test_clean_validation_data_and_a_regression_are_clean(make_model: Any) -> None:
    x = RNG.normal(size=(1000, 6))
    y = balanced(1000, 3)
    model = make_model(6, 3)
    assert (
        findings(FitData(x[:800], y[:800], validation_data=(x[800:], y[800:]), model=model)) == []
    )
    target = x @ RNG.normal(size=6)
    regression = make_model(6, 1, None, "mse")
    assert findings(FitData(x, target, validation_split=0.2, model=regression)) == []


# -- each check, triggered and not -------------------------------------------------------


def test_sorted_labels_names_the_tail_s_only_class() -> None:
    y = np.sort(balanced(1000, 10))
    x = RNG.normal(size=(1000, 4))
    report = run_checks(FitData(x, y, validation_split=0.2, task="classification"))
    (finding,) = [f for f in report.findings if f.name == "sorted-labels"]
    assert "last 20 % of y (validation_split=0.2) holds only classes 8, 9" in finding.message
    assert "shuffle" in finding.message
    assert finding.evidence["validation_classes"] == [8, 9]
    assert "sorted-labels" not in findings(
        FitData(x, RNG.permutation(y), validation_split=0.2, task="classification")
    )
    # without a split, order does not matter
    assert "sorted-labels" not in findings(FitData(x, y, task="classification"))


def test_sorted_labels_sees_gross_share_differences() -> None:
    y = np.r_[
        RNG.permutation(np.r_[np.zeros(700), np.ones(100)]), np.r_[np.zeros(40), np.ones(160)]
    ]
    x = RNG.normal(size=(1000, 3))
    report = run_checks(FitData(x, y.astype(int), validation_split=0.2, task="classification"))
    assert [f.name for f in report.findings] == ["sorted-labels"]
    assert "total variation" in report.findings[0].message


def test_non_finite_counts_and_locates() -> None:
    x = RNG.normal(size=(100, 4)).astype("float32")
    x[7, 2] = np.nan
    x[9, 0] = np.inf
    report = run_checks(FitData(x, balanced(100, 2), task="classification"))
    (finding,) = report.findings
    assert finding.name == "non-finite"
    assert "1 NaN and 1 ±inf (first at row 7, column 2; row 9, column 0)" in finding.message
    assert findings(FitData(np.nan_to_num(x, posinf=0), balanced(100, 2))) == []


def test_non_finite_names_data_frame_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"age": [30.0, None, 41.0, 52.0], "income": [1.0, 2.0, 3.0, 4.0]})
    report = run_checks(FitData(frame, np.array([0, 1, 0, 1]), task="classification"))
    assert report.findings[0].name == "non-finite"
    assert "column(s) age (25 %)" in report.findings[0].message
    # an estimator that takes NaN is not warned
    assert findings(FitData(frame, np.array([0, 1, 0, 1]), allow_nan=True)) == []


def test_scale_sees_columns_on_different_scales(make_model: Any) -> None:
    x = np.c_[RNG.normal(size=500), RNG.normal(scale=1e4, size=500)]
    report = run_checks(FitData(x, None))
    assert [f.name for f in report.findings] == ["scale"]
    assert "standardise" in report.findings[0].message
    # trees do not mind, and a Normalization layer puts it right
    assert findings(FitData(x, None, scale_sensitive=False)) == []
    first = __import__("keras").layers.Normalization()
    model = make_model(2, 1, None, "mse", first=first)
    assert "scale" not in findings(FitData(x, x[:, 0], model=model))


def test_scale_sees_raw_pixels_into_a_model(make_model: Any) -> None:
    images = RNG.integers(0, 256, size=(300, 8, 8)).astype("float32")
    y = balanced(300, 3)
    model = make_model((8, 8), 3)
    report = run_checks(FitData(images, y, model=model))
    assert report.findings[0].name == "scale"
    assert "raw pixel-like values 0–255" in report.findings[0].message
    assert "scale" not in findings(FitData(images / 255, y, model=model))


def test_leakage_counts_validation_rows_seen_in_training() -> None:
    x = RNG.normal(size=(1000, 5)).astype("float32")
    x[900:950] = x[:50]  # 50 of the 200 validation rows copy training rows
    y = balanced(1000, 2)
    report = run_checks(FitData(x, y, validation_split=0.2, task="classification"))
    (finding,) = report.findings
    assert finding.name == "leakage"
    assert finding.evidence["count"] == 50 and finding.evidence["rows"] == 200
    assert "50 of 200 rows of the validation split (25 %)" in finding.message
    clean = RNG.normal(size=(1000, 5)).astype("float32")
    assert findings(FitData(clean, y, validation_split=0.2, task="classification")) == []
    # validation_data of another dtype is compared by value
    val = (x[:40].astype("float64"), y[:40])
    assert findings(FitData(x[:800], y[:800], validation_data=val, task="classification")) == [
        "leakage"
    ]


def test_leakage_with_a_test_set_leaves_natural_twins_alone() -> None:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    from nbjournal.checks.rows import shared_rows

    x, y = load_digits(return_X_y=True)
    x_train, x_test, y_train, _ = train_test_split(x / 16, y, test_size=0.25, random_state=0)
    data = FitData(x_train, y_train, validation_split=0.2, task="classification")
    assert shared_rows(data, x_test, "the test set") is None  # 7 natural twins of 450
    found = shared_rows(data, np.vstack([x_test, x_train[:100]]), "the test set")
    assert found is not None and found.evidence["count"] >= 100


def test_conflicting_labels_finds_twins_with_other_labels() -> None:
    x = RNG.normal(size=(500, 4))
    y = balanced(500, 2)
    x[250:300] = x[:50]
    y[250:300] = 1 - y[:50]
    report = run_checks(FitData(x, y, task="classification"))
    assert [f.name for f in report.findings] == ["conflicting-labels"]
    assert report.findings[0].evidence["rows"] == 100
    y[250:300] = y[:50]  # the same twins with the same labels are only duplicates
    assert findings(FitData(x, y, task="classification")) == []


def test_imbalance_names_the_rarest_class() -> None:
    y = RNG.permutation(np.r_[np.zeros(950), np.ones(50)]).astype(int)
    report = run_checks(FitData(RNG.normal(size=(1000, 3)), y, task="classification"))
    assert [f.name for f in report.findings] == ["imbalance"]
    assert "class 1 has 50 training rows" in report.findings[0].message
    # a regression target is not a set of classes
    assert findings(FitData(RNG.normal(size=(1000, 3)), y, task="regression")) == []


@pytest.mark.parametrize(
    ("labels", "units", "loss", "expected"),
    [
        ("one-to-three", 3, "sparse_categorical_crossentropy", "shift the labels to start at 0"),
        ("one-hot", 3, "sparse_categorical_crossentropy", "use categorical_crossentropy"),
        ("integers", 3, "categorical_crossentropy", "to_categorical"),
        ("fractions", 3, "sparse_categorical_crossentropy", "non-integer values"),
        ("integers", 1, "binary_crossentropy", "expects 0 or 1"),
    ],
)
def test_label_range(labels: str, units: int, loss: str, expected: str, make_model: Any) -> None:
    y = balanced(300, 3)
    values = {
        "one-to-three": y + 1,
        "one-hot": np.eye(3)[y],
        "integers": y,
        "fractions": y + 0.5,
    }[labels]
    activation = "sigmoid" if units == 1 else "softmax"
    model = make_model(4, units, activation, loss)
    report = run_checks(FitData(RNG.normal(size=(300, 4)), values, model=model))
    found = [f for f in report.findings if f.name == "label-range"]
    assert found and expected in found[0].message


def test_label_range_is_quiet_on_matching_labels(make_model: Any) -> None:
    y = balanced(300, 3)
    x = RNG.normal(size=(300, 4))
    assert findings(FitData(x, y, model=make_model(4, 3))) == []
    categorical = make_model(4, 3, "softmax", "categorical_crossentropy")
    assert findings(FitData(x, np.eye(3)[y], model=categorical)) == []


@pytest.mark.parametrize(
    ("units", "activation", "loss", "expected"),
    [
        (1, "softmax", "binary_crossentropy", "softmax on 1 unit"),
        (3, "sigmoid", "sparse_categorical_crossentropy", "do not sum to 1"),
        (3, "softmax", "logits", "from_logits=True"),
        (3, None, "sparse_categorical_crossentropy", "the output layer is linear"),
        (10, "softmax", "sparse_categorical_crossentropy", "10 units for 3 classes"),
    ],
)
def test_output_loss(
    units: int, activation: str | None, loss: str, expected: str, keras: Any, make_model: Any
) -> None:
    if loss == "logits":
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    y = balanced(300, 3) if units != 1 else balanced(300, 2)
    model = make_model(4, units, activation, loss)
    report = run_checks(FitData(RNG.normal(size=(300, 4)), y, model=model))
    found = [f for f in report.findings if f.name == "output-loss"]
    assert found and expected in found[0].message


def test_output_loss_accepts_logits_with_a_linear_output(keras: Any, make_model: Any) -> None:
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model = make_model(4, 3, None, loss)
    assert findings(FitData(RNG.normal(size=(300, 4)), balanced(300, 3), model=model)) == []


def test_batch_size(make_model: Any) -> None:
    model = make_model(4, 3)
    x, y = RNG.normal(size=(300, 4)), balanced(300, 3)
    report = run_checks(FitData(x, y, batch_size=512, validation_split=0.2, model=model))
    assert [f.name for f in report.findings] == ["batch-size"]
    assert "larger than the 240 training rows" in report.findings[0].message
    big_x, big_y = np.zeros((90_000, 1), "float32"), np.zeros(90_000)
    regression = make_model(1, 1, None, "mse")
    tiny = run_checks(FitData(big_x, big_y, batch_size=4, model=regression))
    assert [f.name for f in tiny.findings] == ["batch-size"]
    assert "22,500 steps per epoch" in tiny.findings[0].message
    assert findings(FitData(x, y, batch_size=64, model=model)) == []


def test_saturating(make_model: Any) -> None:
    deep = make_model(4, 3, hidden=("tanh",) * 5)
    x, y = RNG.normal(size=(300, 4)), balanced(300, 3)
    report = run_checks(FitData(x, y, model=deep))
    assert [f.name for f in report.findings] == ["saturating"]
    assert "5 hidden Dense layers use tanh" in report.findings[0].message
    assert (
        findings(FitData(x, y, model=make_model(4, 3, hidden=("tanh",) * 5, normalise=True))) == []
    )
    assert findings(FitData(x, y, model=make_model(4, 3, hidden=("relu",) * 6))) == []


def test_initial_loss_against_chance(make_model: Any) -> None:
    chance = chance_loss(describe_model(make_model(4, 10)))
    assert chance is not None and chance[0] == pytest.approx(np.log(10))
    assert initial_loss(2.4, chance) == []
    (finding,) = initial_loss(40.0, chance)
    assert "the first batch's loss is 40, chance is 2.303 (−log(1/10))" in finding.message
    assert initial_loss(float("nan"), chance)[0].name == "initial-loss"
    # inputs the non-finite check already named are the cause: said once, not twice
    assert initial_loss(float("nan"), chance, non_finite_inputs=True) == []
    assert initial_loss(40.0, chance, non_finite_inputs=True)[0].name == "initial-loss"
    assert chance_loss(describe_model(make_model(4, 1, None, "mse"))) is None


# -- never breaking ----------------------------------------------------------------------


def test_unreadable_inputs_are_skipped_with_the_reason(make_model: Any) -> None:
    def stream() -> Any:
        yield np.zeros((4, 4)), np.zeros(4)

    report = run_checks(FitData(stream(), None, model=make_model(4, 3)))
    assert report.findings == []
    assert {s.name for s in report.skipped} >= {"non-finite", "scale", "leakage"}
    assert "generator" in report.skipped[0].reason
    pairs = run_checks(FitData([np.zeros((4, 2)), np.zeros((4, 2))], np.zeros(4)))
    assert any("list of arrays" in s.reason for s in pairs.skipped)


def test_silenced_checks_do_not_run() -> None:
    x = RNG.normal(size=(100, 2))
    x[0, 0] = np.nan
    assert run_checks(FitData(x, None), silenced=["non-finite"]).findings == []


def test_row_hashes_tell_apart_every_distinct_row() -> None:
    from nbjournal.checks.hashing import row_hashes

    x, _ = digits()  # values k/16: floats whose low bits are all zero
    assert len(np.unique(row_hashes(x))) == len(np.unique(x, axis=0))
    wide = RNG.integers(0, 2, size=(500, 3000)).astype("float32")  # several multiplier blocks
    wide[1] = wide[0]
    hashes = row_hashes(wide)
    assert hashes[0] == hashes[1]
    assert len(np.unique(hashes)) == len(np.unique(wide, axis=0))


def test_a_column_with_no_value_is_named_without_a_numpy_warning(make_model: Any) -> None:
    """All-NaN column 3, as a practitioner's notebook had it: the finding, and no
    RuntimeWarning from the checks' own arithmetic in the user's cell."""
    import warnings

    x, y = digits()
    x = x.copy()
    x[:, 3] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        names = findings(FitData(x, y, model=make_model(64, 10)))
    assert "non-finite" in names
