"""An experiment's runs grouped into configurations and their repeats.

A configuration is code + parameters + data with the seed left out
(:mod:`nbjournal.rules.seeds`); its runs are repeats, and each metric is
summarised over them as n, mean, standard deviation and the 95 % t interval of
the mean (``scipy.stats.t``). The grid summary, insights, the closest-run line
and ``Journal().compare`` (noise borrowed for a single run) read these groups.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..rules.seeds import code_key, seed_of, split_seeds
from .comparison import LEVEL, Noise

if TYPE_CHECKING:
    from ..store.records import RunSummary

__all__ = [
    "Configuration",
    "Spread",
    "configurations_from_rows",
    "nearest_noise",
    "spread",
    "spreads",
]


@dataclass(frozen=True)
class Spread:
    """One metric over a configuration's repeats: the 95 % interval is of the mean."""

    n: int
    mean: float
    std: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class Configuration:
    """One configuration: ``id`` is its first run's (``configuration #41``)."""

    id: int
    experiment: str
    params: dict[str, Any]
    run_ids: tuple[int, ...]
    seeds: tuple[Any, ...]
    #: per metric, one value per run (NaN where a run lacks it), in ``run_ids`` order
    values: dict[str, tuple[float, ...]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.run_ids)

    def finite_values(self, metric: str) -> list[float]:
        """The finite values of ``metric``, as :meth:`finite` without NumPy (cheap per group)."""
        return [v for v in self.values.get(metric, ()) if math.isfinite(v)]

    def finite(self, metric: str) -> tuple[np.ndarray, list[object]]:
        """The finite values of ``metric`` and the seeds of the runs that have them."""
        values = np.asarray(self.values.get(metric, ()), dtype=float)
        if not len(values):
            return values, []
        keep = np.isfinite(values)
        return values[keep], [s for s, k in zip(self.seeds, keep, strict=True) if k]

    def spread(self, metric: str) -> Spread:
        return spread(self.finite(metric)[0])


def spread(values: Sequence[float] | np.ndarray) -> Spread:
    """n, mean, standard deviation and the 95 % t interval of the mean (NaN below 2 values)."""
    array = np.asarray(values, dtype=float)
    array = array[np.isfinite(array)]
    return spreads([array])[0]


#: The spread of no value.
_NONE = Spread(0, math.nan, math.nan, math.nan, math.nan)
#: The t quantile of the 95 % interval by group size, computed once (a group's spreads are
#: summarised when it is listed: 500 of 9,800 configurations, each on its own).
_QUANTILES: dict[int, float] = {}


def spreads(groups: Sequence[np.ndarray | Sequence[float]]) -> list[Spread]:
    """:func:`spread` of many groups of finite values at once (one t quantile per group
    size); a group of one value costs no NumPy (10,000 runs each its own configuration)."""
    from scipy import stats

    found = []
    for group in groups:
        n = len(group)
        if n == 0:
            found.append(_NONE)
            continue
        if n < 2:
            found.append(Spread(1, float(group[0]), math.nan, math.nan, math.nan))
            continue
        mean = float(np.mean(group))
        std = float(np.std(group, ddof=1))
        quantile = _QUANTILES.get(n)
        if quantile is None:
            quantile = _QUANTILES[n] = float(stats.t.ppf(1 - (1 - LEVEL) / 2, n - 1))
        half = quantile * std / math.sqrt(n)
        found.append(Spread(n, mean, std, mean - half, mean + half))
    return found


def configurations_from_rows(
    runs: Iterable[tuple[int, str, str, str | None, str]],
    metrics: Iterable[tuple[int, str, float | None, bool]],
    seed_params: Iterable[str] = (),
) -> list[Configuration]:
    """Group ``(id, experiment, code, data_fingerprint, params_flat)`` rows (oldest first);
    ``metrics`` rows start ``(run_id, name, last value, …)``."""
    extra = tuple(seed_params)
    by_run: dict[int, dict[str, float]] = {}
    for run_id, name, last, *_ in metrics:
        by_run.setdefault(run_id, {})[name] = math.nan if last is None else float(last)
    groups: dict[tuple[Any, ...], list[tuple[int, str, dict[str, Any], Any]]] = {}
    # runs of one text are read once (a sweep without seeds repeats each configuration's text)
    read: dict[str, tuple[Hashable, dict[str, Any], Any]] = {}
    # runs of one set of names split them alike (10,000 runs, 30 names: 300,000 questions)
    plans: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    codes: dict[str, str] = {}
    for run_id, experiment, code, data, params_flat in runs:
        text = params_flat or "{}"
        known = read.get(text)
        if known is None:
            params = json.loads(text)
            keys = tuple(params)
            plan = plans.get(keys)
            if plan is None:
                plan = plans[keys] = _plan(keys, extra)
            seeds = {name: params.pop(name) for name in plan[1]}
            known = read[text] = (_settings_key(plan[0], params), params, seed_of(seeds))
        code_text = code or ""
        hashed = codes.get(code_text)
        if hashed is None:
            hashed = codes[code_text] = code_key(code_text, extra)
        key = (experiment, hashed, data, known[0])
        groups.setdefault(key, []).append((run_id, experiment, known[1], known[2]))
    found = []
    for members in groups.values():
        ids = tuple(m[0] for m in members)
        found.append(
            Configuration(
                id=ids[0],
                experiment=members[0][1],
                params=dict(members[0][2]),  # its own: runs of one text share theirs
                run_ids=ids,
                seeds=tuple(m[3] for m in members),
                values=values_of(ids, by_run),
            )
        )
    return sorted(found, key=lambda c: c.id)


def values_of(
    ids: tuple[int, ...], by_run: Mapping[int, Mapping[str, float]]
) -> dict[str, tuple[float, ...]]:
    """Per metric any of the runs ``ids`` has, one value a run (NaN where one lacks it); a
    single run's are its own (10,000 runs each their own configuration)."""
    if len(ids) == 1:
        return {name: (value,) for name, value in by_run.get(ids[0], {}).items()}
    names = {name for i in ids for name in by_run.get(i, {})}
    return {name: tuple(by_run.get(i, {}).get(name, math.nan) for i in ids) for name in names}


def _plan(
    names: tuple[str, ...], extra: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A run's parameter names as (the settings' names sorted, the seeds' in their order):
    what :func:`split_seeds` tells apart."""
    seeds = split_seeds(dict.fromkeys(names), extra)[1]
    return tuple(sorted(n for n in names if n not in seeds)), tuple(seeds)


#: Values a tuple holds as JSON tells them apart (with their type: ``1``, ``1.0``, ``true``).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _settings_key(order: tuple[str, ...], settings: Mapping[str, Any]) -> Hashable:
    """A configuration's settings as a key, equal where their JSON texts are: their names and
    each value with its type; a list, a mapping or NaN goes by the JSON text."""
    values = tuple(settings[name] for name in order)
    if all(type(v) in _SCALARS and v == v for v in values):
        return (order, tuple(map(type, values)), values)
    return json.dumps(settings, sort_keys=True)


def nearest_noise(
    configurations: Sequence[Configuration],
    params: Mapping[str, object],
    metric: str,
    prefer: Iterable[int] = (),
) -> Noise | None:
    """The run-to-run noise of ``metric`` in the configuration nearest ``params``.

    Among configurations with two finite values or more: those holding a run of
    ``prefer`` first (a single run's own configuration), then the fewest differing
    parameters, then the most repeats.
    """
    preferred = set(prefer)
    best: tuple[Any, ...] | None = None
    chosen: Configuration | None = None
    for configuration in configurations:
        values, _ = configuration.finite(metric)
        if len(values) < 2:
            continue
        own = not preferred.intersection(configuration.run_ids)
        distance = _distance(configuration.params, params)
        rank = (own, distance, -len(values), configuration.id)
        if best is None or rank < best:
            best, chosen = rank, configuration
    if chosen is None:
        return None
    values, _ = chosen.finite(metric)
    return Noise(float(np.std(values, ddof=1)), len(values), f"configuration #{chosen.id}")


def _distance(a: Mapping[str, object], b: Mapping[str, object]) -> int:
    return sum(1 for key in set(a) | set(b) if a.get(key) != b.get(key))


@dataclass(frozen=True)
class Ranking:
    """The best of several groups and how each other group stands against it."""

    best: int | None  # index of the group with the best mean (None: no group has values)
    #: per group, the rule's verdict of the best against it (``None`` for the best itself)
    verdicts: list[str | None]

    def within_noise(self) -> list[int]:
        """The groups the rule cannot tell from the best: ``within noise`` of it."""
        return [i for i, v in enumerate(self.verdicts) if v == "within noise"]

    def undecided(self) -> list[int]:
        """The groups that need more repeats before they can be told from the best."""
        return [i for i, v in enumerate(self.verdicts) if v and v.startswith("needs ")]


def rank_groups(
    groups: Sequence[Sequence[float] | np.ndarray], higher_is_better: bool = True
) -> Ranking:
    """The best group by mean, and the comparison rule's verdict of it against each other.

    Groups of the same size are compared in one batch (a 100-point grid costs a few
    batches, not 100 comparisons); a group with a single value borrows the noise
    of the others' repeats (pooled), as :func:`compare_values` does for a single run.
    """
    arrays = [np.asarray(g, dtype=float) for g in groups]
    arrays = [a[np.isfinite(a)] for a in arrays]
    means = [float(a.mean()) if len(a) else math.nan for a in arrays]
    scored = [i for i, m in enumerate(means) if math.isfinite(m)]
    if not scored:
        return Ranking(None, [None] * len(arrays))
    pick = max if higher_is_better else min
    best = pick(scored, key=lambda i: means[i])
    verdicts: list[str | None] = [None] * len(arrays)
    pooled = _pooled_noise([arrays[i] for i in scored])
    by_size: dict[int, list[int]] = {}
    for i in scored:
        if i != best:
            by_size.setdefault(len(arrays[i]), []).append(i)
    top = arrays[best]
    for members in by_size.values():
        found = _size_verdicts(top, [arrays[i] for i in members], higher_is_better, pooled)
        for i, verdict in zip(members, found, strict=True):
            verdicts[i] = verdict
    return Ranking(best, verdicts)


def _size_verdicts(
    top: np.ndarray, others: list[np.ndarray], higher_is_better: bool, pooled: Noise | None
) -> list[str]:
    """The rule's verdict of ``top`` against each of ``others`` (groups of one size) in one
    batch: what :func:`compare_values` says of each pair, 10,000 single runs in ~0.1 s
    rather than 30 s. Where neither side has two runs the pooled noise is borrowed, as
    :func:`compare_values` does; without any, every pair gets its "no repeats" verdict."""
    from .comparison import compare_batch, compare_values

    borrow = len(top) < 2 and len(others[0]) < 2
    if borrow and not (pooled is not None and pooled.n >= 2 and math.isfinite(pooled.sd)):
        # the verdict rests on no values: the same for every pair
        verdict = compare_values(
            top, others[0], higher_is_better=higher_is_better, noise=pooled
        ).verdict
        return [verdict] * len(others)
    batch = compare_batch(
        np.broadcast_to(top, (len(others), len(top))),
        np.stack(others),
        higher_is_better=higher_is_better,
        noise_sd=pooled.sd if borrow and pooled else None,
        noise_n=pooled.n if borrow and pooled else None,
    )
    return list(batch.verdicts())


def _pooled_noise(arrays: Sequence[np.ndarray]) -> Noise | None:
    repeated = [a for a in arrays if len(a) >= 2]
    if not repeated:
        return None
    df = sum(len(a) - 1 for a in repeated)
    variance = sum(float(np.var(a, ddof=1)) * (len(a) - 1) for a in repeated) / df
    return Noise(math.sqrt(variance), df + 1, "the grid's repeats")


def twins_line(runs: Sequence[RunSummary]) -> str | None:
    """``val_accuracy 0.962 ± 0.006 over 3 identical runs (95 % interval of the mean)``: the
    noise of identical runs (``--force`` re-runs), said where a duplicate or a restore is;
    ``None`` with fewer than two runs holding the metric."""
    from ..rules import format as fmt

    key = runs[-1].key_metric if runs else None
    if key is None:
        return None
    values = [r.metrics[key.name].last for r in runs if key.name in r.metrics]
    found = spread([v for v in values if v is not None])
    if found.n < 2 or not math.isfinite(found.half_width):
        return None
    return (
        f"{key.name} {fmt.spread(found.mean, found.half_width)} over "
        f"{found.n} identical runs (95 % interval of the mean)"
    )
