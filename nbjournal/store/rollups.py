"""Roll-ups of long metric series: a chart of a million points read from a thousand rows.

Reading every point of a long series to draw 1,000 of them cost a second on a
run of 10⁶ points, nearly all of it in the database driver. So as points are
written, each run of :data:`BUCKET` consecutive points of a series (a
``(name, kind, part)``) keeps a row with its first, smallest, largest and
last point. The min/max down-sampler (:mod:`nbjournal.server.downsample`)
run over those candidates keeps what it would keep over all the points: the
ends of the curve and the extremes of every stretch of it.

A series whose points were written before roll-ups existed gets a marker row
(``bucket`` = -1) instead, and is read point by point as before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import itemgetter

import sqlalchemy as sa

from . import schema

#: Consecutive points of a series per roll-up row.
BUCKET = 1000
#: Series longer than this (with roll-ups enough for the chart's budget) are drawn from them.
ROLLUP_ABOVE = 20_000
UNROLLED = -1
#: What :func:`fold` is told of a series with points but no roll-up row (written before them).
OLDER_POINTS = "older points"

RU = schema.metric_rollups
MP = schema.metric_points

Point = list[float | None]  # [step, epoch, value]
#: A metric point as the driver writes it: ``run_id, name, kind, part, step, epoch, value, time``.
PointRow = tuple[int, str, str, int, int, int | None, float | None, float]
#: A roll-up as the driver writes it: ``run_id, name, kind, part, bucket, count, points JSON``.
RollupRow = tuple[int, str, str, int, int, int, str]
#: A series' newest roll-up ``(bucket, count, points JSON)``, ``None`` or :data:`OLDER_POINTS`.
Newest = tuple[int, int, str] | str | None


def fold(
    run_id: int,
    series: dict[tuple[str, str, int], list[PointRow]],
    last: dict[tuple[str, str, int], Newest],
) -> list[RollupRow]:
    """The roll-up rows to write for a batch (``run_id, name, kind, part, bucket, count, points``).

    ``series`` holds the batch's point rows (``run_id, name, kind, part, step,
    epoch, value, time``) by series; ``last`` each series' newest roll-up row
    as ``(bucket, count, points JSON)``, ``None`` for a series with no points
    yet, or :data:`OLDER_POINTS` for one with points written before roll-ups
    existed (it is then marked :data:`UNROLLED`, once, and left alone).
    """
    changed = []
    for (name, kind, part), points in series.items():
        newest = last.get((name, kind, part))
        if isinstance(newest, str):  # OLDER_POINTS
            changed.append(_row(run_id, name, kind, part, UNROLLED, 0, []))
            continue
        if newest is None:
            bucket, count, kept = 0, 0, None
        elif newest[0] == UNROLLED:
            continue
        else:
            bucket, count, kept = newest[0], newest[1], json.loads(newest[2])
        start = 0
        while start < len(points):
            if count >= BUCKET:
                changed.append(_row(run_id, name, kind, part, bucket, count, kept))
                bucket, count, kept = bucket + 1, 0, None
            chunk = points[start : start + BUCKET - count]
            kept = _merge(kept, chunk)
            count += len(chunk)
            start += len(chunk)
        changed.append(_row(run_id, name, kind, part, bucket, count, kept))
    return changed


def candidates(
    connection: sa.Connection, run_id: int, budget: int
) -> tuple[dict[tuple[str, str, int], tuple[int, list[Point]]], set[tuple[str, str]]]:
    """Long series as ``(total, candidate points in step order)``; and the other series' keys.

    The other keys (``(name, kind)``) are to be read point by point; an empty
    answer (no roll-ups at all: a run written before them) means "read everything".
    """
    rows = connection.execute(
        sa.select(RU.c.name, RU.c.kind, RU.c.part, RU.c.bucket, RU.c.count, RU.c.points)
        .where(RU.c.run_id == run_id)
        .order_by(RU.c.name, RU.c.kind, RU.c.part, RU.c.bucket)
    ).all()
    totals: dict[tuple[str, str, int], int] = {}
    for name, kind, part, bucket, count, _ in rows:
        if bucket != UNROLLED:
            totals[(name, kind, part)] = totals.get((name, kind, part), 0) + count
    # Long enough that its roll-ups hold at least two candidates per point the chart keeps
    # (first, low, high, last per bucket): then they fill the budget as all the points would.
    long = {
        key
        for key, total in totals.items()
        if total > ROLLUP_ABOVE and 4 * -(-total // BUCKET) >= 2 * budget
    }
    found: dict[tuple[str, str, int], tuple[int, list[Point]]] = {}
    others: set[tuple[str, str]] = set()
    for name, kind, part, _bucket, _, points in rows:
        key = (name, kind, part)
        if key not in long:
            others.add((name, kind))
            continue
        kept = found.setdefault(key, (totals[key], []))[1]
        first, low, high, last = json.loads(points)
        for point in sorted({tuple(p) for p in (first, low, high, last)}, key=lambda p: p[0]):
            kept.append(list(point))
    return found, others


def _merge(kept: list[Point] | None, rows: Sequence[PointRow]) -> list[Point]:
    """``kept`` (first, low, high, last) with the point rows ``rows`` folded in, at C speed."""
    numbers = with_numbers(rows)
    first, last = _point(rows[0]), _point(rows[-1])
    kept = [first, first, first, last] if kept is None else [kept[0], kept[1], kept[2], last]
    if numbers:
        low = _point(min(numbers, key=_value))
        high = _point(max(numbers, key=_value))
        smallest, largest = low[2], high[2]  # numbers: never None
        kept_low, kept_high = kept[1][2], kept[2][2]
        if (
            kept_low is None
            or not _number(kept_low)
            or (smallest is not None and smallest < kept_low)
        ):
            kept[1] = low
        if (
            kept_high is None
            or not _number(kept_high)
            or (largest is not None and largest > kept_high)
        ):
            kept[2] = high
    return kept


#: A point row's value (``min(rows, key=value)`` at C speed).
value = itemgetter(6)
_value = value


def with_numbers(rows: Sequence[PointRow]) -> Sequence[PointRow]:
    """The point rows whose value is a number (not ``None``, not NaN), in their order.

    Nearly every batch is all numbers: one C-speed ``sum`` tells, NaN being
    contagious and ``None`` refusing to add, before any pass in Python.
    """
    try:
        if (total := sum(map(value, rows))) == total:
            return rows
    except TypeError:
        pass
    return [row for row in rows if _number(row[6])]


def _point(row: PointRow) -> Point:
    return [row[4], row[5], row[6]]


def _row(
    run_id: int,
    name: str,
    kind: str,
    part: int,
    bucket: int,
    count: int,
    points: list[Point] | None,
) -> RollupRow:
    return (run_id, name, kind, part, bucket, count, json.dumps(points))


def _number(value: object) -> bool:
    return value is not None and value == value
