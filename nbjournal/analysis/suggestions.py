"""What to try next: untried points proposed by Optuna's TPE sampler, warm-started from the journal.

Every finished run is told to the sampler as a completed trial; the sampler is
then asked for several times more candidates than wanted, one after another
(``constant_liar`` keeps it from proposing the same point each time). Points
already run, or proposed twice, are dropped; the rest are ranked by the metric
expected from the runs around them (a Gaussian-kernel average over the
history, in the parameters' own scales), so the list leads with what the
history supports and TPE's exploration fills the rest. Each point says why it
is worth a run, in words a person can check against the history.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..rules import format as fmt
from .history import Space, Table
from .importance import distribution, quiet_optuna, trials

#: Fewer finished runs than this and the sampler has nothing to model: no suggestion.
MIN_RUNS = 4
#: The model is asked this many times the number of points wanted.
_ASKS = 4
#: The sampler models at most this many of the latest runs: its cost grows with the history
#: (each of its asks reads every trial: 2,000 runs were 0.5 s of the Insights section's CPU at
#: 10,000 runs, 1,000 are 0.3 s; its top tenth, what TPE models as good, is still 100 runs).
MAX_HISTORY = 1000


def suggest(table: Table, count: int = 5, seed: int = 0) -> pd.DataFrame:
    """``count`` untried points, best first: ``rank, point, reason`` and a column per parameter."""
    columns = ["rank", "point", "reason", "expected", *table.params]
    if len(table.frame) < MIN_RUNS or not table.spaces or count <= 0:
        return pd.DataFrame(columns=columns)
    recent = table.frame.tail(MAX_HISTORY)
    view = Table(table.experiment, table.metric, table.goal, recent, table.spaces)
    tried = {_key(point) for point in _points(view)}
    best = best_region(view)
    wide = Table(table.experiment, table.metric, table.goal, recent, widened(view))
    rows: list[dict[str, Any]] = []
    with quiet_optuna() as optuna:
        sampler = optuna.samplers.TPESampler(
            seed=seed, multivariate=True, constant_liar=True, n_startup_trials=0
        )
        study = optuna.create_study(direction="minimize", sampler=sampler)
        study.add_trials(trials(optuna, wide, wide.loss()))
        spaces = {s.name: distribution(optuna, s) for s in wide.spaces}
        for _ in range(count * _ASKS):
            trial = study.ask(spaces)
            point = {s.name: rounded(s, trial.params[s.name]) for s in wide.spaces}
            key = _key(point)
            if key in tried:
                continue
            tried.add(key)
            rows.append({"point": point, "reason": reason_for(point, table.spaces, view, best)})
    expected = _expected(view, [r["point"] for r in rows])
    for row, value in zip(rows, expected, strict=True):
        row["expected"] = value if table.goal == "min" else -value
    rows = [rows[i] for i in np.argsort(expected, kind="stable")][:count]
    frame = pd.DataFrame([{**r, **r["point"]} for r in rows], columns=columns[1:])
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


def can_bind(name: str) -> bool:
    """Whether a cell can be given ``name`` (``-p`` binds identifiers); ``fit.epochs`` and
    ``model.layers`` are what a cell derives from them."""
    return name.isidentifier()


def widened(table: Table) -> list[Space]:
    """The parameters' ranges, each numeric one stretched by one step past the edge where
    the best run sits (the step between the two values tried nearest that edge, a ratio on
    a log scale): a metric still rising towards the largest value tried says to look
    beyond it, which a sampler held to the range tried never does (issue 21.7)."""
    best = table.frame.iloc[int(np.argmin(table.loss()))]
    spaces = []
    for space in table.spaces:
        values = sorted(set(pd.to_numeric(table.frame[space.name], errors="coerce").dropna()))
        value = pd.to_numeric(pd.Series([best[space.name]]), errors="coerce").iloc[0]
        if not space.numeric or not can_bind(space.name) or len(values) < 2 or value != value:
            spaces.append(space)
            continue
        low, high = space.low, space.high
        if value >= values[-1]:
            high = high * (high / values[-2]) if space.log else high + (high - values[-2])
        if value <= values[0]:
            low = low / (values[1] / low) if space.log else low - (values[1] - low)
            low = low if low > 0 or space.low <= 0 else space.low / 2
        if space.integer:
            low, high = math.floor(low), math.ceil(high)
        spaces.append(dataclasses.replace(space, low=float(low), high=float(high)))
    return spaces


#: Width of the kernel, as a fraction of each parameter's range.
BANDWIDTH = 0.12


def _expected(table: Table, points: list[Mapping[str, object]]) -> np.ndarray:
    """The loss each point is expected to reach: a kernel-weighted mean over the history."""
    if not points:
        return np.zeros(0)
    history = np.stack([_coordinates(s, table.frame[s.name]) for s in table.spaces], axis=1)
    asked = np.stack(
        [_coordinates(s, pd.Series([p[s.name] for p in points])) for s in table.spaces], axis=1
    )
    categorical = np.array([not s.numeric for s in table.spaces])
    distance = np.abs(asked[:, None, :] - history[None, :, :])
    distance[..., categorical] = (distance[..., categorical] > 0).astype(float)
    distance = np.nan_to_num(distance, nan=1.0)  # a parameter one side lacks: far
    weights = np.exp(-0.5 * (distance**2).sum(axis=2) / BANDWIDTH**2) + 1e-12
    return (weights @ table.loss()) / weights.sum(axis=1)


def _coordinates(space: Space, values: pd.Series) -> np.ndarray:
    """Values on a 0–1 scale (log where the space is), categories as their index."""
    if not space.numeric:
        index = {c: i for i, c in enumerate(space.choices)}
        return np.array([index.get(v, np.nan) for v in values], dtype=float)
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    low, high = space.low, space.high
    if space.log:
        numbers, low, high = np.log10(numbers), math.log10(low), math.log10(high)
    return (numbers - low) / ((high - low) or 1.0)


def _points(table: Table) -> list[dict[str, Any]]:
    return table.frame[table.params].to_dict("records")


def _key(point: Mapping[str, object]) -> tuple[tuple[str, object], ...]:
    """What makes two points the same run: the names a cell can be given (a point differing
    only in ``fit.epochs`` is run as the same cell, issue 21.7), floats as they read
    (``0.1 * 0.01`` is lr 0.001)."""
    return tuple(
        sorted(
            (k, float(f"{v:.6g}") if isinstance(v, float) else v)
            for k, v in point.items()
            if can_bind(k) and v is not None and v == v
        )
    )


def rounded(space: Space, value: Any) -> Any:
    """Two significant digits for floats, so that a point reads (and is run) as people write it."""
    if not space.numeric or space.integer:
        return value
    if value == 0:
        return 0.0
    digits = 1 - math.floor(math.log10(abs(value)))
    return float(min(max(round(value, digits), space.low), space.high))


def best_region(table: Table) -> dict[str, tuple[Any, ...]]:
    """Per parameter, the values (or range) of the top quarter of runs."""
    top = table.frame.iloc[np.argsort(table.loss())[: max(2, len(table.frame) // 4)]]
    region: dict[str, tuple[Any, ...]] = {}
    for space in table.spaces:
        values = top[space.name].dropna()
        if values.empty:
            continue
        if space.numeric:
            region[space.name] = (float(values.min()), float(values.max()))
        else:
            region[space.name] = tuple(values.unique())
    return region


def reason_for(
    point: dict[str, Any], spaces: list[Space], table: Table, best: dict[str, tuple[Any, ...]]
) -> str:
    for space in spaces:
        value = point[space.name]
        if space.numeric and can_bind(space.name) and not space.low <= value <= space.high:
            span = f"{fmt.param(space.low)}–{fmt.param(space.high)}"
            return f"beyond the range tried ({space.name} {span}): the best run is at its edge"
    for space in spaces:
        tried = set(table.frame[space.name].dropna().tolist())
        if not space.numeric and point[space.name] not in tried:
            return f"unexplored value of {space.name}"
    outside = []
    for space in spaces:
        value = point[space.name]
        if space.numeric and space.name in best:
            low, high = best[space.name]
            if not _near(space, value, low, high):
                outside.append(space.name)
        elif space.name in best and value not in best[space.name]:
            outside.append(space.name)
    if not outside:
        return "neighbours of the best region"
    untried = [
        s.name
        for s in spaces
        if s.numeric and point[s.name] not in set(table.frame[s.name].dropna().tolist())
    ]
    if untried:
        return f"unexplored value of {', '.join(untried)}, where the model expects good results"
    return f"untried combination: {', '.join(outside)} away from the best runs"


def _near(space: Space, value: float, low: float, high: float) -> bool:
    """Within the best runs' range, widened by a tenth of the parameter's whole range."""
    if space.log:
        value, low, high = math.log10(value), math.log10(low), math.log10(high)
        margin = 0.1 * (math.log10(space.high) - math.log10(space.low))
    else:
        margin = 0.1 * (space.high - space.low)
    return low - margin <= value <= high + margin
