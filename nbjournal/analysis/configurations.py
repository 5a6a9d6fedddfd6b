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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..rules.seeds import code_key, seed_of, split_seeds
from .comparison import LEVEL, Noise

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

    def finite(self, metric: str) -> tuple[np.ndarray, list[Any]]:
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


def spreads(groups: Sequence[np.ndarray]) -> list[Spread]:
    """:func:`spread` of many groups at once (one t quantile per group size)."""
    from scipy import stats

    found = []
    quantiles: dict[int, float] = {}
    for group in groups:
        n = len(group)
        if n == 0:
            found.append(Spread(0, math.nan, math.nan, math.nan, math.nan))
            continue
        mean = float(np.mean(group))
        if n < 2:
            found.append(Spread(1, mean, math.nan, math.nan, math.nan))
            continue
        std = float(np.std(group, ddof=1))
        if n not in quantiles:
            quantiles[n] = float(stats.t.ppf(1 - (1 - LEVEL) / 2, n - 1))
        half = quantiles[n] * std / math.sqrt(n)
        found.append(Spread(n, mean, std, mean - half, mean + half))
    return found


def configurations_from_rows(
    runs: Iterable[tuple[int, str, str, str | None, str]],
    metrics: Iterable[tuple[Any, ...]],
    seed_params: Iterable[str] = (),
) -> list[Configuration]:
    """Group ``(id, experiment, code, data_fingerprint, params_flat)`` rows (oldest first);
    ``metrics`` rows start ``(run_id, name, last value, …)``."""
    extra = tuple(seed_params)
    by_run: dict[int, dict[str, float]] = {}
    for run_id, name, last, *_ in metrics:
        by_run.setdefault(run_id, {})[name] = math.nan if last is None else float(last)
    groups: dict[tuple[Any, ...], list[tuple[int, str, dict[str, Any], Any]]] = {}
    for run_id, experiment, code, data, params_flat in runs:
        params = json.loads(params_flat or "{}")
        settings, seeds = split_seeds(params, extra)
        key = (experiment, code_key(code, extra), data, json.dumps(settings, sort_keys=True))
        groups.setdefault(key, []).append((run_id, experiment, settings, seed_of(seeds)))
    found = []
    for members in groups.values():
        ids = tuple(m[0] for m in members)
        names = {name for i in ids for name in by_run.get(i, {})}
        values = {name: tuple(by_run.get(i, {}).get(name, math.nan) for i in ids) for name in names}
        found.append(
            Configuration(
                id=ids[0],
                experiment=members[0][1],
                params=members[0][2],
                run_ids=ids,
                seeds=tuple(m[3] for m in members),
                values=values,
            )
        )
    return sorted(found, key=lambda c: c.id)


def nearest_noise(
    configurations: Sequence[Configuration],
    params: Mapping[str, Any],
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


def _distance(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
    return sum(1 for key in set(a) | set(b) if a.get(key) != b.get(key))
