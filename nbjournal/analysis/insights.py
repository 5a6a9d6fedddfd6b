"""Insights over an experiment's history: what mattered, its effects, the best, what next, what was concluded.

One entry point, :func:`insights`, used by ``Journal().insights``, ``%journal
insights`` and the REST API alike; each part lives in its own module
(:mod:`.history`, :mod:`.importance`, :mod:`.suggestions`, :mod:`.conclusions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..rules.params import unflattened
from ..store import Store
from .conclusions import conclusions, repeated_verdicts
from .history import Table, load_table
from .importance import RULE, importances
from .left_out import LeftOut
from .suggestions import MAX_HISTORY, MIN_RUNS, can_bind, suggest
from .transfer_check import TransferCheck, transfer_check

#: How many parameters the effects chart and the best-configurations table show.
TOP = 3
BEST = 5
#: A numeric parameter with more distinct values than this has its effect shown in bins.
MAX_LEVELS = 12
_BINS = 8
#: How many points to try next insights show.
SUGGESTIONS = 5


@dataclass
class Insights:
    """What the journal learned about one experiment. Each part is a DataFrame.

    Data only: :class:`nbjournal.display.insights_view.ShownInsights` is the same
    object shown as one view in a notebook (what ``Journal().insights`` returns).
    """

    experiment: str
    metric: str | None
    goal: str
    runs: int
    verdict: str
    importances: pd.DataFrame
    effects: pd.DataFrame
    best: pd.DataFrame
    suggestions: pd.DataFrame
    conclusions: pd.DataFrame
    repeated: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    dropped: int = 0
    #: which finished runs the metric left out and why (None: none was)
    left_out: LeftOut | None = None
    same_data: bool = False
    table: Table | None = field(default=None, repr=False)
    #: whether a warm start from similar data sets helped (None: never warm-started)
    transfer: TransferCheck | None = None

    @property
    def ranked(self) -> bool:
        return not self.importances.empty

    @property
    def top(self) -> list[str]:
        """The parameters to look at first: those that mattered, else all that varied."""
        if self.ranked and self.importances["matters"].any():
            return self.importances.loc[self.importances["matters"], "param"].tolist()[:TOP]
        if self.ranked:
            return self.importances["param"].tolist()[:TOP]
        return self.table.params[:TOP] if self.table else []


def insights(
    store: Store,
    experiment: str,
    *,
    same_data: bool = False,
    metric: str | None = None,
    suggestions: int = SUGGESTIONS,
    seed: int = 0,
) -> Insights:
    """Everything :class:`Insights` holds, from the finished runs of ``experiment``."""
    table = load_table(store, experiment, same_data=same_data, metric=metric)
    ranking, verdict = importances(table, seed=seed)
    found = Insights(
        experiment=experiment,
        metric=table.metric,
        goal=table.goal,
        runs=len(table.frame),
        verdict=verdict,
        importances=ranking,
        effects=effects(table),
        best=best_configurations(table),
        suggestions=bindable(suggest(table, suggestions, seed=seed)),
        conclusions=pd.DataFrame(),
        aliases=table.aliases,
        dropped=table.dropped,
        left_out=table.left_out,
        same_data=same_data,
        table=table,
    )
    mattered = ranking.loc[ranking["matters"], "param"].tolist() if not ranking.empty else []
    about = mattered or table.params  # nothing shown to matter: about all the values
    found.conclusions = conclusions(table, about)
    found.repeated = repeated_verdicts(found.conclusions, about)
    if not same_data:
        found.transfer = transfer_check(store, table)
    return found


@dataclass(frozen=True)
class SuggestedPoints:
    """The points to run next for ``--suggested``, each with its reason, and what they
    came from; ``refusal`` says in words why there are none."""

    experiment: str
    points: list[dict[str, Any]]
    reasons: list[str]
    method: str  # e.g. "TPE over 24 runs"
    metric: str | None
    runs: int
    refusal: str | None = None

    def as_origin(self) -> dict[str, object]:
        """What a grid of these points records about where they came from."""
        return {"suggested": len(self.points), "by": self.method, "metric": self.metric,
                "runs": self.runs, "experiment": self.experiment, "reasons": self.reasons}  # fmt: skip


def bindable(frame: pd.DataFrame) -> pd.DataFrame:
    """Suggestions with only the names a cell can be given (``-p`` binds identifiers):
    ``fit.epochs=33`` or ``model.layers`` are what the cell derives, never offered."""
    if frame.empty or "point" not in frame:
        return frame
    points = [{k: v for k, v in p.items() if can_bind(k)} for p in frame["point"]]
    keep, seen = [], set()
    for point in points:
        key = repr(sorted(point.items()))
        keep.append(bool(point) and key not in seen)
        seen.add(key)
    kept = frame.assign(point=points)[keep].reset_index(drop=True)
    if "rank" in kept:
        kept["rank"] = range(1, len(kept) + 1)
    return kept


def suggested_points(store: Store, experiment: str, count: int) -> list[dict[str, Any]]:
    """The ``count`` points insights rank first, as ``{param: value}`` (for ``--suggested``).

    Only names a cell can be given (identifiers, as ``-p`` binds them): a
    parameter the cell derives (``layers``, ``optimizer.learning_rate``) follows.
    """
    return suggestions_for(store, experiment, count).points


def suggestions_for(store: Store, experiment: str, count: int) -> SuggestedPoints:
    """:func:`suggested_points` with each point's reason, or why there is none."""
    table = load_table(store, experiment)
    runs = min(len(table.frame), MAX_HISTORY)

    def refused(why: str) -> SuggestedPoints:
        return SuggestedPoints(experiment, [], [], "", table.metric, runs, why)

    if table.frame.empty:
        return refused(
            f"{experiment} has no finished run with a metric to learn from; "
            f"suggestions need {MIN_RUNS} at least"
        )
    if runs < MIN_RUNS:
        return refused(
            f"{experiment} has {runs} finished run{'s' if runs != 1 else ''} with a value of "
            f"{table.metric}; suggestions need {MIN_RUNS} at least"
        )
    usable = [name for name in table.params if name.isidentifier()]
    if not usable:
        varied = ", ".join(table.params) or "none"
        return refused(
            f"no parameter a cell binds took two values over the {runs} runs of {experiment} "
            f"(varied: {varied}): nothing to learn what to try next from"
        )
    # asked as insights asks, so that --suggested N runs the first N that insights show
    frame = suggest(table, max(count, SUGGESTIONS))
    points: list[dict[str, Any]] = []
    reasons: list[str] = []
    seen: set[str] = set()
    for point, reason in zip(frame["point"], frame["reason"], strict=True):
        kept = {name: unflattened(value) for name, value in point.items() if name.isidentifier()}
        key = repr(sorted(kept.items()))
        if kept and key not in seen and len(points) < count:
            seen.add(key)
            points.append(kept)
            reasons.append(reason)
    if not points:
        return refused(f"every point the model proposes for {experiment} has been run already")
    return SuggestedPoints(experiment, points, reasons, f"TPE over {runs} runs", table.metric, runs)


def effects(table: Table) -> pd.DataFrame:
    """Per parameter and value (or bin of values, ``low``–``high``): the metric's mean, std,
    run count, and the 95 % interval of the mean (``mean_low``, ``mean_high``)."""
    columns = ["param", "value", "low", "high", "mean", "std", "count", "mean_low", "mean_high"]
    frames = []
    for space in table.spaces:
        part = table.frame[[space.name, "value"]].dropna(subset=[space.name])
        if part.empty:
            continue
        key = part[space.name]
        if space.numeric and key.nunique() > MAX_LEVELS:
            bins = pd.qcut(key.astype(float), _BINS, duplicates="drop")
            grouped = part.groupby(bins, observed=True)
            summary = grouped["value"].agg(["mean", "std", "count"])
            summary["value"] = grouped[space.name].median().to_numpy()
            summary["low"] = [interval.left for interval in summary.index]
            summary["high"] = [interval.right for interval in summary.index]
        else:
            summary = part.groupby(space.name)["value"].agg(["mean", "std", "count"])
            summary["value"] = summary.index
            summary["low"] = summary["high"] = summary.index
        half = summary["std"] * _t_quantiles(summary["count"]) / np.sqrt(summary["count"])
        summary["mean_low"] = summary["mean"] - half
        summary["mean_high"] = summary["mean"] + half
        summary.insert(0, "param", space.name)
        frames.append(summary.reset_index(drop=True)[columns])
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def _against_best(verdict: str | None) -> str:
    """The rule's verdict of the best against a configuration, read from that configuration."""
    if verdict is None:
        return "best"
    return {"better": "worse", "worse": "better"}.get(verdict, verdict)


def _t_quantiles(counts: pd.Series) -> np.ndarray:
    """The t quantile of a 95 % interval for each count (NaN below two)."""
    from scipy import stats

    n = counts.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(n >= 2, stats.t.ppf(0.975, np.maximum(n - 1, 1)), np.nan)


def best_configurations(table: Table, count: int = BEST) -> pd.DataFrame:
    """The best configurations: mean of the metric over their repeats with its 95 % interval
    (``low``, ``high``), best first; ``vs_best`` is the comparison rule's verdict of each
    against the best (``worse``, ``within noise``: the runs cannot tell it from the best, or
    ``needs N more repeats``); the best itself says ``best``."""
    from .configurations import rank_groups, spreads

    params = table.params
    columns = ["rank", "mean", "std", "low", "high", "repeats", "vs_best", "runs", *params]
    if table.frame.empty:
        return pd.DataFrame(columns=columns)
    keyed = table.frame.assign(
        _key=[repr(t) for t in table.frame[params].itertuples(index=False, name=None)]
    )
    grouped = keyed.groupby("_key", sort=False)
    summary = grouped["value"].agg(["mean", "std", "count"])
    # each configuration's runs and values in one pass (``agg(list)`` made a Series a
    # configuration: 0.5 s at 10,000 runs of as many configurations)
    runs: dict[str, list[int]] = {}
    values: dict[str, list[float]] = {}
    for key, run, value in zip(
        keyed["_key"].tolist(), keyed["id"].tolist(), keyed["value"].tolist(), strict=True
    ):
        runs.setdefault(key, []).append(run)
        values.setdefault(key, []).append(value)
    summary["runs"] = [runs[key] for key in summary.index]
    groups = [np.asarray(values[key], dtype=float) for key in summary.index]
    found = spreads(groups)
    summary["low"] = [f.low for f in found]
    summary["high"] = [f.high for f in found]
    ranking = rank_groups(groups, higher_is_better=table.goal != "min")
    summary["vs_best"] = [_against_best(v) for v in ranking.verdicts]
    first = grouped[params].first() if params else pd.DataFrame(index=summary.index)
    summary = summary.join(first)
    ascending = table.goal == "min"
    summary = summary.sort_values("mean", ascending=ascending, kind="stable").head(count)
    summary = summary.rename(columns={"count": "repeats"}).reset_index(drop=True)
    summary.insert(0, "rank", np.arange(1, len(summary) + 1))
    summary["std"] = summary["std"].where(summary["repeats"] > 1)
    return summary[columns]


__all__ = [
    "RULE",
    "Insights",
    "SuggestedPoints",
    "best_configurations",
    "effects",
    "insights",
    "suggested_points",
    "suggestions_for",
]
