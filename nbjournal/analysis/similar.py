"""The earlier data sets of the journal most like a new one, and what was learned on them.

A data set is the data of a fit (named by the hash of its ``x`` and ``y``;
:mod:`nbjournal.capture.fit_meta`); its runs may belong to several experiments.
Data sets are ranked by the L1 distance of their meta-features
(:func:`nbjournal.capture.metafeatures.distance`, 0 = alike, ~1 = unlike, as
auto-sklearn ranks them), and each comes with its experiments, the best run of
each by that experiment's metric of record, and what was concluded there. Only
data sets within :data:`SIMILAR` count as similar: beyond it, nothing is
transferred, and the answer says how far the nearest one was.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..rules.data_likeness import describe, distance
from ..store import Store
from ..store.serialize import loads
from ..store.similar_queries import MetaRow
from .history import REPEAT_NAMES, Table, load_table

#: Data sets at most this far apart are similar (calibrated on the benchmark's 24 tasks:
#: siblings of one generator lie within ~0.1, unrelated shipped data sets beyond ~0.2).
SIMILAR = 0.15
#: How many data sets a listing shows.
LIMIT = 5


@dataclass(frozen=True)
class BestRun:
    """The best run of one experiment on a data set, and its configuration."""

    experiment: str
    run_id: int
    metric: str | None
    goal: str
    value: float
    params: dict[str, Any]  # the run's settings a cell binds (identifiers), seed left out
    tuned: tuple[str, ...] = ()  # the settings its experiment varied
    verdict: str | None = None
    conclusion: str | None = None  # the latest inference on the experiment's runs there


@dataclass(frozen=True)
class SimilarDataSet:
    """An earlier data set: how far, what it was, which experiments, their best runs."""

    key: str
    distance: float
    meta: dict[str, Any]
    runs: tuple[int, ...]
    experiments: tuple[str, ...]
    best: tuple[BestRun, ...] = ()
    names: tuple[str, ...] = ()  # what the cells called the data (``fit.x``, ``X_train``)

    @property
    def description(self) -> str:
        return describe(self.meta)

    @property
    def similar(self) -> bool:
        return self.distance <= SIMILAR

    def same_as(self, query: Mapping[str, Any] | None) -> bool:
        """Whether this is the query's own data (the same hash of ``x`` and ``y``)."""
        return query is not None and query.get("data") is not None and self.key == query["data"]


@dataclass
class Similar:
    """The answer of ``Journal().similar``: the nearest data sets, nearest first."""

    query: dict[str, Any] | None
    found: list[SimilarDataSet] = field(default_factory=list)
    threshold: float = SIMILAR
    note: str = ""  # why nothing is similar, in words

    @property
    def nearest(self) -> SimilarDataSet | None:
        """The nearest data set within the threshold, if any."""
        return self.found[0] if self.found and self.found[0].similar else None


def rank(
    query: Mapping[str, object], rows: Sequence[MetaRow]
) -> list[tuple[float, str, list[MetaRow]]]:
    """Data sets (rows grouped by data), nearest first: ``(distance, key, rows)``; data of
    another kind of task (regression against classes) is left out."""
    groups: dict[str, list[MetaRow]] = {}
    for row in rows:
        key = row.meta_features.get("data") or row.data_fingerprint or f"run:{row.id}"
        groups.setdefault(key, []).append(row)
    ranked = []
    for key, members in groups.items():
        apart = distance(query, members[0].meta_features)
        if math.isfinite(apart):
            ranked.append((apart, key, members))
    ranked.sort(key=lambda item: (item[0], -item[2][-1].id))
    return ranked


def find_similar(
    store: Store,
    query: dict[str, Any] | None,
    *,
    limit: int = LIMIT,
    exclude_experiment: str | None = None,
    exclude_data: str | None = None,
) -> Similar:
    """The ``limit`` data sets nearest to ``query`` (a meta-features record), with their
    experiments' best runs; ``exclude_*`` leave out the asking experiment or data set.

    The query's own data set is listed (first: at distance 0) when other runs used it;
    callers that want only *other* data sets pass it as ``exclude_data``."""
    if query is None:
        return Similar(None, note="the data could not be read as a table: no meta-features")
    rows = store.meta_feature_rows(exclude_experiment=exclude_experiment)
    ranked = [item for item in rank(query, rows) if exclude_data is None or item[1] != exclude_data]
    if not ranked:
        kind = query.get("task", "")
        return Similar(query, note=f"the journal has no earlier {kind} data set with meta-features")
    tables: dict[str, Any] = {}
    found = [
        SimilarDataSet(
            key=key,
            distance=apart,
            meta=members[0].meta_features,
            runs=tuple(r.id for r in members),
            experiments=tuple(dict.fromkeys(r.experiment for r in members)),
            best=tuple(_best_runs(store, tables, members)),
        )
        for apart, key, members in ranked[:limit]
    ]
    answer = Similar(query, found)
    if answer.nearest is None:
        answer.note = (
            f"no earlier data set is similar: the nearest, {found[0].description}, is at distance "
            f"{found[0].distance:.2f} (similar: {SIMILAR:.2f} or less)"
        )
    return answer


def other_data_sets(
    store: Store, query: dict[str, Any] | None, *, exclude_experiment: str, limit: int = LIMIT
) -> Similar:
    """:func:`find_similar` without the query's own data set: the data sets a warm start
    (``--suggested``) transfers from and the new-experiment hint names (another
    experiment's runs on this very data are neighbours, not another data set)."""
    same = query.get("data") if query else None
    return find_similar(
        store,
        query,
        limit=limit,
        exclude_experiment=exclude_experiment,
        exclude_data=str(same) if same else None,
    )


def _best_runs(store: Store, tables: dict[str, Table], members: list[MetaRow]) -> list[BestRun]:
    """Per experiment, its best run among ``members`` by its metric of record."""
    best = []
    for experiment in dict.fromkeys(r.experiment for r in members):
        if experiment not in tables:
            tables[experiment] = load_table(store, experiment)
        table = tables[experiment]
        ids = {r.id for r in members if r.experiment == experiment}
        frame = table.frame[table.frame["id"].isin(ids)]
        if frame.empty or table.history is None:
            continue
        order = frame["value"].argmin() if table.goal == "min" else frame["value"].argmax()
        row = frame.iloc[int(order)]
        run_id = int(row["id"])
        flat = next(r.params_flat for r in table.history.runs if r.id == run_id)
        params = {
            name: value
            for name, value in (loads(flat, {}) or {}).items()
            if name.isidentifier() and name not in REPEAT_NAMES
        }
        said = [i for i in table.history.inferences if i.run_id in ids]  # newest first
        best.append(
            BestRun(
                experiment=experiment,
                run_id=run_id,
                metric=table.metric,
                goal=table.goal,
                value=float(row["value"]),
                params=params,
                tuned=tuple(name for name in table.params if name in params),
                verdict=said[0].verdict if said else None,
                conclusion=said[0].text if said else None,
            )
        )
    best.sort(key=lambda b: b.experiment)
    return best
