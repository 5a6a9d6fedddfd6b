"""Meta-features on planted data: every number is known before it is computed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from nbjournal.capture.metafeatures import guess_xy, meta_features
from nbjournal.rules.data_likeness import NAMES, describe, distance


def test_planted_class_count_balance_and_shape() -> None:
    # Given 4 classes with shares 1/2, 1/4, 1/8, 1/8 (entropy 1.75 bits of log2(4) = 2)
    rng = np.random.default_rng(1)
    y = np.repeat([0, 1, 2, 3], [400, 200, 100, 100])
    x = rng.normal(size=(800, 5))
    # When
    record = meta_features(x, y)
    # Then
    f = record["features"]
    assert record["task"] == "classification"
    assert (f["rows"], f["features"], f["classes"]) == (800, 5, 4)
    assert f["class_entropy"] == pytest.approx(1.75 / 2, abs=0.02)  # the sample of 800 is all
    assert f["minority_ratio"] == pytest.approx(0.25)
    assert f["dimensionality"] == pytest.approx(5 / 800)
    assert len(NAMES) <= 20 and set(f) == set(NAMES)


def test_planted_missing_categorical_and_integer_shares() -> None:
    # Given a frame: 2 float columns (one a tenth missing), 1 integer column, 1 text column
    rng = np.random.default_rng(2)
    a = rng.normal(size=1000)
    a[:100] = np.nan
    frame = pd.DataFrame({"a": a, "b": rng.normal(size=1000) * 1000,
                          "n": rng.integers(0, 9, 1000), "t": rng.choice(["u", "v"], 1000)})  # fmt: skip
    # When
    f = meta_features(frame, rng.normal(size=1000))["features"]
    # Then: 100 of 4000 cells missing; 1 of 4 columns text; 1 of 3 numeric columns integers
    assert f["missing_share"] == pytest.approx(100 / 4000)
    assert f["categorical_share"] == pytest.approx(1 / 4)
    assert f["integer_share"] == pytest.approx(1 / 3)
    assert f["scale_spread"] == pytest.approx(3, abs=0.15)  # std 1000 against std 1 and ~2.6
    assert f["classes"] is None and f["target_skewness"] < 0.3


def test_landmarks_see_a_one_feature_rule_and_noise() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2000, 6))
    # Given a class decided by one feature's sign: a stump finds it, chance does not
    rule = meta_features(x, (x[:, 2] > 0).astype(int))["features"]
    noise = meta_features(x, rng.integers(0, 2, 2000))["features"]
    assert rule["landmark_stump"] > 0.97
    assert noise["landmark_stump"] < 0.6 and noise["landmark_1nn"] < 0.6
    # And a linear target: the ridge landmark explains it, the stump only in part
    linear = meta_features(x, x @ np.arange(1, 7) + rng.normal(scale=0.1, size=2000))["features"]
    assert linear["landmark_linear"] > 0.99 and linear["landmark_stump"] < 0.5


def test_task_from_the_target() -> None:
    x = np.random.default_rng(4).normal(size=(300, 3))
    onehot = np.eye(3)[np.arange(300) % 3]
    assert meta_features(x, onehot)["features"]["classes"] == 3
    assert meta_features(x, np.array(["a", "b", "c"] * 100))["task"] == "classification"
    assert meta_features(x, x[:, 0])["task"] == "regression"
    assert meta_features(x)["task"] == "unsupervised"
    assert meta_features(iter([1, 2])) is None  # a stream: nothing read
    assert meta_features(np.zeros((0, 3))) is None


def test_distance_is_zero_to_itself_small_to_a_sibling_and_infinite_across_tasks() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(1000, 10))
    y = (x[:, 0] > 0).astype(int)
    a = meta_features(x, y)
    sibling = meta_features(x + rng.normal(scale=0.01, size=x.shape), y)
    other = meta_features(rng.integers(0, 5, (50, 300)).astype(float), np.arange(50) % 7)
    assert distance(a, a) == 0
    assert distance(a, sibling) < 0.02 < 0.2 < distance(a, other) <= 1
    assert math.isinf(distance(a, meta_features(x, x[:, 1])))
    assert describe(a) == "1,000 rows × 10 features, 2 classes"


def test_guess_xy_takes_the_table_and_its_target() -> None:
    x, y, w = np.zeros((100, 4)), np.zeros(100), np.zeros(100)
    assert guess_xy({"X_train": x, "w": w, "y_train": y, "lr": 0.1}) == ("X_train", "y_train")
    assert guess_xy({"data": x, "labels": y, "z": w}) == ("data", "labels")
    assert guess_xy({"X": x, "test": np.zeros((20, 4))}) == ("X", None)
    assert guess_xy({"lr": 0.1}) is None


def test_a_column_with_no_value_says_no_numpy_warning() -> None:
    """The journal's own arithmetic never speaks in the user's cell (a practitioner's
    all-NaN column printed three RuntimeWarnings from nbjournal's files)."""
    import warnings

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 6))
    x[:, 3] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        features = meta_features(x, rng.integers(0, 3, 300))
    assert features is not None and features["features"]["missing_share"] == pytest.approx(
        1 / 6, abs=1e-5
    )
