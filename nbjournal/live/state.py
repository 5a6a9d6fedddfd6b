"""What a person is shown about a running run, fed by the recorder's events.

Both sinks (the notebook view and the text line) keep one :class:`RunState`
and render it their own way; nothing here displays anything.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from ..rules.metric_goals import is_better
from ..rules.params import flatten, is_scalar
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
        self.diagnoses: list[dict[str, object]] = []
        self.warnings: list[str] = []
        #: Findings of the checks that arrived once the view was shown (``initial-loss``).
        self.checks: list[dict[str, object]] = []

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

    def restate(self, part: int, diagnoses: list[dict[str, object]]) -> list[dict[str, object]]:
        """Put the part's diagnoses read from its whole curve in place of those said while it
        trained; returns the ones whose words changed (to be said again)."""
        said = {str(d.get("message")) for d in self.diagnoses if d.get("part", 0) == part}
        self.diagnoses = [d for d in self.diagnoses if d.get("part", 0) != part] + list(diagnoses)
        return [d for d in diagnoses if str(d.get("message")) not in said]

    def fit_started(self, progress: Progress, params: list[Mapping[str, object]]) -> None:
        """A new ``fit`` began; ``params``: every fit's described parameters, for the labels."""
        self.fits.append(progress)
        self.labels = part_labels([p or {} for p in params])

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


def part_labels(fits: list[Mapping[str, object]]) -> list[str]:
    """A label per ``fit``: what differs between them (``lr=0.01``), else ``fit 2``."""
    if len(fits) < 2:
        return ["fit 1"] * len(fits)
    flat = [flatten(dict(params), split_lists=True) for params in fits]
    keys = [k for k in flat[0] if any(f.get(k) != flat[0].get(k) for f in flat[1:])]
    keys += [k for f in flat[1:] for k in f if k not in flat[0] and k not in keys]
    scalars = [k for k in keys if all(is_scalar(f.get(k)) for f in flat)]
    # What a person changes first: the learning rate, the layers, then the shortest names;
    # the parameter count follows from the layers and says less.
    ranked = sorted(
        scalars,
        key=lambda k: ("learning_rate" not in k, "layers" not in k, k.endswith(".params"), len(k)),
    )
    # One name when it tells every fit apart, two otherwise.
    alone = ranked[:1]
    chosen = (
        alone if alone and len({repr(f.get(alone[0])) for f in flat}) == len(flat) else ranked[:2]
    )
    if not chosen:
        return [f"fit {i + 1}" for i in range(len(fits))]
    labels = []
    for f in flat:
        words = [f"{_short(k)}={_value(f.get(k))}" for k in chosen]
        labels.append(" ".join(words))
    if len(set(labels)) < len(labels):
        return [f"fit {i + 1}: {label}" for i, label in enumerate(labels)]
    return labels


def _short(path: str) -> str:
    """``model.layers[1]`` → ``layers[1]``; ``optimizer.learning_rate`` → ``lr``."""
    last = path.rsplit(".", 1)[-1]
    return _SHORT.get(last, last)


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _first_line(text: str) -> str:
    stripped = (text or "").strip()
    return stripped.splitlines()[0] if stripped else ""
