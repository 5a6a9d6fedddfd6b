"""The rows that group an experiment's runs into configurations and their repeats.

One read of the finished runs (code, data fingerprint, flat params) and one of
their final metric values: what :mod:`nbjournal.analysis.configurations` groups.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from . import query as run_query
from . import schema
from .limits import in_lists

if TYPE_CHECKING:
    from .base import StoreBase
    from .sql_types import Query

R = schema.runs
LM = schema.latest_metrics


@dataclass(frozen=True)
class RepeatRows:
    #: ``(id, experiment, code, data_fingerprint, params_flat)``, oldest first
    runs: list[tuple[int, str, str, str | None, str]]
    #: ``(run_id, metric name, last value, reported)``: ``reported`` when the cell gave it
    #: as a final value (no epoch), as a returned ``accuracy_score(...)`` is
    metrics: list[tuple[int, str, float | None, bool]]


@dataclass(frozen=True)
class ParamRows:
    #: ``(id, the JSON text of each named parameter's value, None where the run has none)``,
    #: oldest first
    runs: list[tuple[int, tuple[str | None, ...]]]
    #: as :attr:`RepeatRows.metrics`
    metrics: list[tuple[int, str, float | None, bool]]


def param_rows(
    store: StoreBase, experiment: str, names: Sequence[str], q: str | None = None
) -> ParamRows | None:
    """The finished runs of ``experiment`` that ``q`` matches, with only the values of the
    parameters ``names`` (what a group-by reads: not the whole documents); ``None`` when a
    name cannot be read so (:func:`.param_values.param_json`)."""
    from .param_values import param_json

    values = [param_json(name) for name in names]
    if any(v is None for v in values):
        return None
    one: Query = sa.select(R.c.id, *values).where(
        R.c.experiment == experiment, R.c.status == "finished", run_query.scope(q)
    )
    one = run_query.apply(one, q)
    with store._transaction() as connection:
        runs = connection.execute(one.order_by(R.c.id)).cursor.fetchall()
        metrics = connection.execute(_metrics_of(one.with_only_columns(R.c.id))).cursor.fetchall()
    return ParamRows(
        [(r[0], tuple(r[1:])) for r in runs], [(m[0], m[1], m[2], bool(m[3])) for m in metrics]
    )


def _metrics_of(runs: Query) -> Query:
    """The final value of every metric of the runs ``runs`` selects (their ids first)."""
    selected = runs.subquery()
    return sa.select(LM.c.run_id, LM.c.name, LM.c.last, LM.c.last_epoch.is_(None)).join(
        selected, selected.c.id == LM.c.run_id
    )


def repeat_rows(
    store: StoreBase,
    experiment: str | None = None,
    run_ids: Sequence[int] | None = None,
    q: str | None = None,
) -> RepeatRows:
    """Finished runs of ``experiment`` that the query ``q`` matches (or the runs ``run_ids``,
    whatever their state)."""
    columns = (R.c.id, R.c.experiment, R.c.code, R.c.data_fingerprint, R.c.params_flat)
    queries: list[Query]
    if run_ids is None:
        kept = sa.select(*columns).where(
            R.c.experiment == experiment, R.c.status == "finished", run_query.scope(q)
        )
        queries = [run_query.apply(kept, q)]
    else:
        queries = [
            sa.select(*columns).where(R.c.id.in_(chunk))
            for chunk in in_lists(sorted({int(i) for i in run_ids}))
        ]
    runs: list[Any] = []
    metrics: list[Any] = []
    with store._transaction() as connection:
        for one in queries:
            runs += connection.execute(one.order_by(R.c.id)).cursor.fetchall()
            metrics += connection.execute(_metrics_of(one)).cursor.fetchall()
    return RepeatRows([tuple(r) for r in runs], [(m[0], m[1], m[2], bool(m[3])) for m in metrics])


#: At most this many runs of one configuration are read for its noise (the newest).
MAX_REPEATS = 200


def twin_rows(
    store: StoreBase,
    run_id: int,
    metric: str,
    keep: Callable[[str], bool] | None = None,
    alike: tuple[str, str, str | None] | None = None,
) -> RepeatRows:
    """The finished, kept runs with ``run_id``'s experiment, code and data whose ``params_flat``
    passes ``keep`` (its repeats, and runs that differ in parameters only), with their
    final ``metric``; the newest :data:`MAX_REPEATS`. Cheap enough for a cell's start:
    ``alike`` (the run's experiment, code and data fingerprint, when the caller holds
    the run) spares reading them."""
    columns = (R.c.id, R.c.experiment, R.c.code, R.c.data_fingerprint, R.c.params_flat)
    with store._transaction() as connection:
        found = (
            alike
            or connection.execute(
                sa.select(R.c.experiment, R.c.code, R.c.data_fingerprint).where(R.c.id == run_id)
            ).first()
        )
        if found is None:
            return RepeatRows([], [])
        experiment, code, data = found
        same_data = R.c.data_fingerprint.is_(None) if data is None else R.c.data_fingerprint == data
        query = (
            sa.select(*columns)
            .where(
                R.c.experiment == experiment,
                R.c.status == "finished",
                R.c.code == code,
                same_data,
                schema.KEPT,  # a trashed run is no repeat to measure noise by
            )
            .order_by(R.c.id.desc())
            .limit(MAX_REPEATS)
        )
        runs = connection.execute(query).cursor.fetchall()
        if keep is not None:
            runs = [r for r in runs if keep(r[4] or "{}")]
        ids = [r[0] for r in runs]
        metrics = connection.execute(
            sa.select(LM.c.run_id, LM.c.name, LM.c.last, LM.c.last_epoch.is_(None)).where(
                LM.c.run_id.in_(ids), LM.c.name == metric
            )
        ).cursor.fetchall()
    return RepeatRows(
        [tuple(r) for r in reversed(runs)], [(m[0], m[1], m[2], bool(m[3])) for m in metrics]
    )
