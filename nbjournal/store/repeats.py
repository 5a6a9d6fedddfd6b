"""The rows that group an experiment's runs into configurations and their repeats.

One read of the finished runs (code, data fingerprint, flat params) and one of
their final metric values: what :mod:`nbjournal.analysis.configurations` groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from . import schema
from .limits import in_lists

R = schema.runs
LM = schema.latest_metrics


@dataclass(frozen=True)
class RepeatRows:
    #: ``(id, experiment, code, data_fingerprint, params_flat)``, oldest first
    runs: list[tuple[int, str, str, str | None, str]]
    #: ``(run_id, metric name, last value, reported)``: ``reported`` when the cell gave it
    #: as a final value (no epoch), as a returned ``accuracy_score(...)`` is
    metrics: list[tuple[int, str, float | None, bool]]


def repeat_rows(
    store: Any, experiment: str | None = None, run_ids: Sequence[int] | None = None
) -> RepeatRows:
    """Finished runs of ``experiment`` (or the runs ``run_ids``, whatever their state)."""
    columns = (R.c.id, R.c.experiment, R.c.code, R.c.data_fingerprint, R.c.params_flat)
    if run_ids is None:
        queries = [
            sa.select(*columns).where(R.c.experiment == experiment, R.c.status == "finished")
        ]
    else:
        queries = [
            sa.select(*columns).where(R.c.id.in_(chunk))
            for chunk in in_lists(sorted({int(i) for i in run_ids}))
        ]
    runs: list[Any] = []
    metrics: list[Any] = []
    with store._transaction() as connection:
        for query in queries:
            selected = query.subquery()
            runs += connection.execute(query.order_by(R.c.id)).cursor.fetchall()
            metrics += connection.execute(
                sa.select(LM.c.run_id, LM.c.name, LM.c.last, LM.c.last_epoch.is_(None)).join(
                    selected, selected.c.id == LM.c.run_id
                )
            ).cursor.fetchall()
    return RepeatRows([tuple(r) for r in runs], [(m[0], m[1], m[2], bool(m[3])) for m in metrics])
