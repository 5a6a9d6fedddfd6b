"""The store's frozen records as the JSON of docs/rest-api.md.

Field names here are the contract with the lab extension's ``src/api/*Payloads.ts``: a
rename is a breaking change of the REST API. JSON has no NaN or infinity, and a
diverged run is full of them, so every number goes out as a finite float or
``null``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from ..rules import metric_goals

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.configurations import Spread
    from ..analysis.grouping import Group
    from ..analysis.insights import Insights
    from ..analysis.left_out import LeftOut
    from ..analysis.staleness import ProcedureReport
    from ..store import (
        Artifact,
        ExperimentSummary,
        Grid,
        GridInference,
        Inference,
        InferenceVersion,
        MetricSummary,
        Run,
        RunSummary,
    )
    from ..store.records import MetricColumns
    from ..store.table import ExperimentTable, TableRow
    from ..store.vocabulary import Vocabulary


#: The ``env`` fields docs/rest-api.md lists; nothing else of the kernel's machine is served.
ENV_FIELDS = (
    "python", "nbjournal", "tensorflow", "keras", "keras_backend", "sklearn", "numpy", "pandas",
    "host", "platform", "notebook", "git",
)  # fmt: skip


#: A value longer than this is not offered for completion (a path, a repr).
VALUE_MAX = 80


def number(value: float | None) -> float | None:
    """``value``, or ``None`` when JSON cannot carry it (NaN, infinity)."""
    if value is None or math.isfinite(value):
        return value
    return None


#: Values JSON carries as they are (no float among them: NaN and infinity are not JSON).
_PLAIN = frozenset({str, int, bool, type(None)})


def clean(value: object) -> object:
    """A JSON document with every non-finite float replaced by ``None``."""
    if isinstance(value, float):
        return number(value)
    if isinstance(value, dict):
        # a plain value is kept without a call: 10,000 groups' parameters are 300,000 values
        return {str(k): v if type(v) in _PLAIN else clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _PLAIN else clean(v) for v in value]
    return value


def inference(record: Inference) -> dict[str, object]:
    return {
        "id": record.id,
        "run_id": record.run_id,
        "text": record.text,
        "verdict": record.verdict,
        "created": number(record.created),
        "author": record.author,
        "evidence": clean(record.evidence) if record.evidence else None,
        "edited": number(record.edited),
    }


def inference_version(record: InferenceVersion) -> dict[str, object]:
    """An earlier version of an inference (a run's or a grid's): what it said until it was
    edited or deleted."""
    return {
        "inference_id": record.inference_id,
        "text": record.text,
        "verdict": record.verdict,
        "created": number(record.created),
        "replaced": number(record.replaced),
        "action": record.action,
        "author": record.author,
    }


def configuration(row: dict[str, Any]) -> dict[str, object]:
    """One configuration of ``configurations_frame``: its runs, parameters and, per metric,
    ``n``-run mean, std and 95 % interval of the mean; the rule's verdict of the best against it."""
    metrics: dict[str, dict[str, Any]] = {}
    params: dict[str, Any] = {}
    for key, value in row.items():
        if key.startswith("metric."):
            name, part = key[len("metric.") :].rsplit(".", 1)
            metrics.setdefault(name, {})[part] = number(value)
        elif key.startswith("param."):
            params[key[len("param.") :]] = value
    return {
        "id": int(row["configuration"]),
        "n": int(row["n"]),
        "runs": [int(i) for i in row["runs"]],
        "seeds": clean(list(row["seeds"])),
        "verdict": row.get("verdict"),
        "params": clean(params),
        "metrics": metrics,
    }


def group(found: Group) -> dict[str, object]:
    """A group of the page's "group by": as a configuration is (its first run's id, n, runs,
    seeds, parameters, every metric's spread) and the rule's verdict of the best against it."""
    return {
        "id": found.id,
        "n": len(found.run_ids),
        "runs": list(found.run_ids),
        "seeds": clean(list(found.seeds)),
        "verdict": found.verdict,
        "params": clean(found.params),
        "metrics": {name: spread(s) for name, s in found.metrics.items()},
    }


def spread(found: Spread) -> dict[str, object]:
    """A metric over a side's runs: ``n``, ``mean``, ``std`` and the 95 % interval of the
    mean (``std``/``low``/``high`` null for a single run)."""
    return {
        "n": found.n,
        "mean": number(found.mean),
        "std": number(found.std),
        "low": number(found.low),
        "high": number(found.high),
    }


def metric_summary(record: MetricSummary) -> dict[str, object]:
    return {
        "last": number(record.last),
        "last_epoch": record.last_epoch,
        "best": number(record.best),
        "best_epoch": record.best_epoch,
        "goal": record.goal,
        "count": record.count,
    }


def run_summary(record: RunSummary) -> dict[str, object]:
    key = record.key_metric
    return {
        "id": record.id,
        "experiment": record.experiment,
        "status": record.status,
        "started": number(record.started),
        "ended": number(record.ended),
        "duration": number(record.duration),
        "updated": number(record.updated),
        "hypothesis": record.hypothesis,
        "tags": list(record.tags),
        "repeat_of": record.repeat_of,
        "notebook": record.notebook,
        "fingerprint": record.fingerprint,
        "params": clean(record.params),
        "metrics": {name: metric_summary(m) for name, m in record.metrics.items()},
        "key_metric": key.name if key is not None else None,
        "inference": inference(record.inference) if record.inference is not None else None,
        "inference_count": record.inference_count,
        "verdict": record.verdict,
        "points_pending": record.points_pending,
        "error_summary": record.error_summary,
        "deleted_at": number(record.deleted_at),
        "grid_inference": (
            grid_inference(record.grid_inference) if record.grid_inference is not None else None
        ),
    }


def run(record: Run) -> dict[str, object]:
    payload = run_summary(record)
    payload.update(
        code=record.code,
        full_params=clean(record.full_params),
        data=clean(record.data),
        env=clean({k: v for k, v in record.env.items() if k in ENV_FIELDS}),
        diagnoses=clean(record.diagnoses),
        checks=checks(record.checks),
        error=record.error,
        inferences=[inference(i) for i in record.inferences],
        inference_history=[inference_version(v) for v in record.inference_history],
        nearest=clean(record.nearest),
        data_fingerprint=record.data_fingerprint,
        artifacts=[artifact(a) for a in record.artifacts],
    )
    return payload


def procedure(report: ProcedureReport) -> dict[str, object] | None:
    """A run's upstream cells and their status now (``None``: no procedure recorded)."""
    record = report.record
    if record is None:
        return None
    cells = record.slice.get("cells", [])
    status = report.status
    return {
        "status": status.status if status is not None else None,
        "reason": status.reason if status is not None else None,
        "problems": [list(p) for p in status.problems] if status is not None else [],
        "notebook_checked": bool(status is not None and status.notebook_checked),
        "cell": clean(record.slice.get("cell")),
        "cells": clean(cells),
        "hidden": list(record.slice.get("hidden", [])),
        "replay_of": record.replay_of,
        "replays": list(record.replays),
        "comparison": clean(record.comparison),
        "reproduced": record.reproduced,
    }


def checks(record: dict[str, Any]) -> dict[str, object]:
    """The checks before ``fit``, with every list present (older runs recorded none)."""
    return {
        "findings": clean(list(record.get("findings", []))),
        "skipped": clean(list(record.get("skipped", []))),
        "silenced": list(record.get("silenced", [])),
    }


def artifact(record: Artifact) -> dict[str, object]:
    """What a run's cell made; ``role`` is ``name`` (a name it bound) or ``result`` (its value)."""
    return {
        "name": record.name,
        "role": record.role,
        "type": record.type,
        "kind": record.kind,
        "size": record.size,
        "hash": record.hash,
        "stored": record.stored,
        "reason": record.reason,
    }


def experiment(record: ExperimentSummary) -> dict[str, object]:
    return {
        "name": record.name,
        "runs": record.runs,
        "running": record.running,
        "last_activity": number(record.last_activity),
        "best_metric": record.best_metric,
        "best_value": number(record.best_value),
        "best_run": record.best_run,
    }


def table_row(record: TableRow) -> dict[str, object]:
    return {
        "id": record.id,
        "status": record.status,
        "started": number(record.started),
        "duration": number(record.duration),
        "verdict": record.verdict,
        "inference": record.inference,
        "params": clean(record.params),
        "metrics": {name: number(value) for name, value in record.metrics.items()},
        "tags": list(record.tags),
    }


def experiment_table(record: ExperimentTable) -> dict[str, object]:
    return {
        "experiment": record.experiment,
        "key_metric": record.key_metric,
        "params": list(record.params),
        "metrics": list(record.metrics),
        # which way is better, by the one rule (the page's optimisation history reads it)
        "goals": {name: metric_goals.goal(name) for name in record.metrics},
        "total": record.total,
        "rows": [table_row(r) for r in record.rows],
        "mirrors": {name: list(names) for name, names in record.mirrors.items()},
    }


def vocabulary(record: Vocabulary) -> dict[str, object]:
    """What the query box completes: names, their commonest values, tags, keyword values."""
    from ..store.query import TRASHED
    from ..store.records import STATUSES, VERDICTS

    return {
        "experiment": record.experiment,
        "runs": record.runs,
        "params": [
            {"name": name, "values": [v for v in values if len(str(v)) <= VALUE_MAX]}
            for name, values in record.params.items()
        ],
        "metrics": list(record.metrics),
        "tags": list(record.tags),
        "keywords": {
            "status": [*STATUSES, TRASHED],
            "verdict": [*VERDICTS, "none"],
            "inference": ["none", "any"],
        },
    }


def series(
    key: tuple[str, str, int], columns: MetricColumns, keep: Sequence[int], total: int | None = None
) -> dict[str, object]:
    """One metric series, ``key`` = (name, kind, part), reduced to the point indices ``keep``.

    ``total`` is the series' length when ``columns`` hold only candidates (roll-ups).
    """
    name, kind, part = key
    steps, epochs, values = columns
    return {
        "name": name,
        "kind": kind,
        "part": part,
        "total": len(values) if total is None else total,
        "points": [[steps[i], epochs[i], number(values[i])] for i in keep],
    }


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """A DataFrame's rows as JSON objects: numpy scalars made plain, NaN made ``null``."""
    rows = json.loads(frame.to_json(orient="records", date_unit="s", double_precision=15))
    return cast("list[dict[str, object]]", clean(rows))  # JSON records: objects


#: Runs drawn as points in an effect's chart at most: 10,000 points were ~1 MB of JSON and
#: 10,000 SVG marks a chart, where a 300 px chart shows no more than a sample does.
EFFECT_POINTS = 1000


def insights(found: Insights) -> dict[str, object]:
    """Insights as docs/rest-api.md describes them: each part a list of rows."""
    table = found.table
    points = []
    if table is not None:
        for name in found.top:
            part = table.frame[["id", name, "value"]].dropna(subset=[name])
            if len(part) > EFFECT_POINTS:  # a sample, the same each time; the effects hold all
                part = part.sample(n=EFFECT_POINTS, random_state=0).sort_index()
            points.append({
                "param": name,
                "points": [[int(i), clean(v), number(float(m))]
                           for i, v, m in part.itertuples(index=False, name=None)],
            })  # fmt: skip
    conclusions = (
        found.conclusions.assign(created=[t.timestamp() for t in found.conclusions["created"]])
        if not found.conclusions.empty
        else found.conclusions
    )
    return {
        "experiment": found.experiment,
        "same_data": found.same_data,
        "metric": found.metric,
        "goal": found.goal,
        "runs": found.runs,
        "left_out": found.dropped,
        "left_out_detail": left_out(found.left_out),
        "ranked": found.ranked,
        "verdict": found.verdict,
        "top": found.top,
        "aliases": found.aliases,
        "importances": _records(found.importances),
        "effects": _records(found.effects),
        "points": points,
        "best": _records(found.best),
        "suggestions": _records(
            found.suggestions.drop(columns=["point"], errors="ignore").assign(
                point=list(found.suggestions["point"]) if not found.suggestions.empty else []
            )
        ),
        "conclusions": _records(conclusions),
        "repeated": list(found.repeated),
        "transfer": found.transfer.evidence() if found.transfer is not None else None,
    }


def left_out(found: LeftOut | None) -> dict[str, object] | None:
    """Which finished runs the metric left out, the rule that chose it, and the metric every
    finished run has (``instead``, when another)."""
    if found is None:
        return None
    return {
        "runs": list(found.runs),
        "grids": list(found.grids),
        "metric": found.metric,
        "source": found.source,
        "instead": found.instead,
    }


def grid_inference(record: GridInference) -> dict[str, object]:
    return {
        "id": record.id,
        "grid_id": record.grid_id,
        "text": record.text,
        "verdict": record.verdict,
        "created": number(record.created),
        "edited": number(record.edited),
        "author": record.author,
    }


def grid_summary(record: Grid) -> dict[str, object]:
    """A grid in a listing: its spec, counts and best point (by the key metric's mean)."""
    from ..analysis.grid_table import GridTable

    view = GridTable(record)
    best = view.best()
    return {
        "id": record.id,
        "experiment": record.experiment,
        "created": number(record.created),
        "updated": number(record.updated),
        "hypothesis": record.hypothesis,
        "notebook": record.notebook,
        "spec": clean(record.spec),
        "points": record.total,
        "runs": record.runs,
        "done": record.done,
        "failed": record.failed,
        "running": record.running,
        "key_metric": view.key,
        "inference": grid_inference(record.inferences[-1]) if record.inferences else None,
        "inference_count": len(record.inferences),
        "best": None
        if best is None or view.key is None
        else {
            "values": clean(best.values),
            "mean": number(best.means[view.key]),
            "std": number(best.stds[view.key]),
            # the 95 % interval of the mean (analysis/configurations.spreads), null below 2 runs
            "low": number(best.lows.get(view.key)),
            "high": number(best.highs.get(view.key)),
            "runs": list(best.runs),
        },
    }


def grid(record: Grid) -> dict[str, object]:
    """The whole grid: its summary, code, every run, and the table of points (mean, std and
    the 95 % interval of the mean: what the notebook's grid summary shows)."""
    from ..analysis.grid_table import summary_rows

    payload = grid_summary(record)
    payload.update(
        code=record.code,
        inferences=[grid_inference(i) for i in record.inferences],
        inference_history=[inference_version(v) for v in record.inference_history],
        grid_runs=[
            {
                "run_id": p.run_id,
                "point": p.point,
                "values": clean(p.values),
                "status": p.status,
                "started": number(p.started),
                "ended": number(p.ended),
                "duration": number(None if p.ended is None else p.ended - p.started),
                "error": p.error,
                "metrics": {name: metric_summary(m) for name, m in p.metrics.items()},
            }
            for p in record.points
        ],
        table=[
            {
                "values": clean(row.values),
                "runs": list(row.runs),
                "statuses": list(row.statuses),
                "mean": clean(row.means),
                "std": clean(row.stds),
                "low": clean(row.lows),
                "high": clean(row.highs),
            }
            for row in summary_rows(record)
        ],
    )
    return payload
