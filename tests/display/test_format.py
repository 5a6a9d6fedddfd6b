"""Numbers a person reads show about 4 significant digits; stored values stay exact."""

from __future__ import annotations

import math

import pytest

from nbjournal.rules import format as fmt


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0010000000474974513, "0.001"),
        (0.10295800000000001, "0.103"),
        (0.95556, "0.9556"),
        (12.34567, "12.35"),
        (1234.5678, "1235"),
        (123456.0, "123,456"),
        (0.0, "0"),
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_numbers(value: float | None, shown: str) -> None:
    assert fmt.number(value) == shown


def test_durations_and_epochs() -> None:
    assert fmt.duration(0.0042) == "4 ms"
    assert fmt.duration(6.61) == "6.6 s"
    assert fmt.duration(125) == "2 min 05 s"
    assert fmt.duration(7300) == "2 h 01 min"
    assert fmt.epoch(0) == "1"
    assert fmt.epoch(None) == ""


def test_when_and_first_line() -> None:
    assert fmt.when(1000.0, now=1010.0) == "just now"
    assert fmt.when(1000.0, now=1000.0 + 600) == "10 min ago"
    assert fmt.when(1000.0, now=1000.0 + 7200) == "2 h ago"
    assert fmt.first_line("  first\nsecond") == "first"
    assert fmt.first_line("x" * 100, limit=10) == "x" * 9 + "…"


@pytest.mark.parametrize(
    ("mean", "half", "shown"),
    [
        (0.9593, 0.005238, "0.9593 ± 0.0052"),  # issue 21.12: not "0.9593 ± 0.005238"
        (0.9041, 0.01229, "0.9041 ± 0.0123"),
        (12.35, 0.4321, "12.35 ± 0.43"),
        (0.96, 0.00001234, "0.96 ± 1.2e-5"),
        (
            21.0,
            2.484,
            "21 ± 2.48",
        ),  # 21 is the mean to 4 digits: 21.00  # a ± the mean's decimals would show as 0
        (1234.6, 56.7, "1235 ± 57"),
        (0.5, math.nan, "0.5 ± –"),
    ],
)
def test_a_spread_is_shown_to_the_precision_of_its_mean(
    mean: float, half: float, shown: str
) -> None:
    assert fmt.spread(mean, half) == shown
