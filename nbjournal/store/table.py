"""The experiment page's runs table: one query per page, filtered and sorted by the database.

An experiment of 10,000 runs is read a page at a time: the database counts,
filters (:mod:`.query`) and sorts, and only the page's runs are turned into
rows. Which parameters vary in the experiment, and which of them only mirror
another (:mod:`nbjournal.rules.mirrors`), is read once per change of the
experiment (cached on a token of its runs' last update), since a sweep's
columns are the parameters it swept.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import BadInput
from ..rules import metric_goals
from ..rules.mirrors import mirrored_by, mirrors
from ..rules.seeds import is_seed_like
from . import limits, query, schema, vocabulary
from .limits import in_lists
from .param_values import param_value
from .serialize import loads

if TYPE_CHECKING:
    from .sql_types import Expression

R = schema.runs
LM = schema.latest_metrics

#: Columns every row has, sortable by these names.
FIXED_COLUMNS = ("id", "status", "started", "duration", "verdict", "inference")
ORDERS = ("asc", "desc")


@dataclass(frozen=True)
class TableRow:
    id: int
    status: str
    started: float
    duration: float | None
    verdict: str | None
    inference: str | None
    params: dict[str, Any]
    metrics: dict[str, float | None]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExperimentTable:
    experiment: str
    key_metric: str | None
    params: tuple[str, ...]
    metrics: tuple[str, ...]
    total: int
    rows: tuple[TableRow, ...]
    #: kept parameter → the parameters that only mirror it (``lr`` → ``optimizer.learning_rate``)
    mirrors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class Columns:
    """What varies in each experiment, remembered until one of its runs changes."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[tuple[Any, ...], tuple[Any, ...]]] = {}
        self._lock = threading.Lock()

    def of(
        self, connection: sa.Connection, experiment: str
    ) -> tuple[tuple[str, ...], tuple[str, ...], str | None, dict[str, tuple[str, ...]]]:
        """``(varying params, metric names with the key metric first, key metric, mirrors)``."""
        token = tuple(
            connection.execute(
                sa.select(sa.func.count(), sa.func.max(R.c.updated)).where(
                    R.c.experiment == experiment, schema.KEPT
                )
            ).one()
        )
        with self._lock:
            cached = self._cache.get(experiment)
        if cached is not None and cached[0] == token:
            return cached[1]
        metrics, key = _metric_columns(connection, experiment)
        params, mirrored = varying_params(connection, experiment)
        value = (params, metrics, key, mirrored)
        with self._lock:
            self._cache[experiment] = (token, value)
        return value


def read(
    connection: sa.Connection,
    columns: Columns,
    experiment: str,
    *,
    q: str | None = None,
    sort: str | None = None,
    order: str | None = None,
    offset: int = 0,
    limit: int | None = 100,
) -> ExperimentTable:
    """One page of the experiment's table (``limit=None``: every row, for the CSV)."""
    if sort is not None:
        limits.text("sort", sort, limits.NAME_MAX + len("metric."))
    params, metrics, key, mirrored = columns.of(connection, experiment)
    direction = (order or "desc").lower()
    if direction not in ORDERS:
        raise BadInput(f"order must be asc or desc, not {order!r}")
    parsed = vocabulary.check(connection, q, experiment)
    base = query.apply(sa.select(R.c.id).where(R.c.experiment == experiment, query.scope(q)), q)
    total = connection.execute(sa.select(sa.func.count()).select_from(base.subquery())).scalar()
    if not total:
        vocabulary.explain_empty(connection, parsed, experiment)
    # First the page's ids (sorted, cut), then its rows: the verdict and inference of 100 runs
    # are read, not those of every run the sort walks.
    columns_read = sa.select(R.c.id)
    metric = _sorting_metric(sort, metrics)
    if metric is not None:  # a join sorts 10,000 runs faster than a subquery per run
        sorted_by = LM.alias("sorted_by")
        columns_read = columns_read.select_from(
            R.outerjoin(
                sorted_by, sa.and_(sorted_by.c.run_id == R.c.id, sorted_by.c.name == metric)
            )
        )
        keys = _ordered([sorted_by.c.last], direction)
    else:
        keys = _sort_keys(sort, direction)
    page = query.apply(columns_read.where(R.c.experiment == experiment, query.scope(q)), q)
    page = page.order_by(*keys, R.c.id.desc())
    page = page.offset(offset)
    if limit is not None:
        page = page.limit(limit)
    ids = list(connection.execute(page).scalars())
    verdict = query.latest_verdict().label("verdict")
    inference = query.latest_inference_text().label("inference")
    by_id = {}
    for chunk in in_lists(ids):
        for r in connection.execute(
            sa.select(
                R.c.id,
                R.c.status,
                R.c.started,
                R.c.ended,
                R.c.params_flat,
                R.c.tags,
                verdict,
                inference,
            ).where(R.c.id.in_(chunk))
        ):
            by_id[r.id] = r
    found = [by_id[i] for i in ids]
    finals: dict[int, dict[str, float | None]] = {}
    for chunk in in_lists(ids):
        for run_id, name, last in connection.execute(
            sa.select(LM.c.run_id, LM.c.name, LM.c.last).where(LM.c.run_id.in_(chunk))
        ):
            finals.setdefault(run_id, {})[name] = last
    rows = tuple(
        TableRow(
            id=r.id,
            status=r.status,
            started=r.started,
            duration=None if r.ended is None else r.ended - r.started,
            verdict=r.verdict,
            inference=r.inference,
            params=_picked(loads(r.params_flat, {}), params),
            metrics=finals.get(r.id, {}),
            tags=tuple(loads(r.tags, [])),
        )
        for r in found
    )
    return ExperimentTable(experiment, key, params, metrics, int(total or 0), rows, mirrored)


def varying_params(
    connection: sa.Connection, experiment: str
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Flat parameter names whose value differs between the experiment's runs, or that some
    runs lack (every parameter when the experiment has a single run), and which of them only
    mirror another (:mod:`nbjournal.rules.mirrors`): ``kept name → its mirrors``."""
    flats = [
        loads(text, {})
        for (text,) in connection.execute(
            sa.select(R.c.params_flat).where(R.c.experiment == experiment, schema.KEPT)
        )
    ]
    values: dict[str, set[str]] = {}
    present: dict[str, int] = {}
    for flat in flats:
        for name, value in flat.items():
            values.setdefault(name, set()).add(repr(value))
            present[name] = present.get(name, 0) + 1
    count = len(flats)
    names = tuple(
        sorted(
            name for name in values if count <= 1 or len(values[name]) > 1 or present[name] < count
        )
    )
    compared = [name for name in names if not is_seed_like(name)]
    found = mirrors({name: [flat.get(name) for flat in flats] for name in compared})
    return names, {kept: tuple(names) for kept, names in mirrored_by(found).items()}


def _metric_columns(
    connection: sa.Connection, experiment: str
) -> tuple[tuple[str, ...], str | None]:
    rows = connection.execute(
        sa.select(LM.c.name, sa.func.max(sa.case((LM.c.last_epoch.is_(None), 1), else_=0)))
        .join(R, R.c.id == LM.c.run_id)
        .where(R.c.experiment == experiment, schema.KEPT)
        .group_by(LM.c.name)
    ).all()
    names = [name for name, _ in rows]
    reported = [name for name, flag in rows if flag]
    key = metric_goals.key_metric(names, reported=reported)
    ordered = sorted(names, key=lambda n: (n != key, n))
    return tuple(ordered), key


def _sorting_metric(sort: str | None, metrics: Sequence[str]) -> str | None:
    """The metric ``sort`` names: ``metric.NAME``, or a bare name the experiment has as a metric."""
    if not sort or sort in FIXED_COLUMNS or sort.startswith("param."):
        return None
    if sort.startswith("metric."):
        return sort.removeprefix("metric.")
    return sort if sort in metrics else None


def _sort_keys(sort: str | None, direction: str) -> list[Expression]:
    """ORDER BY terms for a fixed column or a parameter."""
    if not sort:
        return [R.c.id.desc() if direction == "desc" else R.c.id.asc()]
    if sort in FIXED_COLUMNS:
        fixed = {
            "id": R.c.id,
            "status": R.c.status,
            "started": R.c.started,
            "duration": R.c.ended - R.c.started,
            "verdict": query.latest_verdict(),
            "inference": query.latest_inference_text(),
        }
        return _ordered([fixed[sort]], direction)
    numeric, text = param_value(sort.removeprefix("param."))
    return _ordered([numeric, text], direction)


def _ordered(expressions: list[Expression], direction: str) -> list[Expression]:
    """Sort on ``expressions`` with rows lacking every one of them last, in either direction."""
    missing = sa.and_(*(e.is_(None) for e in expressions))
    keys: list[Expression] = [sa.case((missing, 1), else_=0)]
    keys += [e.desc() if direction == "desc" else e.asc() for e in expressions]
    return keys


def _picked(flat: Mapping[str, object], names: Sequence[str]) -> dict[str, object]:
    return {name: flat[name] for name in names if name in flat}
