"""The journal as a lab notebook, as data: per experiment, each hypothesis in time order with
its procedure, result and inference, and the configurations (models × settings) averaged over
their repeats.

Pure reading (no rendering): :mod:`nbjournal.analysis.lab_notebook_page` writes it as
Markdown or HTML. Nothing here depends on when it is read (no clock, ordered by run id),
so the same journal gives the same report. The statistics are the one rule's: means and
intervals from :mod:`.configurations`, verdicts against the best from ``rank_groups``
(:mod:`.comparison`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..rules import format as fmt
from ..rules.metric_goals import key_metric
from .run_diff import code_diff

if TYPE_CHECKING:
    from ..rules.record_metric import RecordMetric
    from ..store.records import RunSummary
    from ..store.store import Store
    from .configurations import Configuration

#: A curve drawn per run: at most this many points (evenly picked), so a report stays small.
CURVE_POINTS = 200


@dataclass(frozen=True)
class Curve:
    """One metric's values over epochs (or steps) of one run."""

    name: str
    steps: tuple[float, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class RunEntry:
    """One run under its hypothesis: the procedure, the result, the inferences."""

    id: int
    status: str
    params: dict[str, Any]
    #: the closest earlier run and the code's unified diff against it (empty: same code)
    nearest: int | None
    diff: list[str]
    #: the code in full when there is no earlier run to diff against
    code: str
    data: list[str]
    warnings: list[str]
    metrics: dict[str, float | None]
    key: str | None
    curve: Curve | None
    #: (inference id, text, verdict, what it rests on: `` · evidence: #2 vs #1: …``) in the
    #: order they were written
    inferences: list[tuple[int, str, str | None, str]]
    error: str | None = None
    #: its upstream cells and their status, in words (None: no procedure recorded)
    upstream: str | None = None


@dataclass(frozen=True)
class Hypothesis:
    text: str
    runs: list[RunEntry]


@dataclass(frozen=True)
class ConfigurationRow:
    """One configuration (the seed left out) over its repeats, on the metric of record."""

    id: int
    params: dict[str, Any]
    runs: tuple[int, ...]
    n: int
    mean: float
    low: float
    high: float
    #: the comparison rule's verdict of the best against it (None: the best itself)
    verdict: str | None


@dataclass(frozen=True)
class GridEntry:
    id: int
    headline: str
    best: str | None
    axes: list[str]
    #: (axis values, runs, metric of record as ``mean ± half-interval``)
    rows: list[tuple[dict[str, Any], tuple[int, ...], str]]


@dataclass(frozen=True)
class ExperimentPart:
    name: str
    metric: str | None
    ranked_by: str | None
    hypotheses: list[Hypothesis]
    configurations: list[ConfigurationRow] = field(default_factory=list)
    grids: list[GridEntry] = field(default_factory=list)


def lab_notebook(store: Store, experiments: Sequence[str] = ()) -> list[ExperimentPart]:
    """The report of ``experiments`` (every experiment with kept runs when none is named),
    by name; an unknown name raises :class:`~nbjournal.errors.UnknownExperiment`."""
    from ..errors import UnknownExperiment

    known = sorted(e.name for e in store.experiments())
    for name in experiments:
        if name not in known:
            raise UnknownExperiment(name)
    return [_experiment(store, name) for name in (list(experiments) or known)]


def _experiment(store: Store, name: str) -> ExperimentPart:
    from ..store.report_rows import report_rows
    from .repeats import configurations, record_metric

    summaries = sorted(store.list_runs(experiment=name), key=lambda r: r.id)
    ranked = record_metric(store, name)
    metric = ranked.name if ranked else None
    rows = report_rows(store, name, metric)
    inferences: dict[int, list[tuple[int, str, str | None, str]]] = {}
    for inference_id, run_id, said, verdict, evidence in rows.inferences:
        note = fmt.evidence(evidence)
        inferences.setdefault(run_id, []).append((inference_id, said, verdict, note))
    earlier: dict[int, str] = {}  # run id → code, of the runs before
    groups: dict[str, list[RunEntry]] = {}
    for run in summaries:
        procedure = rows.procedures.get(run.id, {})
        entry = _entry(store, run, procedure, earlier, metric, rows.series.get(run.id))
        groups.setdefault(run.hypothesis.strip(), []).append(
            replace(entry, inferences=inferences.get(run.id, []))
        )
        earlier[run.id] = procedure.get("code", "")
    hypotheses = [Hypothesis(text, runs) for text, runs in groups.items()]
    table = _configurations(configurations(store, name), metric, ranked)
    return ExperimentPart(
        name, metric, ranked.label() if ranked else None, hypotheses, table, _grids(store, name)
    )


def _entry(
    store: Store,
    run: RunSummary,
    procedure: dict[str, Any],
    earlier: dict[int, str],
    metric: str | None,
    series: list[tuple[float, float]] | None,
) -> RunEntry:
    nearest_id = (procedure.get("nearest") or {}).get("run_id")
    before = nearest_id if isinstance(nearest_id, int) and nearest_id in earlier else None
    if before is None and earlier:
        before = max(earlier)  # no recorded nearest: the run just before
    code = procedure.get("code", "")
    diff = code_diff(earlier[before], code, f"run #{before}", f"run #{run.id}") if before else []
    metrics = {n: m.last for n, m in sorted(run.metrics.items())}
    reported = [n for n, m in run.metrics.items() if m.last_epoch is None]
    key = metric if metric in metrics else key_metric(run.metrics, reported=reported)
    if key is None:
        curve = None
    elif key == metric:
        curve = _thinned(key, series or [])
    else:
        curve = _curve(store, run.id, key)
    findings = (procedure.get("checks") or {}).get("findings", [])
    return RunEntry(
        id=run.id,
        status=run.status,
        params=dict(sorted(run.params.items())),
        nearest=before,
        diff=diff,
        code=code if before is None else "",
        data=[_data_line(d) for d in procedure.get("data") or []],
        warnings=[f"{f.get('name')}: {f.get('message')}" for f in findings],
        metrics=metrics,
        key=key,
        curve=curve,
        inferences=[],
        error=run.error_summary,
        upstream=_upstream(store, run.id),
    )


def _upstream(store: Store, run_id: int) -> str | None:
    """``In [2] (X), In [3] (X); clean: …`` — the run's upstream cells and their status."""
    from .staleness import procedure_report

    try:
        report = procedure_report(store, run_id)
    except Exception:  # a report is still written without it
        return None
    if report.status is None or report.record is None:
        return None
    cells = [
        f"In [{c.get('execution_count')}]"
        + (f" ({', '.join(c['names'])})" if c.get("names") else "")
        for c in report.record.slice.get("cells") or []
    ]
    listed = ", ".join(cells) if cells else "none"
    return f"{listed}; {report.status.status}: {report.status.reason}"


def _data_line(item: dict[str, Any]) -> str:
    shape = "×".join(str(s) for s in item.get("shape") or [])
    parts = [str(item.get("name", "?")), shape, str(item.get("hash") or "")]
    return " ".join(p for p in parts if p)


def _curve(store: Store, run_id: int, name: str) -> Curve | None:
    """The epoch series of ``name`` (its first part), thinned to :data:`CURVE_POINTS`."""
    series = store.metric_columns(run_id, only={(name, "epoch")})
    found = series.get((name, "epoch", 0)) or next(iter(series.values()), None)
    if not found:
        return None
    steps, epochs, values = found
    pairs = [
        (float(e if e is not None else s), float(v))
        for s, e, v in zip(steps, epochs, values, strict=True)
        if v is not None
    ]
    return _thinned(name, pairs)


def _thinned(name: str, pairs: list[tuple[float, float]]) -> Curve | None:
    """A curve of at most :data:`CURVE_POINTS` evenly picked points (none below two)."""
    if len(pairs) < 2:
        return None
    if len(pairs) > CURVE_POINTS:
        every = (len(pairs) - 1) / (CURVE_POINTS - 1)
        pairs = [pairs[round(i * every)] for i in range(CURVE_POINTS)]
    return Curve(name, tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))


def _configurations(
    found: Sequence[Configuration], metric: str | None, ranked: RecordMetric | None
) -> list[ConfigurationRow]:
    """Configurations ranked on the metric of record: mean and 95 % interval of the mean over
    their repeats, and the rule's verdict of the best against each (``rank_groups``)."""
    from .configurations import rank_groups

    if ranked is None or metric is None or not found:
        return []
    groups = [c.finite(metric)[0] for c in found]
    ranking = rank_groups(groups, higher_is_better=ranked.higher_is_better)
    rows = []
    for configuration, verdict in zip(found, ranking.verdicts, strict=True):
        spread = configuration.spread(metric)
        if spread.n == 0:
            continue
        rows.append(
            ConfigurationRow(
                configuration.id,
                dict(sorted(configuration.params.items())),
                configuration.run_ids,
                spread.n,
                spread.mean,
                spread.low,
                spread.high,
                verdict,
            )
        )
    sign = -1.0 if ranked.higher_is_better else 1.0
    return sorted(rows, key=lambda r: (sign * r.mean, r.id))


def _grids(store: Store, name: str) -> list[GridEntry]:
    from .grid_table import GridTable, chosen_metric, mean_interval, varying_axes

    entries = []
    for summary in sorted(store.list_grids(name), key=lambda g: g.id):
        table = GridTable(store.get_grid(summary.id), chosen_metric(store, name))
        axes = varying_axes(table.rows)
        rows = [
            (
                {a: r.values.get(a) for a in axes},
                r.runs,
                mean_interval(r, table.key) if table.key else "–",
            )
            for r in table.rows
        ]
        entries.append(GridEntry(summary.id, table.headline(), table.best_text(), axes, rows))
    return entries
