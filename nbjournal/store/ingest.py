"""Writing a batch of metric points: the statements of :meth:`Store.add_points`, as plain SQL.

A batch of 1,000 points costs the database about 2 ms to insert; the rest of
its transaction (the run touched, the roll-ups and the summary read and
written, the change number taken) cost as much again when each statement went
through SQLAlchemy's compile-and-bind path, about 60 µs each. So the
statements here are SQL text made once per dialect and run on the driver's
cursor: a handful of reads and writes whose parameters are plain tuples, with
roll-ups and summaries computed from the batch in Python (:mod:`.rollups`).

The order of the statements is the one :meth:`Store._changed` documents: the
run's row first (an unknown run fails before anything is written, and on
PostgreSQL its row lock orders writers of the same run), the change counter
last.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import BadInput, UnknownRun
from ..rules import metric_goals
from . import limits, rollups, schema
from .records import MetricPoint
from .rollups import PointRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.engine.interfaces import DBAPICursor

#: Columns of ``metric_points`` in the order :func:`point_rows` fills them.
POINT_COLUMNS = ("run_id", "name", "kind", "part", "step", "epoch", "value", "time")
_SUMMARY_COLUMNS = ("run_id", "name", "last", "last_epoch", "best", "best_epoch", "goal", "count")
_ROLLUP_COLUMNS = ("run_id", "name", "kind", "part", "bucket", "count", "points")


class PointWriter:
    """The SQL of one batch for one database dialect, made once per store."""

    def __init__(self, dialect: Dialect) -> None:
        quote = dialect.identifier_preparer.quote
        self.nan_is_null = dialect.name == "sqlite"  # SQLite stores a NaN as NULL
        mark = "?" if dialect.paramstyle == "qmark" else "%s"

        def insert(table: str, columns: Sequence[str], keys: Sequence[str] = ()) -> str:
            names = ", ".join(quote(c) for c in columns)
            sql = (
                f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join([mark] * len(columns))})"
            )
            if keys:
                updates = ", ".join(
                    f"{quote(c)} = excluded.{quote(c)}" for c in columns if c not in keys
                )
                sql += f" ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {updates}"
            return sql

        runs, counter = quote(schema.runs.name), quote(schema.change_counter.name)
        rollup, points = quote(schema.metric_rollups.name), quote(schema.metric_points.name)
        self.touch = f"UPDATE {runs} SET updated = {mark}, heartbeat = {mark} WHERE id = {mark}"
        self.insert_points = insert(schema.metric_points.name, POINT_COLUMNS)
        self.upsert_rollups = insert(
            schema.metric_rollups.name,
            _ROLLUP_COLUMNS,
            ("run_id", "name", "kind", "part", "bucket"),
        )
        self.upsert_summaries = insert(
            schema.latest_metrics.name, _SUMMARY_COLUMNS, ("run_id", "name")
        )
        self.summaries = (
            f"SELECT name, {quote('last')}, last_epoch, best, best_epoch, goal, {quote('count')}"
            f" FROM {quote(schema.latest_metrics.name)} WHERE run_id = {mark}"
        )
        series = f"run_id = {mark} AND name = {mark} AND kind = {mark} AND part = {mark}"
        self._last_rollup = (
            f"SELECT * FROM (SELECT name, kind, part, bucket, {quote('count')}, points"
            f" FROM {rollup} WHERE {series} ORDER BY bucket DESC LIMIT 1) AS r"
        )
        self.older_point = f"SELECT step FROM {points} WHERE {series} LIMIT 1"
        self.first_change = f"SELECT MAX(change_seq) FROM {runs}"
        self.start_counter = f"INSERT INTO {counter} (id, value) VALUES (1, {mark})"
        self.bump = f"UPDATE {counter} SET value = value + 1 WHERE id = 1"
        current = f"(SELECT value FROM {counter} WHERE id = 1)"
        self.stamp = f"UPDATE {runs} SET change_seq = {current} WHERE id = {mark}"
        self.stamp_finals = (
            f"UPDATE {runs} SET change_seq = {current}, final_metrics = {mark} WHERE id = {mark}"
        )
        self._last_rollups: dict[int, str] = {}

    def last_rollups(self, count: int) -> str:
        """One statement reading the newest roll-up row of ``count`` series."""
        sql = self._last_rollups.get(count)
        if sql is None:
            sql = " UNION ALL ".join(
                [self._last_rollup.replace(") AS r", f") AS r{i}") for i in range(count)]
            )
            self._last_rollups[count] = sql
        return sql

    def write(self, cursor: DBAPICursor, run_id: int, rows: list[PointRow], now: float) -> None:
        """Write checked point rows (:func:`point_rows`) and everything kept with them."""
        cursor.execute(self.touch, (now, now, run_id))
        if cursor.rowcount == 0:
            raise UnknownRun(run_id)
        self._fold_rollups(cursor, run_id, rows)
        cursor.executemany(self.insert_points, rows)
        summarised = [row for row in rows if row[2] != "batch"]
        finals = self._fold_summaries(cursor, run_id, summarised) if summarised else None
        cursor.execute(self.bump)
        if cursor.rowcount == 0:  # a database made from schema.metadata, not by the migrations
            cursor.execute(self.first_change)
            first = cursor.fetchone()
            cursor.execute(self.start_counter, (((first[0] if first else 0) or 0) + 1,))
        if finals is None:
            cursor.execute(self.stamp, (run_id,))
        else:
            cursor.execute(self.stamp_finals, (finals, run_id))

    def _fold_rollups(self, cursor: DBAPICursor, run_id: int, rows: list[PointRow]) -> None:
        series: dict[tuple[str, str, int], list[PointRow]] = {}
        for row in rows:
            key = (row[1], row[2], row[3])
            found = series.get(key)
            if found is None:
                series[key] = [row]
            else:
                found.append(row)
        keys = list(series)
        cursor.execute(self.last_rollups(len(keys)), [v for key in keys for v in (run_id, *key)])
        last: dict[tuple[str, str, int], rollups.Newest] = {
            (name, kind, part): (bucket, count, points)
            for name, kind, part, bucket, count, points in cursor.fetchall()
        }
        for key in keys:
            if key not in last:  # the series' first points, or points from before roll-ups
                cursor.execute(self.older_point, (run_id, *key))
                last[key] = rollups.OLDER_POINTS if cursor.fetchone() is not None else None
        changed = rollups.fold(run_id, series, last)
        if changed:
            cursor.executemany(self.upsert_rollups, changed)

    def _fold_summaries(self, cursor: DBAPICursor, run_id: int, rows: list[PointRow]) -> str:
        """Fold point rows into ``latest_metrics``; returns ``runs.final_metrics`` as JSON.

        Every summary of the run is read (a run has a few metrics): the final
        values of those this batch does not touch are needed too.
        """
        series: dict[str, list[PointRow]] = {}
        for row in rows:
            found = series.get(row[1])
            if found is None:
                series[row[1]] = [row]
            else:
                found.append(row)
        cursor.execute(self.summaries, (run_id,))
        known = {row[0]: row for row in cursor.fetchall()}
        finals = {name: row[1] for name, row in known.items()}
        summaries = []
        for name, points in series.items():
            goal = metric_goals.goal(name)
            old = known.get(name)
            best, best_epoch, stored_goal, count = (
                (None, None, goal, 0) if old is None else (old[3], old[4], old[5], old[6])
            )
            numbers = rollups.with_numbers(points)
            if numbers:
                # The first of the batch's extremes, as a strictly-better walk keeps it.
                top = (min if goal == "min" else max)(numbers, key=rollups.value)
                if top[6] is not None and metric_goals.better_for_goal(goal, top[6], best):
                    best, best_epoch = top[6], top[5]
            last = points[-1]
            summaries.append(
                (run_id, name, last[6], last[5], best, best_epoch, stored_goal, count + len(points))
            )
            value = last[6]
            finals[name] = (
                None if self.nan_is_null and value is not None and value != value else value
            )
        cursor.executemany(self.upsert_summaries, summaries)
        return json.dumps(dict(sorted(finals.items())), separators=(",", ":"))


def point_rows(
    run_id: int, points: Sequence[MetricPoint], now: float
) -> tuple[list[PointRow], list[str]]:
    """Points as driver rows (numbers made plain ``int``/``float``), and why any was left out.

    A point the journal cannot store (see :func:`limits.point_problem`) is
    left out with its reason. Plain ints and known names pass without the
    full check: a batch of 1,000 points checks each of its names once.
    """
    rows: list[PointRow] = []
    rejected: list[str] = []
    names: set[str] = set()
    low, high = limits.STEP_MIN, limits.STEP_MAX
    for point in points:
        name, step, epoch, value, part = (
            point.name,
            point.step,
            point.epoch,
            point.value,
            point.part,
        )
        if not (
            type(name) is str
            and name in names
            and type(step) is int
            and low <= step <= high
            and (epoch is None or (type(epoch) is int and low <= epoch <= high))
        ):
            problem = limits.point_problem(name, step, epoch)
            if problem is not None:
                rejected.append(problem)
                continue
            names.add(name)
        elif (
            (value is None or type(value) is float)
            and type(part) is int
            and type(moment := point.time) is float
            and moment
        ):  # the common case, as the recorder hands them over: nothing to convert
            rows.append((run_id, name, point.kind, part, step, epoch, value, moment))
            continue
        rows.append(point_row(run_id, point, now))
    return rows, rejected


def point_row(run_id: int, point: MetricPoint, now: float) -> PointRow:
    """A point as driver parameters: numbers made plain ``int``/``float``.

    User code hands over numpy scalars (``log_metric(np.mean(x))``); sqlite3
    would store a numpy integer as a blob of bytes, silently.
    """
    value, epoch, part, step = point.value, point.epoch, point.part, point.step
    try:
        return (
            run_id,
            point.name,
            point.kind,
            part if type(part) is int else int(part),
            step if type(step) is int else int(step),
            epoch if epoch is None or type(epoch) is int else int(epoch),
            value if value is None or type(value) is float else float(value),
            float(point.time or now),
        )
    except (TypeError, ValueError):
        raise BadInput(
            f"metric {point.name!r} at step {point.step!r}: {point.value!r} is not a number"
        ) from None
