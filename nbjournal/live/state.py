"""What a person is shown about a running run, fed by the recorder's events.

Both sinks (the notebook view and the text line) keep one :class:`RunState`
and render it their own way; nothing here displays anything.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

from ..store.metric_goals import is_better
from .progress import Progress

#: Short names for parameters that tell the fits of one cell apart.
_SHORT = {"learning_rate": "lr", "batch_size": "batch", "validation_split": "val split"}


class RunState:
    """Status, progress of each ``fit``, best values, diagnoses and warnings of one run."""

    def __init__(self, experiment: str, run_id: int | None, hypothesis: str = "") -> None:
        self.experiment = experiment
        self.run_id = run_id
        self.hypothesis = _first_line(hypothesis)
        self.status = "running"
        self.error: str | None = None
        self.started = time.monotonic()
        self.ended: float | None = None
        self.fits: list[Progress] = []
        self.labels: list[str] = []
        #: part -> metric -> (best value, epoch)
        self.bests: dict[int, dict[str, tuple[float, int]]] = {}
        self.diagnoses: list[dict[str, Any]] = []
        self.warnings: list[str] = []

    @property
    def label(self) -> str:
        """``#12``, or what a run the journal has not taken yet is called."""
        return f"#{self.run_id}" if self.run_id is not None else "(kept locally)"

    @property
    def current(self) -> Progress | None:
        return self.fits[-1] if self.fits else None

    @property
    def diverged(self) -> bool:
        return any(d.get("kind") == "diverged" for d in self.diagnoses)

    def elapsed(self) -> float:
        return (self.ended or time.monotonic()) - self.started

    def fit_started(self, progress: Progress, fits: list[dict[str, Any]]) -> None:
        self.fits.append(progress)
        self.labels = part_labels([fit.get("params") or {} for fit in fits])

    def epoch_ended(self, part: int, epoch: int, values: Mapping[str, float | None]) -> None:
        bests = self.bests.setdefault(part, {})
        for name, value in values.items():
            if value is None or not math.isfinite(value):
                continue
            best = bests.get(name)
            if best is None or is_better(name, value, best[0]):
                bests[name] = (value, epoch)

    def ended_as(self, status: str, error: str | None) -> None:
        self.status = status
        self.error = error
        self.ended = time.monotonic()

    def metric_names(self) -> list[str]:
        """Every metric with a best value: loss first, each followed by its validation twin."""
        names = {name for bests in self.bests.values() for name in bests}
        bases = sorted({n.removeprefix("val_") for n in names}, key=lambda n: (n != "loss", n))
        return [n for base in bases for n in (base, f"val_{base}") if n in names]


def part_labels(fits: list[dict[str, Any]]) -> list[str]:
    """A label per ``fit``: what differs between them (``lr=0.01``), else ``fit 2``."""
    if len(fits) < 2:
        return ["fit 1"] * len(fits)
    flat = [_flatten(params) for params in fits]
    keys = [k for k in flat[0] if any(f.get(k) != flat[0].get(k) for f in flat[1:])]
    keys += [k for f in flat[1:] for k in f if k not in flat[0] and k not in keys]
    scalars = [k for k in keys if all(_scalar(f.get(k)) for f in flat)]
    chosen = sorted(scalars, key=lambda k: ("learning_rate" not in k, len(k)))[:2]
    if not chosen:
        return [f"fit {i + 1}" for i in range(len(fits))]
    labels = []
    for f in flat:
        words = [
            f"{_SHORT.get(k.rsplit('.', 1)[-1], k.rsplit('.', 1)[-1])}={_value(f.get(k))}"
            for k in chosen
        ]
        labels.append(" ".join(words))
    if len(set(labels)) < len(labels):
        return [f"fit {i + 1}: {label}" for i, label in enumerate(labels)]
    return labels


def _flatten(params: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in params.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (int, float, str, bool))


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _first_line(text: str) -> str:
    stripped = (text or "").strip()
    return stripped.splitlines()[0] if stripped else ""
