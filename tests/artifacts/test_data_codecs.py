"""Plain values and frames are stored in formats that cannot run code, and come back exact."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from nbjournal.artifacts.codecs import decode, encode


def _back(value):
    encoded = encode(value)
    assert encoded.data is not None, encoded.reason
    return encoded.kind, decode(encoded.kind, encoded.data, encoded.extra, {})


@pytest.mark.parametrize(
    "value",
    [
        7, 10**30, -0.0, "text", None, True, [1, [2, 3]], (1, "a"), {"a": (1, 2), 3: None},
        {1, 2}, frozenset({"x"}), b"\x00bytes", np.float64(0.25), np.int32(-4),
        {(1, "a"): [np.bool_(True)]},
    ],
)  # fmt: skip
def test_plain_values_are_json_and_keep_their_types(value):
    kind, back = _back(value)
    assert kind == "json" and back == value and type(back) is type(value)
    if isinstance(value, dict):
        assert [type(k) for k in back] == [type(k) for k in value]


def test_non_finite_floats_survive_as_json():
    kind, back = _back([math.nan, math.inf, -math.inf])
    assert kind == "json" and math.isnan(back[0]) and back[1:] == [math.inf, -math.inf]


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame(
            {
                "a": [1, 2, 3],
                "b": [0.5, np.nan, 2.0],
                "c": ["x", None, "z"],
                "d": pd.to_datetime(["2020-01-01", "2021-06-01", "2022-01-31"]),
                "e": [True, False, True],
            }
        ),
        pd.DataFrame({"v": [3.0, 1.0]}, index=pd.Index(["q", "r"], name="key")),
        pd.DataFrame({"v": [1, 2]}).iloc[::-1],
        pd.Series([1.5, 2.5], name="loss"),
        pd.DataFrame({"o": pd.Series(["a", None], dtype=object)}),
        pd.DataFrame(),
    ],
    ids=["mixed", "text-index", "reversed", "series", "object-text", "empty"],
)
def test_plain_frames_are_npy_columns_and_come_back_equal(frame):
    kind, back = _back(frame)
    assert kind == "frame" and type(back) is type(frame) and back.equals(frame)
    assert back.index.equals(frame.index) and back.index.dtype == frame.index.dtype
    if isinstance(frame, pd.DataFrame):
        assert list(back.dtypes) == list(frame.dtypes)


def test_what_data_cannot_hold_is_pickled():
    assert _back(pd.DataFrame({"c": pd.Categorical(["a", "b"])}))[0] == "pickle"
    assert _back(pd.DataFrame({"f": [Fraction(1, 2), 1]}))[0] == "pickle"
    assert _back([Fraction(1, 3)])[0] == "pickle"
    assert _back(10**5000)[0] == "pickle"  # past Python's int-to-text limit


def test_a_class_or_function_imported_by_name_is_stored_as_its_name():
    from collections import OrderedDict
    from os.path import join

    assert _back(OrderedDict) == ("ref", OrderedDict)
    assert _back(join) == ("ref", join)
