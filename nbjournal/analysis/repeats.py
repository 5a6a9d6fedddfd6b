"""The comparison rule over the journal: configurations, the metric of record, runs against runs.

Reads the store and returns data (no display): ``Journal().configurations``,
``Journal().compare`` and ``%journal compare`` wrap what this module returns.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import BadInput, UnknownRun
from ..rules.record_metric import RecordMetric, metric_of_record, parse_option
from ..rules.seeds import seed_of, split_seeds
from ..store.choices import METRIC, SEED_PARAMS, choice, choose
from ..store.repeats import ParamRows, RepeatRows, repeat_rows
from .comparison import Comparison, compare_values
from .configurations import (
    Configuration,
    Spread,
    configurations_from_rows,
    nearest_noise,
    spreads,
)

if TYPE_CHECKING:  # pandas is imported by the one function that returns a frame
    import pandas as pd

    from ..store.store import Store


def seed_params(store: Store, experiment: str) -> list[str]:
    """The seed-like names chosen with ``--seed-param`` for ``experiment``."""
    found = choice(store, experiment, SEED_PARAMS)
    try:
        names = json.loads(found) if found else []
    except ValueError:
        names = []
    return [str(n) for n in names] if isinstance(names, list) else []


def add_seed_params(store: Store, experiment: str, names: Iterable[str]) -> None:
    """Remember more seed-like names for ``experiment`` (``--seed-param NAME``)."""
    known = seed_params(store, experiment)
    wanted = [n for n in names if n and n not in known]
    if wanted:
        choose(store, experiment, SEED_PARAMS, json.dumps(known + wanted))


def record_metric(
    store: Store,
    experiment: str,
    given: str | None = None,
    rows: RepeatRows | ParamRows | None = None,
    remember: bool = False,
) -> RecordMetric | None:
    """The experiment's metric of record (:mod:`nbjournal.rules.record_metric`).

    ``given`` is a ``--metric`` value (checked: a malformed one is a ``BadInput``);
    with ``remember`` it becomes the experiment's choice for every later view.
    """
    if given is not None:
        try:
            parse_option(given)
        except ValueError as error:
            raise BadInput(str(error)) from None
    chosen = None if given else choice(store, experiment, METRIC)
    if rows is None and not given:
        rows = repeat_rows(store, experiment)
    available: list[str] = []
    reported: list[str] = []
    for _, name, _, *rest in rows.metrics if rows else ():
        available.append(name)
        if rest and rest[0]:
            reported.append(name)
    found = metric_of_record(available, sorted(set(reported)), given=given, chosen=chosen)
    if remember and given and found is not None:
        choose(store, experiment, METRIC, found.option())
    return found


def remember_metric(store: Store, experiment: str, given: str) -> RecordMetric:
    """``--metric NAME[:max|min]`` on a cell: checked and remembered for the experiment."""
    found = record_metric(store, experiment, given, rows=RepeatRows([], []), remember=True)
    assert found is not None
    return found


def configurations(store: Store, experiment: str) -> list[Configuration]:
    rows = repeat_rows(store, experiment)
    return configurations_from_rows(rows.runs, rows.metrics, seed_params(store, experiment))


def configurations_frame(store: Store, experiment: str, metric: str | None = None) -> pd.DataFrame:
    """One row per configuration: ``configuration`` (its first run), ``n``, ``runs``, ``seeds``,
    ``param.<name>…``, and per metric ``metric.<name>.mean/.std/.low/.high`` (the 95 %
    interval of the mean); best first by the metric of record. ``verdict`` is the rule's
    verdict of the best configuration against each (``best`` for itself; ``None`` without
    values of the metric of record)."""
    import pandas as pd

    rows = repeat_rows(store, experiment)
    found = configurations_from_rows(rows.runs, rows.metrics, seed_params(store, experiment))
    ranked = record_metric(store, experiment, metric, rows=rows)
    names = sorted({name for c in found for name in c.values})
    verdicts = _verdicts(found, ranked)
    records = []
    for configuration, verdict in zip(found, verdicts, strict=True):
        record: dict[str, Any] = {
            "configuration": configuration.id,
            "experiment": configuration.experiment,
            "n": configuration.n,
            "runs": list(configuration.run_ids),
            "seeds": list(configuration.seeds),
            "verdict": verdict,
        }
        record.update({f"param.{k}": v for k, v in configuration.params.items()})
        for name, summary in zip(
            names,
            spreads([configuration.finite(name)[0] for name in names]),
            strict=True,
        ):
            record[f"metric.{name}.mean"] = summary.mean
            record[f"metric.{name}.std"] = summary.std
            record[f"metric.{name}.low"] = summary.low
            record[f"metric.{name}.high"] = summary.high
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return pd.DataFrame(
            columns=["configuration", "experiment", "n", "runs", "seeds", "verdict"]
        )
    column = f"metric.{ranked.name}.mean" if ranked else None
    if ranked is not None and column in frame:
        frame = frame.sort_values(
            column, ascending=not ranked.higher_is_better, na_position="last", kind="stable"
        )
    frame.attrs["metric"] = ranked.name if ranked else None
    frame.attrs["ranked_by"] = ranked.label() if ranked else None
    return frame.reset_index(drop=True)


def _verdicts(found: Sequence[Configuration], ranked: RecordMetric | None) -> list[str | None]:
    """Per configuration, the rule's verdict of the best one against it (``rank_groups``)."""
    from .configurations import rank_groups

    if ranked is None or not found:
        return [None] * len(found)
    ranking = rank_groups(
        [c.finite(ranked.name)[0] for c in found], higher_is_better=ranked.higher_is_better
    )
    return ["best" if i == ranking.best else verdict for i, verdict in enumerate(ranking.verdicts)]


@dataclass(frozen=True)
class RunsComparison:
    """The first side (a run, or a group of repeats) against each other side: the rule's
    verdict on every metric they share (``better``: the first side is better)."""

    sides: list[list[int]]
    metric: RecordMetric | None
    #: per later side (index 1…), per metric: side 0 against that side
    results: list[dict[str, Comparison]] = field(default_factory=list)
    #: per side, per metric: its values' mean and the 95 % interval of the mean
    spreads: list[dict[str, Spread]] = field(default_factory=list)

    @property
    def result(self) -> Comparison | None:
        """Side 0 against side 1 on the metric of record."""
        if not self.results or self.metric is None:
            return None
        return self.results[0].get(self.metric.name)


def compare_runs(
    store: Store,
    sides: Sequence[int | Sequence[int]],
    metric: str | None = None,
    min_effect: float | None = None,
) -> RunsComparison:
    """The first side against each later one: ``difference`` is first − other, and
    ``better`` says the first side is better (``Journal().compare(a, b)``: a against b).

    A single run a side borrows its noise from the nearest configuration with repeats
    (its own first); the metric is the experiment's metric of record unless given.
    """
    groups = [[int(i) for i in ([s] if isinstance(s, int) else s)] for s in sides]
    if len(groups) < 2 or any(not g for g in groups):
        raise BadInput("compare needs two runs (or two lists of runs) at least")
    wanted = [i for g in groups for i in g]
    rows = repeat_rows(store, run_ids=wanted)
    known = {r[0]: r for r in rows.runs}
    for run_id in wanted:
        if run_id not in known:
            raise UnknownRun(run_id)
    experiment = known[groups[0][0]][1]
    extra = seed_params(store, experiment)
    ranked = record_metric(store, experiment, metric, rows=rows)
    values: dict[int, dict[str, float]] = {}
    for run_id, name, last, *_ in rows.metrics:
        values.setdefault(run_id, {})[name] = math.nan if last is None else float(last)
    seeds = {r[0]: seed_of(split_seeds(json.loads(r[4] or "{}"), extra)[1]) for r in rows.runs}
    params = {r[0]: split_seeds(json.loads(r[4] or "{}"), extra)[0] for r in rows.runs}
    borrowed: dict[str, Any] = {}
    results = []
    base = groups[0]
    for other in groups[1:]:
        shared = set.intersection(*(set(values.get(i, {})) for i in base + other))
        found: dict[str, Comparison] = {}
        for name in sorted(shared):
            a = [values[i][name] for i in base]
            b = [values[i][name] for i in other]
            if not any(math.isfinite(v) for v in a) or not any(math.isfinite(v) for v in b):
                continue
            higher = ranked.higher_is_better if ranked and ranked.name == name else None
            if higher is None:
                from ..rules.metric_goals import goal

                higher = goal(name) == "max"
            noise = None
            if len(a) < 2 and len(b) < 2:
                if name not in borrowed:
                    borrowed[name] = nearest_noise(
                        configurations(store, experiment), params[base[0]], name, prefer=wanted
                    )
                noise = borrowed[name]
            found[name] = compare_values(
                a,
                b,
                higher_is_better=higher,
                seeds_a=[seeds[i] for i in base],
                seeds_b=[seeds[i] for i in other],
                min_effect=min_effect if ranked and name == ranked.name else None,
                noise=noise,
                metric=name,
            )
        results.append(found)
    return RunsComparison(groups, ranked, results, _side_spreads(groups, values))


def _side_spreads(
    groups: Sequence[Sequence[int]], values: dict[int, dict[str, float]]
) -> list[dict[str, Spread]]:
    """Each side's metrics over its runs (a group of repeats shows mean ± interval)."""
    import numpy as np

    found = []
    for group in groups:
        names = sorted({n for i in group for n in values.get(i, {})})
        arrays = [np.array([values.get(i, {}).get(n, math.nan) for i in group]) for n in names]
        finite = [a[np.isfinite(a)] for a in arrays]
        found.append(dict(zip(names, spreads(finite), strict=True)))
    return found


def repeat_sides(store: Store, run_ids: Sequence[int]) -> list[list[int]]:
    """The runs grouped by configuration (repeats on one side), in the order first given;
    each run a side of its own when they are all one configuration."""
    ids = list(dict.fromkeys(int(i) for i in run_ids))
    rows = repeat_rows(store, run_ids=ids)
    known = {r[0] for r in rows.runs}
    for run_id in ids:
        if run_id not in known:
            raise UnknownRun(run_id)
    experiments = {r[1] for r in rows.runs}
    extra = sorted({name for e in experiments for name in seed_params(store, e)})
    found = configurations_from_rows(rows.runs, rows.metrics, extra)
    side_of = {run_id: c.id for c in found for run_id in c.run_ids}
    sides: dict[int, list[int]] = {}
    for run_id in ids:
        sides.setdefault(side_of[run_id], []).append(run_id)
    return list(sides.values()) if len(sides) > 1 else [[i] for i in ids]


def inference_evidence(
    store: Store, run_id: int, sides: Sequence[Sequence[int]] | None = None
) -> tuple[Comparison | None, dict[str, Any] | None]:
    """What an inference on ``run_id`` rests on: ``sides`` (``--runs``), else the run against
    the closest earlier run it was compared with as it started; the comparison rule's
    verdict on the metric of record, and the evidence kept with the inference."""
    if sides is None:
        nearest = store.get_run(run_id).nearest or {}
        if not nearest.get("run_id"):
            return None, None
        sides = [[run_id], [int(nearest["run_id"])]]
    found = compare_runs(store, [list(s) for s in sides])
    result = found.result
    if result is None:
        return None, {"runs": [list(s) for s in sides]}
    return result, {"runs": [list(s) for s in sides], **result.evidence(), "said": str(result)}
