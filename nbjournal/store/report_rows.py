"""What the lab-notebook report reads of one experiment, in three queries rather than a few
per run: the kept runs' procedure columns, their inferences, and one metric's epoch series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from . import schema
from .serialize import loads

if TYPE_CHECKING:
    from .base import StoreBase

R = schema.runs
INF = schema.inferences
MP = schema.metric_points


@dataclass(frozen=True)
class ReportRows:
    #: run id → ``{"code", "data", "checks", "nearest"}`` (decoded)
    procedures: dict[int, dict[str, Any]]
    #: ``(id, run_id, text, verdict)`` oldest first
    #: (id, run id, text, verdict, evidence: the runs it rests on and the rule's answer)
    inferences: list[tuple[int, int, str, str | None, dict[str, object] | None]]
    #: run id → ``[(epoch or step, value)]`` of the metric asked for (first part), in step order
    series: dict[int, list[tuple[float, float]]]


def report_rows(store: StoreBase, experiment: str, metric: str | None) -> ReportRows:
    kept = sa.select(R.c.id).where(R.c.experiment == experiment, schema.KEPT)
    procedures: dict[int, dict[str, Any]] = {}
    series: dict[int, list[tuple[float, float]]] = {}
    with store._transaction() as connection:
        for row in connection.execute(
            sa.select(R.c.id, R.c.code, R.c.data, R.c.checks, R.c.nearest).where(
                R.c.id.in_(kept.scalar_subquery())
            )
        ):
            procedures[row.id] = {
                "code": row.code or "",
                "data": loads(row.data, []),
                "checks": loads(row.checks, {}),
                "nearest": loads(row.nearest, None) if row.nearest else None,
            }
        inferences = [
            (r.id, r.run_id, r.text, r.verdict, loads(r.evidence, None) if r.evidence else None)
            for r in connection.execute(
                sa.select(INF.c.id, INF.c.run_id, INF.c.text, INF.c.verdict, INF.c.evidence)
                .where(INF.c.run_id.in_(kept.scalar_subquery()))
                .order_by(INF.c.id)
            )
        ]
        if metric is not None:
            first: dict[int, int] = {}
            for run_id, part, step, epoch, value in connection.execute(
                sa.select(MP.c.run_id, MP.c.part, MP.c.step, MP.c.epoch, MP.c.value)
                .where(
                    MP.c.run_id.in_(kept.scalar_subquery()),
                    MP.c.name == metric,
                    MP.c.kind == "epoch",
                )
                .order_by(MP.c.run_id, MP.c.part, MP.c.step)
            ).cursor.fetchall():
                if first.setdefault(run_id, part) != part or value is None:
                    continue
                series.setdefault(run_id, []).append(
                    (float(epoch if epoch is not None else step), float(value))
                )
    return ReportRows(procedures, inferences, series)
