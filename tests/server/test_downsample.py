"""The down-sampler: at most N points, first and last kept, extremes kept, spikes survive."""

from __future__ import annotations

import math
import random

import pytest

from nbjournal.server.downsample import downsample


def kept_values(values: list[float | None], max_points: int) -> list[float | None]:
    return [values[i] for i in downsample(values, max_points)]


def test_a_short_series_is_kept_whole() -> None:
    # Given a series within budget, When down-sampled, Then nothing is dropped
    assert downsample([3.0, 1.0, 2.0], 10) == [0, 1, 2]
    assert downsample([3.0, 1.0], 2) == [0, 1]
    assert downsample([], 5) == []


@pytest.mark.parametrize("length", [3, 10, 101, 1000, 4999])
@pytest.mark.parametrize("max_points", [2, 3, 4, 5, 10, 100, 1000])
def test_never_more_than_the_budget_and_always_the_ends(length: int, max_points: int) -> None:
    # Given a noisy series
    rng = random.Random(length * 7919 + max_points)
    values = [rng.gauss(0, 1) for _ in range(length)]

    # When it is down-sampled
    kept = downsample(values, max_points)

    # Then the budget holds, indices are unique and ascending, and the ends are there
    assert len(kept) <= max_points
    assert kept == sorted(set(kept))
    assert kept[0] == 0 and kept[-1] == length - 1
    if length > max_points >= 4:
        # And so are the global extremes
        assert values.index(min(values)) in kept
        assert values.index(max(values)) in kept
        # And most of the budget is used, so the chart is not needlessly coarse
        assert len(kept) >= max_points - 3


def test_a_one_point_spike_survives() -> None:
    # Given a flat loss of 100,000 batches with one spike and one dip
    values = [1.0] * 100_000
    values[31_337] = 9.0
    values[77_777] = -4.0

    # When it is reduced to 100 points
    kept = downsample(values, 100)

    # Then both anomalies are among them
    assert 31_337 in kept and 77_777 in kept
    assert len(kept) <= 100


def test_a_spike_survives_next_to_the_ends() -> None:
    # Given spikes right after the first point and right before the last one
    values = [0.0] * 1000
    values[1], values[998] = 5.0, -5.0

    # When reduced hard
    kept = downsample(values, 6)

    # Then they are kept along with the ends
    assert {0, 1, 998, 999} <= set(kept)


def test_the_shape_of_a_wave_is_kept() -> None:
    # Given ten periods of a sine wave over 10,000 points
    values = [math.sin(2 * math.pi * 10 * i / 10_000) for i in range(10_000)]

    # When reduced to 202 points (100 buckets of 100 points, a quarter period each)
    kept = kept_values(values, 202)

    # Then every crest and trough is still there
    assert sum(1 for v in kept if v is not None and v > 0.999) >= 10
    assert sum(1 for v in kept if v is not None and v < -0.999) >= 10


def test_a_monotonic_curve_stays_monotonic() -> None:
    # Given a smoothly decreasing loss
    values = [1.0 / (1 + i) for i in range(50_000)]

    # When reduced
    kept = kept_values(values, 500)

    # Then it still decreases from the first value to the last
    assert kept == sorted(kept, reverse=True)
    assert kept[0] == 1.0 and kept[-1] == values[-1]


def test_gaps_are_never_extremes_but_still_show() -> None:
    # Given a curve that becomes NaN, with a stretch of missing values
    values: list[float | None] = [float(i % 10) for i in range(1000)]
    values[400:600] = [None] * 200
    values[800] = math.nan

    # When reduced to 50 points (24 buckets of about 42)
    kept = downsample(values, 50)

    # Then a gap-only bucket keeps one point (so the chart shows the hole)
    assert any(400 <= i < 600 for i in kept)
    # And buckets with numbers keep numbers: no NaN was picked over the 0 and 9 beside it
    assert 800 not in kept
    assert all(values[i] is not None for i in kept if not 400 <= i < 600)


def test_infinities_are_extremes() -> None:
    # Given a loss that blows up to +inf in one place and -inf in another bucket's neighbour
    values = [1.0] * 1000
    values[300] = math.inf
    values[301] = -math.inf
    values[700] = math.inf

    # When reduced
    kept = downsample(values, 20)

    # Then the infinities are kept as the extremes they are
    assert {300, 301, 700} <= set(kept)


def test_a_budget_below_two_is_refused() -> None:
    # Given a series, When the budget cannot even hold its ends, Then it is an error
    with pytest.raises(ValueError, match="at least 2"):
        downsample([1.0, 2.0, 3.0], 1)
