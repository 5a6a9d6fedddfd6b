"""The store's frozen records as the JSON of docs/rest-api.md.

Field names here are the contract with the lab extension's ``tokens.ts``: a
rename is a breaking change of the REST API. JSON has no NaN or infinity, and a
diverged run is full of them, so every number goes out as a finite float or
``null``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store import ExperimentSummary, Inference, MetricSummary, Run, RunSummary
    from ..store.store import MetricColumns


#: The ``env`` fields docs/rest-api.md lists; nothing else of the kernel's machine is served.
ENV_FIELDS = (
    "python", "nbjournal", "tensorflow", "keras", "keras_backend", "sklearn", "numpy", "pandas",
    "host", "platform", "notebook", "git",
)  # fmt: skip


def number(value: float | None) -> float | None:
    """``value``, or ``None`` when JSON cannot carry it (NaN, infinity)."""
    if value is None or math.isfinite(value):
        return value
    return None


def clean(value: Any) -> Any:
    """A JSON document with every non-finite float replaced by ``None``."""
    if isinstance(value, float):
        return number(value)
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def inference(record: Inference) -> dict[str, Any]:
    return {
        "id": record.id,
        "run_id": record.run_id,
        "text": record.text,
        "verdict": record.verdict,
        "created": number(record.created),
        "author": record.author,
    }


def metric_summary(record: MetricSummary) -> dict[str, Any]:
    return {
        "last": number(record.last),
        "last_epoch": record.last_epoch,
        "best": number(record.best),
        "best_epoch": record.best_epoch,
        "goal": record.goal,
        "count": record.count,
    }


def run_summary(record: RunSummary) -> dict[str, Any]:
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
        "points_pending": record.points_pending,
    }


def run(record: Run) -> dict[str, Any]:
    payload = run_summary(record)
    payload.update(
        code=record.code,
        full_params=clean(record.full_params),
        data=clean(record.data),
        env=clean({k: v for k, v in record.env.items() if k in ENV_FIELDS}),
        diagnoses=clean(record.diagnoses),
        error=record.error,
        inferences=[inference(i) for i in record.inferences],
    )
    return payload


def experiment(record: ExperimentSummary) -> dict[str, Any]:
    return {
        "name": record.name,
        "runs": record.runs,
        "running": record.running,
        "last_activity": number(record.last_activity),
        "best_metric": record.best_metric,
        "best_value": number(record.best_value),
        "best_run": record.best_run,
    }


def series(
    key: tuple[str, str, int], columns: MetricColumns, keep: Sequence[int], total: int | None = None
) -> dict[str, Any]:
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
