"""Runs found and sorted by the database: the console script's ``runs`` listing.

One page of run ids, filtered by the experiment page's grammar (:mod:`.query`,
the one parser) and sorted by any column, parameter or final metric, with the
count of every match: 10,000 runs are sorted in SQL, and only the page's runs
are read in full afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..errors import BadInput
from ..rules import metric_goals
from . import query, schema, vocabulary
from .param_values import param_value

if TYPE_CHECKING:
    from .sql_types import Expression

R = schema.runs
LM = schema.latest_metrics

#: Columns every run has, sortable by these names.
FIXED = ("id", "experiment", "status", "started", "duration", "verdict")
#: The direction each fixed column sorts in when none is given.
_NATURAL = {"id": "desc", "started": "desc", "duration": "desc", "experiment": "asc",
            "status": "asc", "verdict": "asc"}  # fmt: skip


def parse_sort(connection: sa.Connection, sort: str | None) -> tuple[str, str, str]:
    """``(kind, name, direction)`` of ``COL[:asc|:desc]``: kind is fixed, metric or param.

    Without a direction, a metric sorts best first (by its goal), a fixed column
    newest or largest first.
    """
    if not sort:
        return "fixed", "id", "desc"
    name, _, direction = sort.partition(":")
    direction = direction.lower()
    if direction not in ("", "asc", "desc"):
        raise BadInput(f"--sort {sort}: the direction is asc or desc, as in val_loss:asc")
    for prefix, kind in (("metric.", "metric"), ("param.", "param")):
        if name.startswith(prefix):
            return kind, name[len(prefix) :], direction or _default(kind, name[len(prefix) :])
    if name in FIXED:
        return "fixed", name, direction or _NATURAL[name]
    if connection.execute(sa.select(LM.c.run_id).where(LM.c.name == name).limit(1)).first():
        return "metric", name, direction or _default("metric", name)
    _, text = param_value(name)
    if connection.execute(sa.select(R.c.id).where(text.is_not(None)).limit(1)).first():
        return "param", name, direction or "asc"
    raise BadInput(
        f"--sort {sort}: no run has a metric or parameter {name!r} "
        f"(fixed columns: {', '.join(FIXED)})"
    )


def find(
    connection: sa.Connection,
    *,
    experiment: str | None = None,
    q: str | None = None,
    sort: str | None = None,
    limit: int | None = None,
    trashed: bool = False,
) -> tuple[list[int], int]:
    """The ids of one page of matching runs in order, and how many runs match in all
    (kept runs; with ``trashed``, those in the trash)."""
    kind, name, direction = parse_sort(connection, sort)
    base = sa.select(R.c.id).where(query.scope(q, trashed))
    if experiment is not None:
        base = base.where(R.c.experiment == experiment)
    parsed = vocabulary.check(connection, q, experiment)
    base = query.apply(base, q)
    total = connection.execute(sa.select(sa.func.count()).select_from(base.subquery())).scalar()
    if not total:
        vocabulary.explain_empty(connection, parsed, experiment)
    keys = [_ordered(k, direction) for k in _keys(kind, name)]
    page = base.order_by(*keys, R.c.id.desc())
    if limit is not None:
        page = page.limit(limit)
    return list(connection.execute(page).scalars()), int(total or 0)


def _keys(kind: str, name: str) -> list[Expression]:
    if kind == "metric":
        return [query.metric_last(name)]
    if kind == "param":
        numeric, text = param_value(name)
        return [numeric, text]
    return [
        {
            "id": R.c.id,
            "experiment": R.c.experiment,
            "status": R.c.status,
            "started": R.c.started,
            "duration": R.c.ended - R.c.started,
            "verdict": query.latest_verdict(),
        }[name]
    ]


def _ordered(key: Expression, direction: str) -> Expression:
    return sa.nulls_last(key.asc() if direction == "asc" else key.desc())


def _default(kind: str, name: str) -> str:
    if kind == "metric":
        return "asc" if metric_goals.goal(name) == "min" else "desc"
    return "asc"
