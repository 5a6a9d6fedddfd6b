"""The one comparison rule: does a difference between two groups of runs beat run-to-run noise?

Every view that compares (``%journal compare``, the grid summary, insights, the
closest-run line, ``%inference --runs``) asks this module, so a difference is
called ``better`` in one place only when it is in all. The rule, its defaults and
its limits are written out in ``docs/statistics.md``; in short:

- the difference of means (a − b) with its 95 % interval: Welch's t interval
  (``scipy.stats.ttest_ind(equal_var=False)``), or the paired t interval
  (``scipy.stats.ttest_rel``) when both sides ran on the same seeds;
- ``better``/``worse`` when the interval excludes 0 (in the metric's direction)
  and each side has at least 3 runs;
- ``within noise`` when it does not and the difference is smaller than one
  run-to-run standard deviation (or, with ``min_effect``, when the runs had
  80 % power to show a difference of that size);
- else ``needs N more repeats``: N from the power of the same t-test
  (noncentral t, ``scipy.stats.nct``) at 80 % for the observed difference, or
  for ``min_effect``.

The rule works on whole batches (:func:`compare_batch`), so the planted-truth
simulations in the tests run thousands of comparisons in milliseconds;
:func:`compare_values` is the same rule on one pair of groups. scipy is
imported when a comparison is made, never at import.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "LEVEL",
    "MIN_RUNS",
    "POWER",
    "Batch",
    "Comparison",
    "Noise",
    "compare_batch",
    "compare_values",
    "runs_needed",
]

LEVEL = 0.95  # the interval's confidence level; the test's false-alarm rate is 1 - LEVEL
POWER = 0.8  # the power "needs N more repeats" plans for
MIN_RUNS = 3  # never better/worse with fewer runs than this on a side
MAX_RUNS = 100_000  # "needs N more" is capped here (a difference next to nothing)

_WITHIN, _BETTER, _WORSE, _NEEDS = 0, 1, 2, 3


@dataclass(frozen=True)
class Noise:
    """Run-to-run noise measured elsewhere, for a side with a single run.

    ``sd`` is the standard deviation of one configuration's repeats, ``n`` how many
    repeats it rests on, ``source`` what a person reads (``configuration #41``).
    """

    sd: float
    n: int
    source: str = "other repeats"


@dataclass(frozen=True)
class Comparison:
    """The verdict on one difference, with the evidence it rests on.

    ``difference`` is mean(a) − mean(b); ``verdict`` says how a stands against b in
    the metric's direction (``better`` means a is better).
    """

    difference: float
    interval: tuple[float, float]
    n_a: int
    n_b: int
    paired: bool
    needed: int | None
    verdict: str
    mean_a: float
    mean_b: float
    noise: float  # one run's standard deviation (pooled, or borrowed)
    higher_is_better: bool = True
    metric: str | None = None
    min_effect: float | None = None
    borrowed: str | None = None  # where the noise came from when a side had one run
    note: str | None = None  # "no repeats: run `--repeat 3` to tell"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def half_width(self) -> float:
        """Half the interval's width: the ``±`` a person reads."""
        low, high = self.interval
        return (high - low) / 2

    @property
    def decided(self) -> bool:
        """Whether the rule calls a winner (``better`` or ``worse``)."""
        return self.verdict in ("better", "worse")

    def evidence(self) -> dict[str, object]:
        """Plain data (JSON-ready) for the store, the REST API and the sidebar."""
        return {
            "metric": self.metric,
            "difference": _finite(self.difference),
            "interval": [_finite(self.interval[0]), _finite(self.interval[1])],
            "n_a": self.n_a,
            "n_b": self.n_b,
            "mean_a": _finite(self.mean_a),
            "mean_b": _finite(self.mean_b),
            "paired": self.paired,
            "needed": self.needed,
            "verdict": self.verdict,
            "higher_is_better": self.higher_is_better,
            "min_effect": self.min_effect,
            "borrowed": self.borrowed,
            "note": self.note,
        }

    def describe(self) -> str:
        """The evidence in words, without the metric's name."""
        low, high = self.interval
        if math.isfinite(low) and math.isfinite(high):
            span = f"95 % interval {_signed(low)} to {_signed(high)}"
        else:
            span = "no interval"
        pairing = ", paired by seed" if self.paired else ""
        text = f"{_signed(self.difference)} ({span}; {self.n_a} vs {self.n_b} runs{pairing})"
        if self.borrowed:
            text += f", noise borrowed from {self.borrowed}"
        return text

    def __str__(self) -> str:
        name = f"{self.metric} " if self.metric else ""
        tail = f" ({self.note})" if self.note else ""
        return f"{name}{self.describe()}: {self.verdict}{tail}"

    def _repr_html_(self) -> str:
        low, high = self.interval
        rows = [
            ("metric", self.metric or "–"),
            ("a", f"{_plain(self.mean_a)} (n={self.n_a})"),
            ("b", f"{_plain(self.mean_b)} (n={self.n_b})"),
            ("difference a − b", _signed(self.difference)),
            ("95 % interval", f"{_signed(low)} to {_signed(high)}"),
            ("paired by seed", "yes" if self.paired else "no"),
        ]
        if self.borrowed:
            rows.append(("noise borrowed from", self.borrowed))
        verdict = self.verdict + (f" — {self.note}" if self.note else "")
        rows.append(("verdict", verdict))
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<table class='nbjournal-comparison'>{body}</table>"


@dataclass(frozen=True)
class Batch:
    """:func:`compare_batch`'s answer: one entry per comparison, as arrays."""

    difference: np.ndarray
    low: np.ndarray
    high: np.ndarray
    noise: np.ndarray
    needed: np.ndarray  # -1 where no repeats are needed
    code: np.ndarray  # 0 within noise, 1 better, 2 worse, 3 needs N more repeats

    def verdicts(self) -> list[str]:
        return [_verdict_text(int(c), int(n)) for c, n in zip(self.code, self.needed, strict=True)]

    @property
    def decided(self) -> np.ndarray:
        return (self.code == _BETTER) | (self.code == _WORSE)


def compare_values(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    higher_is_better: bool = True,
    seeds_a: Sequence[object] | None = None,
    seeds_b: Sequence[object] | None = None,
    min_effect: float | None = None,
    *,
    noise: Noise | None = None,
    metric: str | None = None,
) -> Comparison:
    """Compare two groups of one metric's values (the repeats of two configurations).

    ``seeds_a``/``seeds_b`` pair the runs seed by seed when both sides ran on the
    same seeds; ``min_effect`` is the smallest difference worth finding (the
    ``--min-effect`` option); ``noise`` is used when neither side has two runs of
    its own. NaN values (a failed run) are left out.
    """
    values_a = _clean(a, "a")
    values_b = _clean(b, "b")
    if min_effect is not None and not (math.isfinite(min_effect) and min_effect > 0):
        raise ValueError(f"min_effect must be a positive number, not {min_effect!r}")
    order = _pairing(a, b, seeds_a, seeds_b)
    paired = order is not None
    if order is not None:
        values_a, values_b = order
    if not len(values_a) or not len(values_b):
        side = "a" if not len(values_a) else "b"
        raise ValueError(f"nothing to compare: side {side} has no finite value")
    borrowed: str | None = None
    note: str | None = None
    if len(values_a) < 2 and len(values_b) < 2:
        if noise is not None and noise.n >= 2 and math.isfinite(noise.sd):
            borrowed = noise.source
        else:
            note = "no repeats: run `--repeat 3` to tell"
            noise = None
    batch = compare_batch(
        values_a[None, :],
        values_b[None, :],
        higher_is_better=higher_is_better,
        paired=paired,
        min_effect=min_effect,
        noise_sd=noise.sd if borrowed and noise else None,
        noise_n=noise.n if borrowed and noise else None,
    )
    code, needed = int(batch.code[0]), int(batch.needed[0])
    if note:
        code, needed = _NEEDS, MIN_RUNS - min(len(values_a), len(values_b))
    return Comparison(
        difference=float(batch.difference[0]),
        interval=(float(batch.low[0]), float(batch.high[0])),
        n_a=len(values_a),
        n_b=len(values_b),
        paired=paired,
        needed=needed if code == _NEEDS else None,
        verdict=_verdict_text(code, needed),
        mean_a=float(values_a.mean()),
        mean_b=float(values_b.mean()),
        noise=float(batch.noise[0]),
        higher_is_better=higher_is_better,
        metric=metric,
        min_effect=min_effect,
        borrowed=borrowed,
        note=note,
    )


def compare_batch(
    a: np.ndarray,
    b: np.ndarray,
    higher_is_better: bool = True,
    paired: bool = False,
    min_effect: float | None = None,
    noise_sd: float | None = None,
    noise_n: int | None = None,
) -> Batch:
    """The rule on many comparisons at once: row i of ``a`` against row i of ``b``.

    ``a`` is (k, n_a) and ``b`` (k, n_b), with no NaN; ``paired`` pairs column j of
    ``a`` with column j of ``b`` (same seed). ``noise_sd``/``noise_n`` stand in
    for the noise when a side has a single run and the other too.
    """
    from scipy import stats

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    k, n_a = a.shape
    n_b = b.shape[1]
    difference = a.mean(axis=1) - b.mean(axis=1)
    alpha = 1 - LEVEL
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        # Identical values (deterministic runs) are handled below, not warned about.
        warnings.simplefilter("ignore", RuntimeWarning)
        sd = _pooled_sd(a, b, noise_sd)
        if paired and n_a >= 2:
            diffs = a - b
            spread = diffs.std(axis=1, ddof=1)
            result = stats.ttest_rel(a, b, axis=1)
            interval = result.confidence_interval(LEVEL)
            low, high = np.asarray(interval.low), np.asarray(interval.high)
        elif n_a >= 2 and n_b >= 2:
            result = stats.ttest_ind(a, b, axis=1, equal_var=False)
            interval = result.confidence_interval(LEVEL)
            low, high = np.asarray(interval.low), np.asarray(interval.high)
            spread = sd
        else:
            # One side has a single run: the other side's spread (or the borrowed
            # noise) is the only measure of noise, so the pooled-variance interval.
            df = _pooled_df(n_a, n_b, noise_n)
            half = stats.t.ppf(1 - alpha / 2, df) * sd * math.sqrt(1 / n_a + 1 / n_b)
            low, high = difference - half, difference + half
            spread = sd
        # Zero spread (deterministic runs): the interval is the difference itself.
        exact = spread == 0
        low = np.where(exact, difference, low)
        high = np.where(exact, difference, high)
    better = (low > 0) if higher_is_better else (high < 0)
    worse = (high < 0) if higher_is_better else (low > 0)
    separated = better | worse
    enough = min(n_a, n_b) >= MIN_RUNS
    effect = np.abs(difference)
    n_now = min(n_a, n_b)
    if min_effect is None:
        small = (effect < sd) | ((effect == 0) & (sd == 0))
        within = ~separated & small
        plan = effect
    else:
        within = ~separated & (_power(min_effect, spread, n_now, paired) >= POWER)
        plan = np.full(k, float(min_effect))
    code = np.full(k, _NEEDS, dtype=np.int8)
    code[within] = _WITHIN
    code[better & enough] = _BETTER
    code[worse & enough] = _WORSE
    needs = code == _NEEDS
    needed = np.full(k, -1, dtype=np.int64)
    if needs.any():
        total = runs_needed(plan[needs], np.broadcast_to(spread, (k,))[needs], paired)
        needed[needs] = np.maximum(np.maximum(total - n_now, MIN_RUNS - n_now), 1)
    return Batch(difference, low, high, np.broadcast_to(sd, (k,)).copy(), needed, code)


def runs_needed(
    effect: np.ndarray | float, spread: np.ndarray | float, paired: bool = False
) -> np.ndarray:
    """Runs per side for an 80 % chance that the 95 % interval excludes 0.

    The power of the two-sided t-test (pooled, 2n − 2 degrees of freedom; paired,
    n − 1 on the differences' spread) from the noncentral t distribution, solved
    for the smallest n by bisection over whole runs, all comparisons at once.
    """
    from scipy import stats

    effect_arr = np.atleast_1d(np.abs(np.asarray(effect, dtype=float)))
    spread_arr = np.broadcast_to(np.asarray(spread, dtype=float), effect_arr.shape)
    # The normal approximation brackets the answer: the t-test needs a little more.
    z = stats.norm.ppf(1 - (1 - LEVEL) / 2) + stats.norm.ppf(POWER)
    with np.errstate(divide="ignore", invalid="ignore"):
        approx = (1 if paired else 2) * (z * spread_arr / effect_arr) ** 2
    approx = np.nan_to_num(approx, nan=MAX_RUNS, posinf=MAX_RUNS)
    low = np.clip(np.floor(approx), 1, MAX_RUNS - 1).astype(np.int64)  # power(low) < POWER
    high = np.clip(np.ceil(approx * 1.25) + 4, 2, MAX_RUNS).astype(np.int64)
    while True:  # widen where the bracket is short (rare: tiny n)
        short = (high < MAX_RUNS) & (_power(effect_arr, spread_arr, high, paired) < POWER)
        if not short.any():
            break
        low = np.where(short, high, low)
        high = np.where(short, np.minimum(high * 2, MAX_RUNS), high)
    while True:
        active = high - low > 1
        if not active.any():
            return high
        middle = (low + high) // 2
        ok = _power(effect_arr[active], spread_arr[active], middle[active], paired) >= POWER
        high[active] = np.where(ok, middle[active], high[active])
        low[active] = np.where(ok, low[active], middle[active])


def _power(
    effect: np.ndarray | float, spread: np.ndarray | float, n: np.ndarray | int, paired: bool
) -> np.ndarray:
    """The two-sided t-test's power to find ``effect`` with ``n`` runs a side."""
    from scipy import stats

    n_arr = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if paired:
            df = n_arr - 1
            ncp = np.asarray(effect) / (np.asarray(spread) / np.sqrt(n_arr))
        else:
            df = 2 * n_arr - 2
            ncp = np.asarray(effect) / (np.asarray(spread) * np.sqrt(2 / n_arr))
        # Beyond a noncentrality of 40 the power is 1 to many digits (and scipy's
        # noncentral t loses precision there).
        ncp = np.clip(np.nan_to_num(ncp, nan=0.0, posinf=40.0), 0.0, 40.0)
        df = np.maximum(df, 1)
        critical = stats.t.ppf(1 - (1 - LEVEL) / 2, df)
        upper = np.nan_to_num(stats.nct.sf(critical, df, ncp), nan=1.0)
        lower = np.nan_to_num(stats.nct.cdf(-critical, df, ncp), nan=0.0)  # far tail: ~0
        power = upper + lower
    return np.where(ncp >= 40.0, 1.0, power)


def _pooled_sd(a: np.ndarray, b: np.ndarray, noise_sd: float | None) -> np.ndarray:
    """One run's standard deviation, from every side that has two runs or more."""
    parts = [(x.var(axis=1, ddof=1), x.shape[1] - 1) for x in (a, b) if x.shape[1] >= 2]
    if not parts:
        return np.full(a.shape[0], np.nan if noise_sd is None else float(noise_sd))
    total = sum(var * df for var, df in parts)
    return np.sqrt(total / sum(df for _, df in parts))


def _pooled_df(n_a: int, n_b: int, noise_n: int | None) -> float:
    df = sum(n - 1 for n in (n_a, n_b) if n >= 2)
    if df == 0:
        df = (noise_n or 2) - 1
    return float(df)


def _pairing(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    seeds_a: Sequence[object] | None,
    seeds_b: Sequence[object] | None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The two sides ordered seed by seed, when they ran on the same seeds (else None)."""
    for seeds, values in ((seeds_a, a), (seeds_b, b)):
        if seeds is not None and len(seeds) != len(values):
            raise ValueError("seeds_a and seeds_b must name one seed per value")
    if seeds_a is None or seeds_b is None:
        return None
    keys_a = [_seed_key(s) for s in seeds_a]
    keys_b = [_seed_key(s) for s in seeds_b]
    if None in keys_a or None in keys_b:
        return None
    if len(set(keys_a)) != len(keys_a) or set(keys_a) != set(keys_b) or len(keys_a) < 2:
        return None
    by_seed_b = dict(zip(keys_b, np.asarray(b, dtype=float), strict=True))
    pairs = [
        (float(x), by_seed_b[key])
        for key, x in zip(keys_a, np.asarray(a, dtype=float), strict=True)
    ]
    pairs = [(x, y) for x, y in pairs if math.isfinite(x) and math.isfinite(y)]
    if len(pairs) < 2:
        return None
    return np.array([x for x, _ in pairs]), np.array([y for _, y in pairs])


def _seed_key(seed: object) -> str | None:
    return None if seed is None else repr(seed)


def _clean(values: ArrayLike, side: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"side {side} must be a sequence of numbers") from None
    return array[np.isfinite(array)]


def _verdict_text(code: int, needed: int) -> str:
    if code == _BETTER:
        return "better"
    if code == _WORSE:
        return "worse"
    if code == _WITHIN:
        return "within noise"
    return f"needs {needed} more repeat{'s' if needed != 1 else ''}"


def _signed(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:+.4g}".replace("-", "−")


def _plain(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "–"


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
