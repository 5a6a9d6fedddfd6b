"""Down-sampling a metric series for the sidebar's charts.

A chart a few hundred pixels wide cannot show 100,000 batch losses, and must
not lose what matters in them: where the curve starts and ends, and its
extremes (a loss spike, the best accuracy). Min/max bucketing keeps exactly
those. Each bucket of consecutive points gives its smallest and its largest
value, so a one-point spike always survives, which plain striding or
averaging would erase.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

#: The smallest budget the down-sampler accepts: the first and the last point.
MIN_POINTS = 2


def downsample(values: Sequence[float | None], max_points: int) -> list[int]:
    """Indices, ascending, of at most ``max_points`` points that keep the shape of ``values``.

    The first and last points are always kept; the rest of the budget is spent
    two points per bucket of consecutive points (the bucket's minimum and
    maximum), so the global minimum and maximum are kept whenever
    ``max_points >= 4``. ``None`` and NaN are gaps: they are never an extreme,
    and a bucket holding nothing else keeps its first point so the gap shows.

    Returning indices rather than values lets the caller keep whatever rides
    along with each value (step, epoch, time).
    """
    if max_points < MIN_POINTS:
        raise ValueError(f"max_points must be at least {MIN_POINTS}, not {max_points}")
    count = len(values)
    if count <= max_points:
        return list(range(count))
    buckets = (max_points - 2) // 2
    inner = count - 2
    keep = [0]
    for bucket in range(buckets):
        start = 1 + bucket * inner // buckets
        stop = 1 + (bucket + 1) * inner // buckets
        keep.extend(_extremes(values, start, stop))
    keep.append(count - 1)
    return keep


def _extremes(values: Sequence[float | None], start: int, stop: int) -> list[int]:
    """Indices of the smallest and largest comparable value in ``values[start:stop]``."""
    bucket = values[start:stop]
    low, high = _extremes_of_numbers(bucket) if None not in bucket else (-1, -1)
    if low < 0:
        low, high = _extremes_with_gaps(bucket)
        if low < 0:
            return [start]
    if low == high:
        return [start + low]
    return [start + low, start + high] if low < high else [start + high, start + low]


def _extremes_of_numbers(bucket: Sequence[float | None]) -> tuple[int, int]:
    """The built-ins at C speed, when no NaN hides in ``bucket`` (it would make the sum NaN)."""
    numbers = cast("Sequence[float]", bucket)
    total = sum(numbers)
    if total != total:
        return -1, -1
    return numbers.index(min(numbers)), numbers.index(max(numbers))


def _extremes_with_gaps(bucket: Sequence[float | None]) -> tuple[int, int]:
    """Like the built-ins, skipping ``None`` and NaN; ``(-1, -1)`` when only gaps remain."""
    low = high = -1
    low_value = high_value = 0.0
    for index, value in enumerate(bucket):
        if value is None or value != value:
            continue
        if low < 0:
            low = high = index
            low_value = high_value = value
        elif value < low_value:
            low, low_value = index, value
        elif value > high_value:
            high, high_value = index, value
    return low, high
