"""One metric's curve of many runs at once, for the experiment page's overlay.

The run view reads every series of one run; an overlay wants one series of
up to fifty runs. Reading them in one query (the ``(run_id, name, kind, step)``
index serves it) keeps the page's overlay one request, not fifty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from ..errors import BadInput, UnknownRun
from . import limits
from .base import MP, R, StoreBase

#: The kinds of series an overlay draws, preferred in this order: per-epoch
#: curves, then values logged with ``log_metric``. Batch series (up to 10⁵ points
#: a run) are the run view's, drawn from roll-ups.
CURVE_KINDS = ("epoch", "value")


@dataclass(frozen=True)
class Curve:
    """One run's points of a series: steps, epochs, times (seconds since the epoch), values;
    ``started`` the run's start, so a chart can count time from it."""

    run_id: int
    started: float | None
    steps: Sequence[int]
    epochs: Sequence[int | None]
    times: Sequence[float | None]
    values: Sequence[float | None]


@dataclass(frozen=True)
class Curves:
    """A metric's series for several runs, in the order asked, all of one kind."""

    name: str
    kind: str
    curves: tuple[Curve, ...]


class CurveReads(StoreBase):
    """The overlay's read: one series of many runs."""

    def curves(self, run_ids: Sequence[int], name: str, kind: str | None = None) -> Curves:
        """The series ``name`` of each run (empty where a run has none).

        ``kind`` ``None`` takes the first of :data:`CURVE_KINDS` any of the runs
        has, so a Keras metric is drawn per epoch and a logged one per step.
        """
        if kind is not None and kind not in CURVE_KINDS:
            raise BadInput(f"kind must be one of {', '.join(CURVE_KINDS)}, not {kind!r}")
        for run_id in run_ids:
            if not limits.known_run_id(run_id):
                raise UnknownRun(run_id)
        with self._transaction() as connection:
            started = dict(
                connection.execute(sa.select(R.c.id, R.c.started).where(R.c.id.in_(run_ids))).all()
            )
            missing = [i for i in run_ids if i not in started]
            if missing:
                raise UnknownRun(missing[0])
            chosen = kind or self._curve_kind(connection, run_ids, name)
            result = connection.execute(
                sa.select(MP.c.run_id, MP.c.step, MP.c.epoch, MP.c.time, MP.c.value)
                .where(MP.c.run_id.in_(run_ids), MP.c.name == name, MP.c.kind == chosen)
                .order_by(MP.c.run_id, MP.c.step)  # the index's order: no sort
            )
            # the driver's tuples as they come: 50 runs of 1,000 epochs without a record each
            rows = result.cursor.fetchall() if result.cursor is not None else []
        by_run = {
            run_id: _curve(run_id, started[run_id], list(points))
            for run_id, points in groupby(rows, key=itemgetter(0))
        }
        empty = Curve(0, None, (), (), (), ())
        return Curves(
            name,
            chosen,
            tuple(by_run.get(i, replace(empty, run_id=i, started=started[i])) for i in run_ids),
        )

    def _curve_kind(self, connection: sa.Connection, run_ids: Sequence[int], name: str) -> str:
        kinds = set(
            connection.execute(
                sa.select(MP.c.kind)
                .where(MP.c.run_id.in_(run_ids), MP.c.name == name, MP.c.kind.in_(CURVE_KINDS))
                .distinct()
            ).scalars()
        )
        return next((k for k in CURVE_KINDS if k in kinds), CURVE_KINDS[0])


def _curve(run_id: int, start: float | None, points: list[Any]) -> Curve:
    _, steps, epochs, times, values = zip(*points, strict=True)
    return Curve(run_id, start, steps, epochs, times, values)
