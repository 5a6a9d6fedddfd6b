"""Which parameters mattered, with honest uncertainty: Optuna's PED-ANOVA fed from the journal.

The journal's runs become Optuna trials in an in-memory study, one
distribution per parameter spanning every value any run used (so ranges that
changed between grids are one range) and present only in the runs that had it
(PED-ANOVA treats such conditional parameters by regime; Optuna's study API
would refuse them as an unchanging search space).

- **Interval**: the spread (5th–95th percentile) of each parameter's share of
  importance over :data:`DRAWS` random subsamples of 70 % of the runs (at most
  :data:`MAX_SAMPLE`).
- **Noise floor**: the same importance computed with the metric shuffled among
  the runs, :data:`SHUFFLES` times; a parameter *matters* when it beats what
  any parameter reached on shuffled data (see :func:`_standing`); not made when
  repeats judge every parameter (:mod:`.repeat_effects`).
- **Rule**: no ranking with fewer than :data:`MIN_RUNS` finished runs with the
  metric: PED-ANOVA compares the top quantile with all runs, and needs at least
  5 runs above a quantile of at most 50 %. The quantile holds :data:`TOP_RUNS`
  runs where it can (10 % of a long history, up to 50 % of a short one).

fANOVA was measured too: its random forest took 16 s on 2,000 runs, too slow
for a view that must answer in seconds.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .history import Space, Table

if TYPE_CHECKING:
    from optuna.distributions import BaseDistribution
    from optuna.trial import FrozenTrial

MIN_RUNS = 10
#: PED-ANOVA's top quantile holds at least this many runs (between 10 % and 50 % of them).
TOP_RUNS = 10
DRAWS = 20
SHUFFLES = 20
SUBSAMPLE = 0.7
MAX_SAMPLE = 1500
#: Runs the study holds at most: every evaluation reads at most :data:`MAX_SAMPLE` of them, and
#: making 10,000 trials alone cost ~0.8 s of CPU (Optuna copies each one).
MAX_STUDY = 2 * MAX_SAMPLE
RULE = (
    f"importances need at least {MIN_RUNS} finished runs with the metric "
    "(at least 5 of them in the top quantile of at most 50 %) and a parameter that varied"
)
COLUMNS = ["param", "importance", "low", "high", "raw", "matters", "runs"]


@contextmanager
def quiet_optuna() -> Iterator[ModuleType]:
    """Optuna, imported lazily, with its info logs and experimental warnings silenced."""
    try:
        import optuna
    except ImportError:
        raise ImportError(
            "nbjournal insights need Optuna: pip install optuna (or nbjournal[insights])"
        ) from None
    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield optuna
    finally:
        optuna.logging.set_verbosity(verbosity)


def distribution(optuna: ModuleType, space: Space) -> BaseDistribution:
    kinds = _shared_kinds(optuna)
    if not space.numeric:
        return kinds["categorical"](space.choices)
    if space.integer:
        return kinds["int"](int(space.low), int(space.high), log=space.log)
    return kinds["float"](space.low, space.high, log=space.log)


class _Shared:
    """A distribution is never changed once made: its copy is itself, its hash computed once.

    Optuna deep-copies every trial's distributions as a study takes it, and PED-ANOVA
    hashes and compares one per trial, parameter and evaluation (a dict keyed by
    them): at 10,000 runs that was half of what insights spent. Shared, a lookup
    is an identity check; the values, and so every result, are Optuna's own.
    """

    __slots__ = ("_hash",)  # out of ``__dict__``, which equality compares
    _hash: int

    def __deepcopy__(self, memo: dict[int, object]) -> _Shared:
        return self

    def __copy__(self) -> _Shared:
        return self

    def __eq__(self, other: object) -> bool:
        # ``!=`` never checks identity first, and Optuna asks ``d != d`` of every
        # parameter of every trial it takes (comparing choices one by one)
        return self is other or super().__eq__(other)

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:
            self._hash = super().__hash__()
            return self._hash


@functools.cache
def _shared_kinds(optuna: ModuleType) -> dict[str, Any]:
    """Optuna's three distributions, each as a :class:`_Shared` one (made once per import)."""
    d = optuna.distributions
    return {
        name: type(base.__name__, (_Shared, base), {})
        for name, base in (
            ("categorical", d.CategoricalDistribution),
            ("int", d.IntDistribution),
            ("float", d.FloatDistribution),
        )
    }


def trials(optuna: ModuleType, table: Table, values: np.ndarray) -> list[FrozenTrial]:
    """One completed trial per run: only the parameters that run had."""
    distributions = {s.name: distribution(optuna, s) for s in table.spaces}
    columns = {s.name: table.frame[s.name].tolist() for s in table.spaces}
    made = []
    for i, value in enumerate(values):
        params = {n: c[i] for n, c in columns.items() if _present(c[i])}
        made.append(
            optuna.trial.create_trial(
                params=params,
                distributions={n: distributions[n] for n in params},
                value=float(value),
            )
        )
    return made


def _present(value: object) -> bool:
    """Absent parameters are ``None`` in text columns and NaN in numeric ones."""
    return value is not None and value == value


def importances(table: Table, seed: int = 0) -> tuple[pd.DataFrame, str]:
    """``(frame, verdict)``: one row per parameter, most important first, and a sentence."""
    n = len(table.frame)
    if n < MIN_RUNS or not table.spaces:
        reason = f"{n} finished run{'s' * (n != 1)} with {table.metric or 'a metric'}"
        if n >= MIN_RUNS:
            reason = "no parameter varied"
        return pd.DataFrame(columns=COLUMNS), f"too few runs to tell ({reason}): {RULE}"
    names = table.params
    # Where repeats measured the noise, a parameter matters when its effect beats that
    # noise (:mod:`.repeat_effects`); PED-ANOVA's shuffles judge the others, and are made
    # only when there are others (a repeated grid needs none: 20 of 43 evaluations).
    from .repeat_effects import repeat_effects

    tested = repeat_effects(table)
    rng = np.random.default_rng(seed)
    studied = _studied(table, rng)
    loss = studied.loss()
    with quiet_optuna() as optuna:
        study = optuna.create_study(direction="minimize")
        study.add_trials(trials(optuna, studied, loss))
        numbers = np.array([t.number for t in study.get_trials(deepcopy=False)])

        def evaluate(target: np.ndarray, size: int) -> dict[str, float]:
            quantile = min(0.5, max(0.1, TOP_RUNS / max(size, 1)))
            evaluator = optuna.importance.PedAnovaImportanceEvaluator(target_quantile=quantile)
            by_number = dict(zip(numbers.tolist(), target.tolist(), strict=True))
            found = evaluator.evaluate(study, params=names, target=lambda t: by_number[t.number])
            return {k: float(v) for k, v in found.items()}

        size = min(n, MAX_SAMPLE)
        if n > MAX_SAMPLE:
            observed: dict[str, float] = {k: 0.0 for k in names}
            for _ in range(3):  # a big history: the mean over a few large samples
                for k, v in evaluate(_masked(loss, rng, size), size).items():
                    observed[k] += v / 3
        else:
            observed = evaluate(loss, n)
        draw_size = max(MIN_RUNS // 2, math.ceil(SUBSAMPLE * size))
        shares = [_shares(evaluate(_masked(loss, rng, draw_size), draw_size)) for _ in range(DRAWS)]
        shuffled = (
            [evaluate(_shuffled(loss, rng, size), size) for _ in range(SHUFFLES)]
            if any(name not in tested for name in names)
            else []
        )
    standing = _standing(observed, shuffled, names) if shuffled else {}
    share = _shares(observed)
    rows = []
    for name in names:
        spread = [s.get(name, 0.0) for s in shares]
        rows.append({
            "param": name,
            "importance": share.get(name, 0.0),
            "low": float(np.quantile(spread, 0.05)),
            "high": float(np.quantile(spread, 0.95)),
            "raw": observed.get(name, 0.0),
            "matters": tested[name].matters if name in tested else standing[name],
            "runs": int(table.frame[name].notna().sum()),
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS).sort_values(
        ["matters", "importance"], ascending=False, ignore_index=True
    )
    mattering = frame.loc[frame["matters"], "param"].tolist()
    how = (
        f"F test against the repeats' noise, {next(iter(tested.values())).noise_df} df"
        if tested
        else f"against {SHUFFLES} shuffles of {table.metric}"
    )
    if not mattering:
        verdict = f"no parameter stands out from noise ({how}; {n} runs)"
    else:
        verdict = f"{', '.join(mattering)} mattered for {table.metric} ({how}; {n} runs)"
    within = [name for name in names if name in tested and not tested[name].matters]
    if mattering and within:
        verdict += f"; {', '.join(within)}: within noise"
    return frame, verdict


def _studied(table: Table, rng: np.random.Generator) -> Table:
    """``table``, or a random :data:`MAX_STUDY` of its runs when it has more (a long
    history): the evaluations below sample from these, as they would from all."""
    if len(table.frame) <= MAX_STUDY:
        return table
    rows = np.sort(rng.choice(len(table.frame), size=MAX_STUDY, replace=False))
    return replace(table, frame=table.frame.iloc[rows].reset_index(drop=True))


def _standing(
    observed: dict[str, float], shuffled: list[dict[str, float]], names: list[str]
) -> dict[str, bool]:
    """Which parameters beat noise, having looked at several of them.

    A parameter must beat the 95th percentile of the largest importance any
    parameter reached on shuffled data (Westfall and Young's max-statistic
    permutation test). Putting each parameter on its own noise scale first
    (z-scores) was tried: on pure noise it flagged a parameter in 1 of 4
    planted journals, this rule in none.
    """
    largest = [max((s.get(n, 0.0) for n in names), default=0.0) for s in shuffled]
    threshold = float(np.quantile(largest, 0.95))
    return {n: observed.get(n, 0.0) > threshold for n in names}


def _masked(loss: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """``loss`` with all but a random ``size`` of the runs hidden (NaN: PED-ANOVA skips them)."""
    kept = np.full(loss.shape, np.nan)
    chosen = rng.choice(len(loss), size=min(size, len(loss)), replace=False)
    kept[chosen] = loss[chosen]
    return kept


def _shuffled(loss: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    sample = _masked(loss, rng, size)
    finite = ~np.isnan(sample)
    sample[finite] = rng.permutation(sample[finite])
    return sample


def _shares(raw: dict[str, float]) -> dict[str, float]:
    total = sum(raw.values())
    if total <= 0:
        return {k: 0.0 for k in raw}
    return {k: v / total for k, v in raw.items()}
