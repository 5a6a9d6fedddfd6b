"""The one comparison rule, measured against planted truth (issue 20, "Correctness, measured").

The rates are measured on the rule itself (``compare_batch``, the same code
``compare_values`` runs for one pair), so thousands of comparisons cost
milliseconds; ``test_one_pair_is_a_row_of_the_batch`` ties the two together.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nbjournal
from nbjournal.analysis.comparison import Noise, compare_batch, compare_values, runs_needed

SIGMA = 0.01  # a metric like accuracy: one run's spread


def _binomial_ceiling(rate: float, trials: int) -> float:
    """``rate`` plus three standard errors: what a true rate of ``rate`` stays under."""
    return rate + 3 * math.sqrt(rate * (1 - rate) / trials)


@pytest.mark.parametrize("seeds", [5, 20])
@pytest.mark.parametrize("paired", [False, True])
def test_a_configuration_against_itself_is_rarely_called_better_or_worse(
    seeds: int, paired: bool
) -> None:
    # Given 1,000 comparisons of one configuration against itself, 50 times over
    # (the rule's false-call rate is 5 % by construction; 50,000 comparisons
    # measure it to ±0.1 %, where 1,000 alone would wobble by ±0.7 %).
    rng = np.random.default_rng(seeds + 100 * paired)
    trials = 50_000
    a = rng.normal(0.95, SIGMA, size=(trials, seeds))
    b = rng.normal(0.95, SIGMA, size=(trials, seeds))
    # When
    batch = compare_batch(a, b, paired=paired)
    # Then better or worse in at most 5 % of them
    rate = float(batch.decided.mean())
    assert rate <= _binomial_ceiling(0.05, trials), rate


@pytest.mark.parametrize(("effect", "seeds"), [(1.0, 20), (1.5, 10)])
def test_a_true_difference_is_found_with_enough_seeds(effect: float, seeds: int) -> None:
    # Given a true difference of `effect` σ and `seeds` runs a side, 1,000 times
    rng = np.random.default_rng(int(effect * 10) + seeds)
    a = rng.normal(0.95 + effect * SIGMA, SIGMA, size=(1000, seeds))
    b = rng.normal(0.95, SIGMA, size=(1000, seeds))
    # When
    verdicts = compare_batch(a, b).verdicts()
    # Then at least 80 % of them say better (and none says worse)
    assert verdicts.count("better") >= 800, verdicts.count("better")
    assert verdicts.count("worse") == 0


def _simulated_runs_for_power(difference: float, sd: float, rng: np.random.Generator) -> int:
    """Runs a side at which the rule itself says ``better`` in 80 % of 4,000 trials."""
    low, high = 2, 400
    while high - low > 1:
        n = (low + high) // 2
        a = rng.normal(difference, sd, size=(4000, n))
        b = rng.normal(0.0, sd, size=(4000, n))
        found = float((compare_batch(a, b).code == 1).mean())
        low, high = (low, n) if found >= 0.8 else (n, high)
    return high


@pytest.mark.parametrize("effect", [1.0, 1.5])
def test_with_three_seeds_it_asks_for_about_as_many_repeats_as_a_simulation_needs(
    effect: float,
) -> None:
    # Given three seeds a side with a planted difference the rule cannot yet call
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(200):
        a = rng.normal(0.95 + effect * SIGMA, SIGMA, size=3)
        b = rng.normal(0.95, SIGMA, size=3)
        result = compare_values(a, b)
        if result.needed is None:
            continue
        # When a simulation, with the observed difference and noise as the truth,
        # finds the runs a side for 80 % power
        simulated = _simulated_runs_for_power(abs(result.difference), result.noise, rng)
        # Then the rule's N more repeats is within ±30 % of the simulation's
        assert result.verdict.startswith(f"needs {result.needed} more repeat")
        assert abs(result.needed - (simulated - 3)) <= 0.3 * (simulated - 3), (
            result,
            simulated,
        )
        checked += 1
        if checked == 4:
            break
    assert checked == 4


def test_the_power_solver_matches_a_simulation_of_the_t_test() -> None:
    rng = np.random.default_rng(3)
    for effect in (0.8, 1.0, 2.0):
        assert runs_needed(effect, 1.0)[0] == pytest.approx(
            _simulated_runs_for_power(effect, 1.0, rng), rel=0.1
        )


def test_never_better_or_worse_with_fewer_than_three_runs_a_side() -> None:
    result = compare_values([0.99, 0.991], [0.5, 0.501])
    assert result.interval[0] > 0  # the interval alone would call it
    assert result.verdict == "needs 1 more repeat"
    assert result.needed == 1
    assert not result.decided


def test_a_single_run_a_side_borrows_noise_or_says_to_repeat() -> None:
    # Given one run a side and the repeats of a nearby configuration
    noise = Noise(sd=0.006, n=5, source="configuration #41")
    # When the difference is inside that noise / far outside it
    inside = compare_values([0.962], [0.958], noise=noise, metric="val_accuracy")
    outside = compare_values([0.99], [0.90], noise=noise)
    bare = compare_values([0.962], [0.958])
    # Then
    assert inside.verdict == "within noise"
    assert inside.borrowed == "configuration #41"
    assert "noise borrowed from configuration #41" in str(inside)
    assert outside.verdict.startswith("needs ") and not outside.decided
    assert bare.verdict == "needs 2 more repeats"
    assert bare.note == "no repeats: run `--repeat 3` to tell"
    assert "run `--repeat 3` to tell" in str(bare)


def test_the_same_seeds_on_both_sides_are_compared_seed_by_seed() -> None:
    # Given a seed effect ten times the configurations' difference (planted)
    rng = np.random.default_rng(11)
    seed_effect = rng.normal(0, 10 * SIGMA, size=8)
    a = 0.9 + SIGMA + seed_effect + rng.normal(0, SIGMA / 5, size=8)
    b = 0.9 + seed_effect + rng.normal(0, SIGMA / 5, size=8)
    seeds = list(range(8))
    # When compared with and without the seeds (b in another order)
    paired = compare_values(a, b[::-1], seeds_a=seeds, seeds_b=seeds[::-1])
    unpaired = compare_values(a, b)
    # Then pairing sees the difference the seed noise hides
    assert paired.paired and paired.verdict == "better"
    assert paired.difference == pytest.approx(SIGMA, abs=SIGMA / 2)
    assert not unpaired.paired and unpaired.verdict != "better"
    # And different seeds are not paired
    assert not compare_values(a, b, seeds_a=seeds, seeds_b=[s + 10 for s in seeds]).paired


def test_lower_is_better_turns_the_verdict_around() -> None:
    losses_a = [0.20, 0.21, 0.19, 0.20]
    losses_b = [0.30, 0.31, 0.29, 0.30]
    assert compare_values(losses_a, losses_b, higher_is_better=False).verdict == "better"
    assert compare_values(losses_a, losses_b).verdict == "worse"


def test_min_effect_asks_whether_the_runs_could_have_shown_it() -> None:
    rng = np.random.default_rng(5)
    same_20 = rng.normal(0, 1, size=(2, 20))
    same_3 = rng.normal(0, 1, size=(2, 3))
    # 20 a side have 80 % power for 1 σ: a null result there is within noise
    assert compare_values(*same_20, min_effect=1.0).verdict == "within noise"
    # 3 a side do not: they need about 17 a side (noise as measured)
    three = compare_values(*same_3, min_effect=1.0)
    assert three.needed == runs_needed(1.0, three.noise)[0] - 3


def test_deterministic_runs_are_compared_exactly() -> None:
    assert compare_values([0.9] * 3, [0.9] * 3).verdict == "within noise"
    assert compare_values([0.91] * 3, [0.9] * 3).verdict == "better"


def test_one_pair_is_a_row_of_the_batch() -> None:
    rng = np.random.default_rng(2)
    a = rng.normal(0.3, 1, size=(50, 5))
    b = rng.normal(0.0, 1, size=(50, 5))
    batch = compare_batch(a, b)
    singles = [compare_values(x, y) for x, y in zip(a, b, strict=True)]
    assert [s.verdict for s in singles] == batch.verdicts()
    assert [s.interval[0] for s in singles] == pytest.approx(list(batch.low))


def test_the_result_reads_on_one_line_and_renders_escaped() -> None:
    result = nbjournal.compare_values(
        [0.97, 0.971, 0.969], [0.95, 0.951, 0.949], metric="<b>acc</b>"
    )
    text = str(result)
    assert "\n" not in text
    assert text.startswith("<b>acc</b> +0.02 (95 % interval")
    assert text.endswith(": better")
    html = result._repr_html_()
    assert "<b>acc" not in html and "&lt;b&gt;acc" in html
    assert result.evidence()["verdict"] == "better"


@pytest.mark.parametrize(
    ("a", "b", "options", "message"),
    [
        ("abc", [1.0], {}, "side a must be a sequence of numbers"),
        ([float("nan")], [1.0], {}, "side a has no finite value"),
        ([1.0, 2.0], [1.0, 2.0], {"min_effect": -1}, "min_effect must be a positive number"),
        ([1.0, 2.0], [1.0, 2.0], {"seeds_a": [1]}, "one seed per value"),
    ],
)
def test_bad_input_gets_one_clear_message(
    a: object, b: object, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        compare_values(a, b, **options)  # type: ignore[arg-type]
