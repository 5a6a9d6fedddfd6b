"""The one number format (issue 21.12): ``rules/format.py`` says every case of the table the lab
extension's ``formatters.ts`` is tested against too, so the kernel and the sidebar agree."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from nbjournal.rules import format as fmt

CASES = json.loads(
    (Path(__file__).parents[2] / "labextension/src/__tests__/cases/number_format.json").read_text(
        encoding="utf-8"
    )
)
_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _value(raw: Any) -> Any:
    return _FLOATS.get(raw, raw) if isinstance(raw, str) else raw


@pytest.mark.parametrize(("value", "text"), CASES["number"])
def test_a_number_reads_as_the_table_says(value: Any, text: str) -> None:
    assert fmt.number(_value(value)) == text


@pytest.mark.parametrize(("values", "texts"), CASES["column"])
def test_a_column_of_numbers_has_one_notation(values: list[Any], texts: list[str]) -> None:
    assert fmt.numbers([_value(v) for v in values]) == texts


@pytest.mark.parametrize(("mean", "half", "text"), CASES["spread"])
def test_a_spread_is_shown_to_the_precision_of_its_mean(mean: float, half: Any, text: str) -> None:
    assert fmt.spread(mean, _value(half)) == text


@pytest.mark.parametrize(("value", "text"), CASES["size"])
def test_a_size_reads_as_the_table_says(value: int | None, text: str) -> None:
    assert fmt.size(value) == text


@pytest.mark.parametrize(("value", "text"), CASES["share"])
def test_a_share_reads_as_a_whole_percent(value: Any, text: str) -> None:
    assert fmt.share(value) == text


@pytest.mark.parametrize(("values", "texts"), CASES["param_column"])
def test_a_column_of_parameters_has_one_notation(values: list[Any], texts: list[str]) -> None:
    assert fmt.params(values) == texts


@pytest.mark.parametrize(("value", "text"), CASES["param"])
def test_a_parameter_reads_as_the_table_says(value: Any, text: str) -> None:
    assert fmt.param(value) == text
