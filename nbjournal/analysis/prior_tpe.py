"""TPE that keeps what similar data sets taught: their runs as prior observations.

A warm start that only runs the best configurations of similar data sets first
throws the rest of their history away as soon as the experiment can be modelled
on its own. Here the runs of the nearest similar data sets stay in the
sampler's history for as long as the experiment is tuned, beside its own runs
(transfer by prior observations, as in Feurer et al. 2018, "Scalable
meta-learning for Bayesian optimization"). Every source's metric is replaced by
its rank within that source (0 = its best run, 1 = its worst), so that an
accuracy of 0.7 on one data set and 0.95 on another say the same thing: "the
best seen there". The priors fade as the experiment's own runs accumulate: each
source keeps a share ``FADE / (FADE + own runs)`` of its runs, picked evenly
along its ranking (its best always kept), so that after a few dozen runs the
experiment's own evidence leads. Pure: no journal reads; the same inputs give
the same points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .history import Table, spaces_of
from .importance import distribution, quiet_optuna, trials
from .suggestions import best_region, reason_for, rounded

#: Own runs at which the priors count half as many runs as they hold.
FADE = 10
#: TPE models each parameter on its own, as Optuna's default does: on bench_similar it
#: reached cold TPE's 50-trial best in a median of 32.5 trials, the joint model in 46
#: (both measured while the old mirrors rule folded l2_regularization into learning_rate).
MULTIVARIATE = False


@dataclass(frozen=True)
class Prior:
    """The runs of one experiment on a similar data set: their settings and their loss."""

    source: str  # "hgb-clf_02 on a data set at distance 0.011"
    distance: float
    points: list[dict[str, Any]]
    loss: np.ndarray  # lower is better, in the source's own metric


def ranks(loss: np.ndarray) -> np.ndarray:
    """Each value's rank as a share: 0 the lowest loss, 1 the highest (ties averaged)."""
    n = len(loss)
    if n < 2:
        return np.zeros(n)
    return (pd.Series(loss).rank(method="average").to_numpy() - 1) / (n - 1)


def kept_share(own: int) -> float:
    """The share of each prior's runs the sampler still sees after ``own`` runs."""
    return FADE / (FADE + own)


def _thinned(prior: Prior, share: float) -> tuple[list[dict[str, Any]], np.ndarray]:
    """``share`` of the prior's runs, evenly spaced along its ranking, its best first."""
    order = np.argsort(prior.loss, kind="stable")
    keep = max(1, math.ceil(len(order) * share))
    picked = order[np.unique(np.round(np.linspace(0, len(order) - 1, keep)).astype(int))]
    values = ranks(prior.loss)
    return [prior.points[i] for i in picked], values[picked]


def combined_table(
    own_points: Sequence[dict[str, Any]], own_loss: np.ndarray, priors: Sequence[Prior]
) -> Table:
    """One table of the own runs and the faded priors, each valued by its rank in its source
    (``value``: lower is better); ``source`` names where each row came from."""
    share = kept_share(len(own_points))
    points, values, sources = list(own_points), list(ranks(np.asarray(own_loss, float))), []
    sources = ["own"] * len(points)
    for prior in priors:
        kept, kept_values = _thinned(prior, share)
        points += kept
        values += list(kept_values)
        sources += [prior.source] * len(kept)
    spaces, _, columns = spaces_of(points)
    frame = pd.DataFrame({"id": range(len(points)), "value": values, "source": sources})
    for space in spaces:
        frame[space.name] = columns[space.name]
    return Table("prior", "rank", "min", frame, spaces)


def suggest_with_priors(
    own_points: Sequence[dict[str, Any]],
    own_loss: np.ndarray,
    priors: Sequence[Prior],
    count: int,
    seed: int = 0,
) -> list[tuple[dict[str, Any], str]]:
    """``count`` untried points from TPE over the own runs and the faded priors, in the
    order TPE proposes them, each with why: where it lies against the best runs, and how
    many runs of each kind the model saw."""
    table = combined_table(own_points, own_loss, priors)
    if not table.spaces:
        return []
    taken = {_key(p) for p in own_points}
    region = best_region(table)
    seen_by = _seen_by(table, len(own_points), priors)
    chosen: list[tuple[dict[str, Any], str]] = []
    for point in _ask(table, count * 2, seed):
        if _key(point) in taken or len(chosen) >= count:
            continue
        taken.add(_key(point))
        why = reason_for(point, table.spaces, table, region)
        chosen.append((point, f"{why} (TPE over {seen_by})"))
    return chosen


def _ask(table: Table, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` points TPE proposes in turn (``constant_liar``: each one apart from the last)."""
    with quiet_optuna() as optuna:
        sampler = optuna.samplers.TPESampler(
            seed=seed, multivariate=MULTIVARIATE, constant_liar=True, n_startup_trials=0
        )
        study = optuna.create_study(direction="minimize", sampler=sampler)
        study.add_trials(trials(optuna, table, table.loss()))
        spaces = {s.name: distribution(optuna, s) for s in table.spaces}
        asked = []
        for _ in range(count):
            trial = study.ask(spaces)
            asked.append({s.name: rounded(s, trial.params[s.name]) for s in table.spaces})
    return asked


def _seen_by(table: Table, own: int, priors: Sequence[Prior]) -> str:
    counts = table.frame["source"].value_counts()
    parts = [f"{own} own run{'s' * (own != 1)}"] if own else []
    parts += [_share(int(counts.get(p.source, 0)), len(p.points), p.source) for p in priors]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def _share(kept: int, held: int, source: str) -> str:
    return (
        f"the {held} runs of {source}" if kept == held else f"{kept} of the {held} runs of {source}"
    )


def _key(point: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, repr(v)) for k, v in point.items()))
