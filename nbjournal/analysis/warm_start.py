"""A warm start: the best configurations of the nearest similar data sets, as points to run.

On data like earlier data sets, ``--suggested N`` starts from what worked on
the data sets most like the cell's data (auto-sklearn's meta-learning, Feurer
et al. 2015, from the person's own history). While the experiment has too few
runs to be modelled on its own, the rest of its points come from TPE over the
similar data sets' runs as priors (:mod:`.prior_tpe`); from then on the
experiment is modelled on its own runs alone, as without similar data (keeping
the priors for as long as the experiment is tuned was measured worse: README,
"Similar data sets"). A configuration is proposed only where it applies: each
of its settings is a name the cell reads (and ``-p`` does not fix), of a
compatible kind (a number for a number, a text for a text). Each point says
where it came from; points already run are not proposed again. Whether the transfer
helped is checked afterwards (:func:`transfer_check`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..rules import format as fmt
from ..store import Store
from ..store.serialize import loads
from .history import Table, load_table
from .prior_tpe import Prior, suggest_with_priors
from .similar import BestRun, Similar, SimilarDataSet, other_data_sets
from .suggestions import MIN_RUNS


@dataclass(frozen=True)
class Transfer:
    """Points from similar data sets, with their sources; ``note`` says what was found."""

    points: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


def transfer(
    similar: Similar,
    count: int,
    *,
    names: Collection[str] | None = None,
    current: Mapping[str, object] | None = None,
    fixed: Collection[str] = (),
    tried: Collection[Mapping[str, object]] = (),
) -> Transfer:
    """Up to ``count`` configurations of the similar data sets, nearest first.

    ``names``: what the cell reads (``None``: any); ``current``: their values now, for
    the kind check; ``fixed``: names ``-p`` binds; ``tried``: the settings of the
    experiment's own runs (a point one of them had is not proposed).
    """
    similar_sets = [found for found in similar.found if found.similar]
    if not similar_sets:
        return Transfer(note=similar.note or "no similar data set in the journal")
    seen = {point_key(p) for p in tried}
    points: list[dict[str, Any]] = []
    reasons: list[str] = []
    sources: list[dict[str, Any]] = []
    skipped: list[str] = []
    for data_set in similar_sets:
        for best in sorted(data_set.best, key=lambda b: _rank(b.goal, b.value)):
            point = _applicable(best.params, best.tuned, names, current or {}, fixed)
            if point is None:
                skipped.append(best.experiment)
                continue
            key = point_key(point)
            if key in seen or _was_run(point, tried) or len(points) >= count:
                continue
            seen.add(key)
            points.append(point)
            reasons.append(source_line(best, data_set))
            sources.append({"experiment": best.experiment, "run_id": best.run_id,
                            "distance": round(data_set.distance, 4), "data": data_set.key})  # fmt: skip
    if points:
        note = f"{len(points)} from similar data sets (nearest at distance " \
               f"{similar_sets[0].distance:.2f})"  # fmt: skip
    else:
        what = ", ".join(dict.fromkeys(skipped)) or "none"
        note = (
            f"similar data sets exist, but no best configuration of theirs applies to this "
            f"cell (its settings are not names the cell reads: {what})"
        )
    return Transfer(points, reasons, sources, note)


#: How many of the nearest similar data sets lend their runs to the sampler as priors.
PRIOR_SETS = 3


def priors(
    store: Store,
    similar: Similar,
    *,
    names: Collection[str] | None = None,
    current: Mapping[str, object] | None = None,
    fixed: Collection[str] = (),
) -> list[Prior]:
    """The runs of the :data:`PRIOR_SETS` nearest similar data sets, one :class:`Prior` per
    experiment there whose tuned settings the cell can take (nearest first)."""
    found: list[Prior] = []
    tables: dict[str, Table] = {}
    for data_set in [f for f in similar.found if f.similar][:PRIOR_SETS]:
        for experiment in data_set.experiments:
            if experiment not in tables:
                tables[experiment] = load_table(store, experiment)
            table = tables[experiment]
            rows = table.frame[table.frame["id"].isin(data_set.runs)]
            points = []
            for record in rows[table.params].to_dict("records"):
                given = {k: v for k, v in record.items() if v is not None and v == v}
                points.append(_applicable(given, table.params, names, current or {}, fixed))
            if len(points) < 2 or any(p is None for p in points):
                continue
            loss = rows["value"].to_numpy(dtype=float) * (1 if table.goal == "min" else -1)
            source = f"{experiment} on a data set at distance {data_set.distance:.2f}"
            found.append(Prior(source, data_set.distance, [p for p in points if p], loss))
    return found


def source_line(best: BestRun, data_set: SimilarDataSet) -> str:
    """``best of digits-mlp (#12, accuracy 0.9733) on a data set at distance 0.12 (1,797 rows
    × 64 features, 10 classes); concluded: "…"``"""
    metric = f", {best.metric} {fmt.number(best.value)}" if best.metric else ""
    text = (
        f"best of {best.experiment} (#{best.run_id}{metric}) on a data set at distance "
        f"{data_set.distance:.2f} ({data_set.description})"
    )
    if best.conclusion:
        verdict = f"{best.verdict}: " if best.verdict else ""
        text += f'; concluded: {verdict}"{fmt.first_line(best.conclusion, 80)}"'
    return text


def _was_run(point: Mapping[str, object], tried: Collection[Mapping[str, object]]) -> bool:
    return any(all(own.get(k) == v for k, v in point.items()) for own in tried)


def point_key(point: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in point.items()))


def _rank(goal: str, value: float) -> float:
    return value if goal == "min" else -value


def _applicable(
    params: Mapping[str, object],
    tuned: Collection[str],
    names: Collection[str] | None,
    current: Mapping[str, object],
    fixed: Collection[str],
) -> dict[str, object] | None:
    """The settings of ``params`` the cell can take, or ``None`` when the configuration does
    not fit: each setting its experiment tuned must be a name the cell reads (or fixes with
    ``-p``), and every setting taken must be of the kind the cell holds now. Settings the
    cell sets itself (or never reads) and that were not tuned are left to the cell."""
    point = {}
    for name, value in params.items():
        if name in fixed:
            continue
        if names is not None and name not in names:
            if name in tuned:
                return None
            continue
        if name in current and not _same_kind(current[name], value):
            return None
        point[name] = value
    return point or None


def _same_kind(now: object, value: object) -> bool:
    if isinstance(now, bool) or isinstance(value, bool):
        return isinstance(now, bool) and isinstance(value, bool)
    if isinstance(now, (int, float)):
        return isinstance(value, (int, float))
    return type(now) is type(value) or now is None


#: An experiment's first runs, at most this many, are configurations transferred as they are
#: (the best of the nearest similar data sets); then the sampler. (Transferring 15, their
#: 2nd and 3rd best too, was measured worse; README, "Similar data sets", has every arm.)
TRANSFERRED = 3


@dataclass(frozen=True)
class WarmStart:
    """What ``--suggested`` proposes on data like earlier data sets: transferred points first,
    then (while the experiment is too new to model) TPE's over the similar data sets' runs."""

    points: list[dict[str, Any]]
    reasons: list[str]
    transferred: int
    sources: list[dict[str, Any]]
    method: str
    note: str
    similar: Similar


def warm_start(
    store: Store,
    experiment: str,
    count: int,
    query: dict[str, Any] | None,
    *,
    names: Collection[str] | None = None,
    current: Mapping[str, object] | None = None,
    fixed: Collection[str] = (),
) -> WarmStart:
    """Up to ``count`` points: while the experiment has fewer than :data:`TRANSFERRED` runs,
    those of :func:`transfer` not run yet; then, while it has fewer than
    :data:`~.suggestions.MIN_RUNS` (too few to model), :func:`~.prior_tpe.suggest_with_priors`
    over its own finished runs and the nearest similar data sets' runs. An experiment with
    runs enough gets no point here: its own sampler proposes them, as without similar data."""
    similar = other_data_sets(store, query, exclude_experiment=experiment)
    own = load_table(store, experiment)
    tried = [loads(r.params_flat, {}) or {} for r in own.history.runs] if own.history else []
    moved = transfer(similar, min(count, max(0, TRANSFERRED - len(tried))), names=names,
                     current=current, fixed=fixed, tried=tried)  # fmt: skip
    points, reasons = list(moved.points), list(moved.reasons)
    lent = (priors(store, similar, names=names, current=current, fixed=fixed)
            if len(own.frame) < MIN_RUNS else [])  # fmt: skip
    method = f"warm start: {moved.note}" if moved.points else ""
    if lent and len(points) < count:
        own_points = [{k: v for k, v in r.items() if v is not None and v == v}
                      for r in own.frame[own.params].to_dict("records")]  # fmt: skip
        keys = {point_key(p) for p in points}
        for point, reason in suggest_with_priors(own_points, own.loss(), lent, count - len(points)):
            kept = _applicable(point, tuple(point), names, current or {}, fixed)
            if kept is None or point_key(kept) in keys or _was_run(kept, tried):
                continue
            if len(points) >= count:
                break
            keys.add(point_key(kept))
            points.append(kept)
            reasons.append(reason)
        runs = sum(len(p.points) for p in lent)
        method = (method + "; " if method else "warm start: ") + (
            f"TPE over {f'{len(own.frame)} own runs and ' if len(own.frame) else ''}{runs} "
            f"runs on {len(lent)} similar data set{'s' * (len(lent) != 1)} as priors"
        )
    return WarmStart(points, reasons, len(moved.points), moved.sources, method, moved.note,
                     similar)  # fmt: skip
