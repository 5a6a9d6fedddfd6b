"""Plain frozen records that the store returns: never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("running", "finished", "failed", "interrupted", "crashed")
VERDICTS = ("supported", "refuted", "inconclusive")


@dataclass(frozen=True)
class MetricSummary:
    name: str
    last: float | None
    last_epoch: int | None
    best: float | None
    best_epoch: int | None
    goal: str
    count: int


@dataclass(frozen=True)
class Inference:
    id: int
    run_id: int
    text: str
    verdict: str | None
    created: float
    author: str | None = None


@dataclass(frozen=True)
class MetricPoint:
    """One value of one metric. ``kind`` is ``epoch``, ``batch`` or ``value`` (a final number)."""

    name: str
    value: float | None
    step: int
    kind: str = "epoch"
    epoch: int | None = None
    part: int = 0
    time: float = 0.0


@dataclass(frozen=True)
class RunSummary:
    id: int
    experiment: str
    status: str
    started: float
    ended: float | None
    updated: float
    hypothesis: str
    fingerprint: str
    repeat_of: int | None
    tags: tuple[str, ...]
    params: dict[str, Any]
    metrics: dict[str, MetricSummary]
    inference: Inference | None
    inference_count: int
    notebook: str | None = None
    #: Points kept locally, not yet in the journal: the record is incomplete while > 0.
    points_pending: int = 0

    @property
    def duration(self) -> float | None:
        return None if self.ended is None else self.ended - self.started

    @property
    def key_metric(self) -> MetricSummary | None:
        from .metric_goals import key_metric

        name = key_metric(self.metrics)
        return self.metrics[name] if name else None


@dataclass(frozen=True)
class Run(RunSummary):
    code: str = ""
    full_params: dict[str, Any] = field(default_factory=dict)
    data: list[dict[str, Any]] = field(default_factory=list)
    env: dict[str, Any] = field(default_factory=dict)
    diagnoses: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    inferences: tuple[Inference, ...] = ()
    host: str | None = None
    pid: int | None = None


@dataclass(frozen=True)
class ExperimentSummary:
    name: str
    runs: int
    running: int
    last_activity: float
    best_metric: str | None
    best_value: float | None
    best_run: int | None
