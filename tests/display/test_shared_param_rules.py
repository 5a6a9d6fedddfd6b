"""Parameter rules that live in Python and in the lab extension (``rules/params.flatten`` =
``formatters.flatten``, ``grid_table.varying_axes`` = ``gridCharts.varyingAxes``) say the same
on one table of cases, which the jest suite reads too."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from nbjournal.analysis.grid_table import varying_axes
from nbjournal.rules.params import flatten

CASES = json.loads(
    (Path(__file__).parents[2] / "labextension/src/__tests__/cases/params.json").read_text(
        encoding="utf-8"
    )
)


@pytest.mark.parametrize(("nested", "flat"), CASES["flatten"])
def test_flatten_says_what_the_sidebar_says(nested: dict[str, Any], flat: dict[str, Any]) -> None:
    assert flatten(nested) == flat
    assert list(flatten(nested)) == list(flat)  # the same order too


@pytest.mark.parametrize(("values", "axes"), CASES["varying_axes"])
def test_varying_axes_says_what_the_sidebar_says(
    values: list[dict[str, Any]], axes: list[str]
) -> None:
    rows: Any = [SimpleNamespace(values=v) for v in values]
    assert varying_axes(rows) == axes
