"""Plain frozen records that the store returns: never ORM rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("running", "finished", "failed", "interrupted", "crashed")
VERDICTS = ("supported", "refuted", "inconclusive")
ARTIFACT_STATUSES = ("stored", "unsaveable", "too-large", "secret")

#: One metric series as columns: steps, epochs, values (see :meth:`Store.metric_columns`).
MetricColumns = tuple[Sequence[int], Sequence[int | None], Sequence[float | None]]


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
    #: the runs the inference rests on and the comparison rule's evidence (JSON data)
    evidence: dict[str, Any] | None = None
    #: when the current text replaced an earlier one (its versions: ``Run.inference_history``)
    edited: float | None = None


@dataclass(frozen=True)
class InferenceVersion:
    """What an inference said before it was edited or deleted (``action``): a run's
    (``Run.inference_history``) or a grid's (``Grid.inference_history``). One shape for
    both, as the REST API's ``inference_history`` items are: the record holding it is
    whom it concluded about."""

    inference_id: int
    text: str
    verdict: str | None
    #: when this version was written, and when it stopped being current
    created: float
    replaced: float
    action: str
    author: str | None = None


@dataclass(frozen=True)
class Artifact:
    """One thing a run's cell made: a name it bound (``role='name'``) or its value
    (``role='result'``). ``hash`` names the blob; ``None`` when it was not stored (``status``
    and ``reason`` say why)."""

    run_id: int
    name: str
    kind: str
    type: str
    size: int
    hash: str | None
    status: str = "stored"
    reason: str | None = None
    role: str = "name"
    extra: dict[str, Any] = field(default_factory=dict)
    created: float = 0.0

    @property
    def stored(self) -> bool:
        return self.status == "stored" and self.hash is not None


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
    #: The latest inference's verdict that was given: a later note without one keeps it.
    verdict: str | None = None
    #: Points kept locally, not yet in the journal: the record is incomplete while > 0.
    points_pending: int = 0
    #: The recorded error in one line (:func:`nbjournal.rules.format.error_summary`), for rows that show why a run failed.
    error_summary: str | None = None
    #: When the run went to the trash (``nbjournal delete``); ``None`` while it is kept.
    deleted_at: float | None = None
    #: The newest inference on a grid the run is a point of (a conclusion about every run of
    #: the grid); ``None`` when no grid holding it has one.
    grid_inference: GridInference | None = None

    @property
    def needs_inference(self) -> bool:
        """Nobody concluded about the run: no inference of its own, and none on a grid it is a
        point of. The one rule of "needs inference"; ``inference:none`` (:mod:`.query`) is it
        in SQL."""
        return self.inference is None and self.grid_inference is None

    @property
    def duration(self) -> float | None:
        return None if self.ended is None else self.ended - self.started

    @property
    def key_metric(self) -> MetricSummary | None:
        from ..rules.metric_goals import key_metric

        reported = [n for n, m in self.metrics.items() if m.last_epoch is None]
        name = key_metric(self.metrics, reported=reported)
        return self.metrics[name] if name else None


@dataclass(frozen=True)
class Run(RunSummary):
    code: str = ""
    full_params: dict[str, Any] = field(default_factory=dict)
    data: list[dict[str, Any]] = field(default_factory=list)
    env: dict[str, Any] = field(default_factory=dict)
    diagnoses: list[dict[str, Any]] = field(default_factory=list)
    #: Pre-fit checks: ``findings`` (name, message, evidence, fit), ``skipped``, ``silenced``.
    checks: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    inferences: tuple[Inference, ...] = ()
    host: str | None = None
    pid: int | None = None
    #: The closest earlier run when this one started: ``{run_id, differences, ...}``.
    nearest: dict[str, Any] | None = None
    data_fingerprint: str | None = None
    artifacts: tuple[Artifact, ...] = ()
    #: What the fit's data is like (:mod:`nbjournal.capture.metafeatures`), when recorded.
    meta_features: dict[str, Any] | None = None
    #: Earlier versions of its inferences (edited or deleted), oldest first.
    inference_history: tuple[InferenceVersion, ...] = ()


@dataclass(frozen=True)
class ExperimentSummary:
    name: str
    runs: int
    running: int
    last_activity: float
    best_metric: str | None
    best_value: float | None
    best_run: int | None


@dataclass(frozen=True)
class HistoryRow:
    """One finished run as insights and the nearest-run search read it: flat params as JSON text."""

    id: int
    experiment: str
    ended: float | None
    params_flat: str
    data_fingerprint: str | None


@dataclass(frozen=True)
class GridConclusion:
    """An inference on a grid as a whole, with what says which grid it is about: the grid's
    recorded spec and how many of the runs read (finished, kept) are its."""

    inference: GridInference
    spec: dict[str, Any]
    runs: int


@dataclass(frozen=True)
class History:
    """Finished runs (oldest first), their final metric values and every inference on them."""

    runs: list[HistoryRow]
    #: ``(run_id, metric name, last value)``
    metrics: list[tuple[int, str, float | None]]
    inferences: list[Inference]
    #: inferences on grids holding any of ``runs``, newest first
    grid_inferences: list[GridConclusion] = field(default_factory=list)


@dataclass(frozen=True)
class GridPoint:
    """One run of a grid: its place in the grid's order, the grid's values, and its result."""

    run_id: int
    point: int
    values: dict[str, Any]
    status: str
    started: float
    ended: float | None
    metrics: dict[str, MetricSummary]
    error: str | None = None


@dataclass(frozen=True)
class GridInference:
    """A conclusion about a grid as a whole."""

    id: int
    grid_id: int
    text: str
    verdict: str | None
    created: float
    author: str | None = None
    #: when the current text replaced an earlier one (None: never edited)
    edited: float | None = None


@dataclass(frozen=True)
class GridSummary:
    id: int
    experiment: str
    created: float
    updated: float
    hypothesis: str
    spec: dict[str, Any]
    total: int
    runs: int
    done: int
    failed: int
    running: int
    notebook: str | None = None


@dataclass(frozen=True)
class Grid(GridSummary):
    code: str = ""
    points: tuple[GridPoint, ...] = ()
    inferences: tuple[GridInference, ...] = ()
    #: earlier versions of its inferences, oldest first
    inference_history: tuple[InferenceVersion, ...] = ()
