"""TPE with similar data sets' runs as fading priors, on planted optima.

The prior's runs peak at a planted ``lr`` of 0.05 (on a scale of its own); the
experiment's own runs, when given, peak at 0.5. With no own run the sampler
proposes points near the prior's optimum; once the experiment has enough runs
of its own, its own optimum leads.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nbjournal.analysis.prior_tpe import (
    FADE,
    Prior,
    combined_table,
    kept_share,
    ranks,
    suggest_with_priors,
)


def _runs(optimum: float, count: int, seed: int, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    points = [
        {"lr": float(10 ** rng.uniform(-3, 0)), "depth": int(rng.integers(2, 12))}
        for _ in range(count)
    ]
    loss = np.array([scale * abs(math.log10(p["lr"] / optimum)) for p in points])
    return points, loss


def _prior(count: int = 60) -> Prior:
    points, loss = _runs(0.05, count, seed=1, scale=100.0)
    return Prior("a-tune on a data set at distance 0.03", 0.03, points, loss)


def test_each_sources_values_become_ranks_best_zero_worst_one_ties_shared():
    assert list(ranks(np.array([3.0, 1.0, 2.0, 2.0, 9.0]))) == [0.75, 0.0, 0.375, 0.375, 1.0]
    assert list(ranks(np.array([4.0]))) == [0.0]


def test_the_priors_fade_as_the_experiments_own_runs_accumulate():
    prior = _prior(60)
    alone = combined_table([], np.array([]), [prior])
    assert len(alone.frame) == 60 and set(alone.frame["source"]) == {prior.source}
    own, loss = _runs(0.5, FADE, seed=2)
    half = combined_table(own, loss, [prior])
    lent = half.frame[half.frame["source"] == prior.source]
    assert kept_share(FADE) == 0.5 and len(lent) == 30
    # the prior's best is always kept, its rank 0 like the own best's
    assert (
        lent["value"].min() == 0.0 and half.frame[half.frame["source"] == "own"]["value"].min() == 0
    )
    many, many_loss = _runs(0.5, 90, seed=3)
    assert (combined_table(many, many_loss, [prior]).frame["source"] == prior.source).sum() == 6


def _distance_to(points, optimum: float) -> float:
    return float(np.median([abs(math.log10(p["lr"] / optimum)) for p in points]))


def test_with_no_own_run_the_points_lie_near_the_priors_optimum_and_say_so():
    prior = _prior()
    asked = suggest_with_priors([], np.array([]), [prior], 4)
    assert len(asked) == 4
    # the prior's runs span lr 0.001–1 (3 decades): its optimum is found within a third of one
    assert _distance_to([p for p, _ in asked], 0.05) < 0.33
    assert all(
        "(TPE over the 60 runs of a-tune on a data set at distance 0.03)" in r for _, r in asked
    )


def test_once_the_experiment_has_its_own_runs_its_own_optimum_leads():
    prior = _prior()
    own, loss = _runs(0.5, 60, seed=4)
    asked = suggest_with_priors(own, loss, [prior], 4)
    assert _distance_to([p for p, _ in asked], 0.5) < 0.33
    assert _distance_to([p for p, _ in asked], 0.05) > 0.6
    assert all("TPE over 60 own runs and 9 of the 60 runs of a-tune" in r for _, r in asked)
    assert not {repr(sorted(p.items())) for p, _ in asked} & {repr(sorted(p.items())) for p in own}


def test_the_same_history_gives_the_same_points():
    own, loss = _runs(0.5, 5, seed=5)
    first = suggest_with_priors(own, loss, [_prior()], 3)
    assert first == suggest_with_priors(own, loss, [_prior()], 3)


@pytest.mark.parametrize("count", [1, 3])
def test_no_prior_and_no_own_run_gives_nothing(count):
    assert suggest_with_priors([], np.array([]), [], count) == []


def test_every_setting_the_sources_tuned_is_modelled_and_proposed():
    """Two real-valued settings drawn independently (each run's values all distinct) are two
    settings, not one mirroring the other: the priors' TPE models and proposes both (until
    the mirrors rule asked for evidence, l2 was folded into lr and never tuned)."""
    rng = np.random.default_rng(7)
    points = [{"lr": float(10 ** rng.uniform(-3, 0)), "l2": float(10 ** rng.uniform(-3, 1)),
               "leaves": int(rng.integers(4, 64))} for _ in range(50)]  # fmt: skip
    loss = np.array(
        [abs(math.log10(p["lr"] / 0.05)) + abs(math.log10(p["l2"] / 3.0)) for p in points]
    )
    prior = Prior("hgb-clf_02 on a data set at distance 0.01", 0.01, points, loss)
    assert {s.name for s in combined_table([], np.array([]), [prior]).spaces} == {
        "lr",
        "l2",
        "leaves",
    }
    asked = suggest_with_priors([], np.array([]), [prior], 4)
    assert all(set(p) == {"lr", "l2", "leaves"} for p, _ in asked)
    # the planted l2 optimum (3.0, on a 0.001–10 range) is what the points lean to
    assert float(np.median([abs(math.log10(p["l2"] / 3.0)) for p, _ in asked])) < 0.6
