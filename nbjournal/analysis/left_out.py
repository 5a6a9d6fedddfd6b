"""The finished runs an analysis left out, and why: they have no value of its metric.

An experiment's cells may return a metric (``test_accuracy``) that its grid's body
does not, or the other way round. The metric of record stays what DESIGN.md says
(:mod:`nbjournal.rules.record_metric`); what this adds is the account of the runs it
cannot count: which, of which grids, and the metric every finished run has, which
would count them all (``--metric``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..rules.record_metric import RecordMetric, metric_of_record
from ..store import History, Store
from ..store.repeats import repeat_rows


@dataclass(frozen=True)
class LeftOut:
    """Finished runs without a finite value of ``metric`` (``source``: why it is the one)."""

    runs: tuple[int, ...]
    total: int  # finished runs in all
    metric: str
    source: str
    #: the grids the left-out runs belong to, in order (none: cell runs)
    grids: tuple[int, ...] = ()
    #: the metric of record among the metrics every finished run has, when there is one
    instead: str | None = None


def left_out(
    store: Store, history: History, ranked: RecordMetric | None, kept: set[int]
) -> LeftOut | None:
    """The runs of ``history`` not in ``kept`` (the analysed ones); ``None`` when none was
    left out or no metric ranks them."""
    if ranked is None:
        return None
    missing = tuple(r.id for r in history.runs if r.id not in kept)
    if not missing:
        return None
    finite: dict[int, set[str]] = {r.id: set() for r in history.runs}
    for run_id, name, last in history.metrics:
        if run_id in finite and last is not None and math.isfinite(last):
            finite[run_id].add(name)
    everywhere = set.intersection(*finite.values())
    returned = {name for _, name, _, given in repeat_rows(store, run_ids=missing).metrics if given}
    # the same rule over the metrics every run has (a remembered choice was not one of them)
    instead = metric_of_record(sorted(everywhere), sorted(everywhere & returned))
    grids = store.grids_of_runs(missing)
    return LeftOut(
        runs=missing,
        total=len(history.runs),
        metric=ranked.name,
        source=ranked.source,
        grids=tuple(sorted({g for run in missing for g in grids.get(run, [])})),
        instead=instead.name if instead is not None and instead.name != ranked.name else None,
    )
