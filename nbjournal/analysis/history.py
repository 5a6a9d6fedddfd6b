"""An experiment's finished runs as a table of parameters and one metric, ready to analyse.

Which parameters are worth analysing is decided here, once, for importances,
effects, best configurations and suggestions alike: a parameter counts when it
took at least two values; ``seed`` (bound by ``--repeat``) marks repeats and is
no parameter; a parameter that only mirrors another (``optimizer.learning_rate``
beside ``lr``: the rule of :mod:`nbjournal.rules.mirrors`) is kept once, under
its shorter name; long texts and identifiers are not settings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from ..rules.metric_goals import goal, key_metric
from ..rules.mirrors import mirrors
from ..rules.seeds import SEED_NAMES, is_seed_like
from ..store import History, Store
from .left_out import LeftOut, left_out

#: Names that mark repeats of one configuration, never a parameter of it (the one rule:
#: :mod:`nbjournal.rules.seeds`, plus the experiment's ``--seed-param`` names).
REPEAT_NAMES = tuple(sorted(SEED_NAMES))
#: A text parameter with more distinct values than this is an identifier, not a setting.
MAX_CATEGORIES = 30
_MAX_TEXT = 60


@dataclass(frozen=True)
class Space:
    """One analysed parameter: numeric (with its observed range) or categorical."""

    name: str
    numeric: bool
    low: float = 0.0
    high: float = 0.0
    integer: bool = False
    log: bool = False
    choices: tuple[Any, ...] = ()
    present: int = 0  # in how many runs it appears (fewer than all: conditional)


@dataclass
class Table:
    """Finished runs with a finite value of ``metric``: one row each, oldest first."""

    experiment: str
    metric: str | None
    goal: str
    frame: pd.DataFrame  # id, experiment, ended, value, <param>… (None where absent)
    spaces: list[Space]
    aliases: dict[str, str] = field(default_factory=dict)  # dropped name -> kept name
    history: History | None = None
    dropped: int = 0  # finished runs without a finite value of the metric
    #: which runs those are, and why (None: every finished run counted)
    left_out: LeftOut | None = None

    @property
    def params(self) -> list[str]:
        return [s.name for s in self.spaces]

    def loss(self) -> np.ndarray:
        """The metric as "lower is better" (negated for metrics to maximise)."""
        values = self.frame["value"].to_numpy(dtype=float)
        return values if self.goal == "min" else -values


def load_table(
    store: Store, experiment: str, *, same_data: bool = False, metric: str | None = None
) -> Table:
    """The table of ``experiment``'s finished runs on its metric of record (``metric``:
    ``NAME[:max|min]`` given now; see :mod:`nbjournal.rules.record_metric`)."""
    from .repeats import record_metric, seed_params

    ranked = record_metric(store, experiment, metric)
    extra = seed_params(store, experiment)
    history = store.history(experiment, same_data=same_data)
    values_by_run: dict[int, dict[str, float | None]] = {}
    for run_id, name, last in history.metrics:
        values_by_run.setdefault(run_id, {})[name] = last
    names = {name for values in values_by_run.values() for name in values}
    chosen = ranked.name if ranked else _most_common_key(values_by_run, names)
    params = json.loads("[" + ",".join(r.params_flat or "{}" for r in history.runs) + "]")
    rows = []
    dropped = 0
    for run, run_params in zip(history.runs, params, strict=True):
        value = values_by_run.get(run.id, {}).get(chosen) if chosen else None
        if value is None or not math.isfinite(value):
            dropped += 1
            continue
        rows.append({"id": run.id, "experiment": run.experiment, "ended": run.ended,
                     "value": value, "_params": run_params})  # fmt: skip
    frame = pd.DataFrame(rows, columns=["id", "experiment", "ended", "value", "_params"])
    spaces, aliases, columns = spaces_of([r["_params"] for r in rows], extra)
    for name in [s.name for s in spaces]:
        frame[name] = columns[name]
    frame = frame.drop(columns="_params")
    return Table(
        experiment=experiment,
        metric=chosen,
        goal=ranked.goal if ranked else (goal(chosen) if chosen else "max"),
        frame=frame,
        spaces=spaces,
        aliases=aliases,
        history=history,
        dropped=dropped,
        left_out=left_out(store, history, ranked, {r["id"] for r in rows}) if dropped else None,
    )


def _most_common_key(
    values_by_run: Mapping[int, Mapping[str, object]], names: set[str]
) -> str | None:
    """The key metric (:func:`key_metric`'s preference) among those most runs have."""
    counts = {n: sum(1 for v in values_by_run.values() if n in v) for n in names}
    if not counts:
        return None
    most = max(counts.values())
    return key_metric(sorted(n for n, c in counts.items() if c >= most * 0.5))


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_finite_number(value: object) -> bool:
    """A number a float can hold: ``10**400``, ``inf`` and ``nan`` are values (categories),
    not a numeric range, so one such parameter never makes insights fail."""
    if not _is_number(value):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def spaces_of(
    params: list[dict[str, Any]], seed_params: list[str] | tuple[str, ...] = ()
) -> tuple[list[Space], dict[str, str], dict[str, list[Any]]]:
    """The parameters that varied over ``params`` (seed-like ones left out), the aliases
    dropped, and each kept parameter's column of values."""
    names = sorted({k for p in params for k in p if not is_seed_like(k, seed_params)})
    columns: dict[str, list[Any]] = {}
    spaces: dict[str, Space] = {}
    for name in names:
        column = [p.get(name) for p in params]
        present = [v for v in column if v is not None]
        hashed = [None if v is None else _hashable(v) for v in column]  # once a value
        distinct = {v for v in hashed if v is not None}
        if len(distinct) < 2 or any(isinstance(v, str) and len(v) > _MAX_TEXT for v in present):
            continue
        if all(_is_finite_number(v) for v in present):
            low, high = float(min(present)), float(max(present))
            integer = all(isinstance(v, int) for v in present)
            log = low > 0 and high / low >= 100 and (not integer or low >= 1)
            spaces[name] = Space(name, True, low, high, integer, log, present=len(present))
        elif len(distinct) <= MAX_CATEGORIES:
            choices = tuple(sorted(distinct, key=repr))
            spaces[name] = Space(name, False, choices=choices, present=len(present))
        else:
            continue
        columns[name] = hashed
    aliases = mirrors({name: columns[name] for name in spaces})
    kept = [spaces[n] for n in spaces if n not in aliases]
    return kept, aliases, columns


def _hashable(value: object) -> str | float:
    if _is_number(value) and not _is_finite_number(value):
        return repr(value)  # a category named by its text: no float of it is ever taken
    return value if isinstance(value, (int, float, str, bool)) else json.dumps(value)
