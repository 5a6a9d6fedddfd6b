"""An experiment's runs grouped by chosen parameters (the experiment page's "group by").

One group per combination of the chosen parameters' values among the finished
runs a query matches; with no parameter chosen, one group per configuration
(runs alike but for the seed, :mod:`.configurations`). Each group carries every
metric's mean, std and 95 % interval of the mean (:func:`.configurations.spreads`,
the one statistics rule) and the comparison rule's verdict of the best group
against it. Pure: reads the store, returns data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..errors import BadInput
from ..store import limits
from ..store.repeats import ParamRows, RepeatRows, param_rows, repeat_rows
from .configurations import (
    Configuration,
    Spread,
    configurations_from_rows,
    rank_groups,
    spreads,
    values_of,
)

if TYPE_CHECKING:
    from ..rules.record_metric import RecordMetric
    from ..store.store import Store

#: Parameters one grouping names at most.
MAX_BY = 8


@dataclass(frozen=True)
class Group:
    """Runs that share the chosen parameters' values; ``id`` is its first run's."""

    id: int
    #: the chosen parameters' values (a configuration's every parameter when none was chosen)
    params: dict[str, Any]
    run_ids: tuple[int, ...]
    #: each run's seed (a configuration's repeats), ``None`` where a run has none
    seeds: tuple[Any, ...]
    #: per metric, one value per run (NaN where a run lacks it), in ``run_ids`` order
    values: dict[str, tuple[float, ...]]
    #: the rule's verdict of the best group against this one (``best`` for itself)
    verdict: str | None

    @cached_property
    def metrics(self) -> dict[str, Spread]:
        """Per metric: n, mean, std and the 95 % interval of the mean over the group's
        runs (summarised when asked: an answer lists 500 of 9,800 configurations)."""
        names = sorted(self.values)
        finite = [[v for v in self.values[n] if math.isfinite(v)] for n in names]
        return dict(zip(names, spreads(finite), strict=True))

    def mean(self, metric: str) -> float:
        """The mean of ``metric``'s finite values (NaN without any)."""
        finite = [v for v in self.values.get(metric, ()) if math.isfinite(v)]
        return math.fsum(finite) / len(finite) if finite else math.nan


@dataclass(frozen=True)
class Grouping:
    experiment: str
    by: list[str]
    metric: RecordMetric | None
    #: finished runs the query matched
    runs: int
    groups: list[Group]


def group_by(
    store: Store,
    experiment: str,
    by: Sequence[str] = (),
    q: str | None = None,
    metric: str | None = None,
) -> Grouping:
    """The finished runs of ``experiment`` that ``q`` matches, grouped by the values of
    ``by`` (each run's configuration when empty), best group first by the metric of record."""
    from .repeats import record_metric, seed_params

    names = _checked(by)
    # by parameters: only their values are read (10,000 runs' whole documents cost ~0.2 s)
    values = param_rows(store, experiment, names, q=q) if names else None
    if values is not None:
        ranked = record_metric(store, experiment, metric, rows=values)
        found = _by_param_values(values, names, lambda: repeat_rows(store, experiment, q=q))
        count = len(values.runs)
    else:
        rows = repeat_rows(store, experiment, q=q)
        ranked = record_metric(store, experiment, metric, rows=rows)
        found = (
            _by_values(rows, names)
            if names
            else configurations_from_rows(rows.runs, rows.metrics, seed_params(store, experiment))
        )
        count = len(rows.runs)
    groups = _summarised(found, ranked)
    return Grouping(experiment, names, ranked, count, groups)


def _checked(by: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(n.strip() for n in by if n.strip()))
    for name in names:
        limits.text("by", name, limits.NAME_MAX)
    if len(names) > MAX_BY:
        raise BadInput(f"group by at most {MAX_BY} parameters, not {len(names)}")
    return names


def _known(names: list[str], seen: set[str]) -> None:
    """A name no run has is a typo: say which names there are (nothing is grouped)."""
    unknown = [n for n in names if n not in seen]
    if unknown:
        known = ", ".join(sorted(seen)[:20]) or "none"
        raise BadInput(f"no run has the parameter {unknown[0]!r}; the runs have: {known}")


def _by_values(rows: RepeatRows, names: list[str]) -> list[Configuration]:
    """Runs grouped by the values of ``names`` (a run without one of them: ``None``), read
    from their whole parameter documents."""
    keys: dict[str, tuple[Hashable, dict[str, Any]]] = {}  # each distinct text read once
    seen: set[str] = set()
    members = []
    for run_id, _, _, _, params_flat in rows.runs:
        text = params_flat or "{}"
        known = keys.get(text)
        if known is None:
            flat = json.loads(text)
            seen.update(flat)
            values = {n: flat.get(n) for n in names}
            known = keys[text] = (_key(list(values.values())), values)
        members.append((run_id, known))
    if rows.runs:
        _known(names, seen)
    return _configurations(members, rows.metrics)


def _by_param_values(
    rows: ParamRows, names: list[str], documents: Callable[[], RepeatRows]
) -> list[Configuration]:
    """:func:`_by_values` from the values alone (``rows``); a name no run has reads the
    whole ``documents`` to say which names there are."""
    keys: dict[tuple[str | None, ...], tuple[Hashable, dict[str, Any]]] = {}
    present: set[int] = set()
    members = []
    for run_id, texts in rows.runs:
        known = keys.get(texts)
        if known is None:
            present.update(i for i, t in enumerate(texts) if t is not None)
            values = {
                n: None if t is None else json.loads(t) for n, t in zip(names, texts, strict=True)
            }
            known = keys[texts] = (_key(list(values.values())), values)
        members.append((run_id, known))
    if rows.runs and len(present) < len(names):
        _known(
            names, {n for _, _, _, _, text in documents().runs for n in json.loads(text or "{}")}
        )
    return _configurations(members, rows.metrics)


def _configurations(
    members: list[tuple[int, tuple[Hashable, dict[str, Any]]]],
    metrics: list[tuple[int, str, float | None, bool]],
) -> list[Configuration]:
    """One configuration per key of ``(run id, (key, values))`` pairs, its first run's id."""
    by_run: dict[int, dict[str, float]] = {}
    for run_id, name, last, _ in metrics:
        by_run.setdefault(run_id, {})[name] = math.nan if last is None else float(last)
    groups: dict[Hashable, tuple[dict[str, Any], list[int]]] = {}
    for run_id, (key, values) in members:
        groups.setdefault(key, (values, []))[1].append(run_id)
    found = []
    for values, ids in groups.values():
        found.append(
            Configuration(
                id=ids[0],
                experiment="",
                params=values,
                run_ids=tuple(ids),
                seeds=(None,) * len(ids),
                values=values_of(tuple(ids), by_run),
            )
        )
    return found


def _key(values: list[Any]) -> Hashable:
    """Values as a group's key: equal where their JSON texts are (``1`` is not ``1.0`` nor
    ``true``); a value a tuple cannot hold as such (a list, NaN) goes by its JSON text."""
    if all(type(v) in _SCALARS and v == v for v in values):
        return tuple((type(v), v) for v in values)
    return json.dumps(values)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _summarised(found: list[Configuration], ranked: RecordMetric | None) -> list[Group]:
    """Each group and its verdict, best first by the metric's mean (groups without it last)."""
    verdicts: list[str | None] = [None] * len(found)
    if ranked is not None and found:
        ranking = rank_groups(
            [c.finite_values(ranked.name) for c in found], higher_is_better=ranked.higher_is_better
        )
        verdicts = ["best" if i == ranking.best else v for i, v in enumerate(ranking.verdicts)]
    groups = [
        Group(
            id=configuration.id,
            params=configuration.params,
            run_ids=configuration.run_ids,
            seeds=configuration.seeds,
            values=configuration.values,
            verdict=verdict,
        )
        for configuration, verdict in zip(found, verdicts, strict=True)
    ]
    if ranked is None:
        return sorted(groups, key=lambda g: g.id)
    return _by_mean(groups, ranked.name, descending=ranked.higher_is_better)


def _by_mean(groups: list[Group], metric: str, descending: bool) -> list[Group]:
    """``groups`` by ``metric``'s mean, those without its value last, ties by id."""

    def key(group: Group) -> tuple[float, int]:
        mean = group.mean(metric)
        if not math.isfinite(mean):
            return (math.inf, group.id)
        return (-mean if descending else mean, group.id)

    return sorted(groups, key=key)


def best_order(ranked: RecordMetric) -> str:
    """The order by mean that puts the best first: ``desc`` to maximise, ``asc`` to minimise."""
    return "desc" if ranked.higher_is_better else "asc"


def ordered(
    groups: list[Group], ranked: RecordMetric | None, order: str | None
) -> tuple[list[Group], str | None]:
    """``groups`` (best first, as :func:`group_by` lists them) by the key metric's mean,
    ``desc`` (highest first) or ``asc``, best first when ``order`` is None; groups without
    its value last either way, ties by id. The order served: None without a metric."""
    if ranked is None:
        return groups, None
    best = best_order(ranked)
    if order is None or order == best:
        return groups, best
    return _by_mean(groups, ranked.name, descending=order == "desc"), order
