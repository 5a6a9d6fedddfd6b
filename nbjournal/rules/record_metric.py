"""The experiment's metric of record: the one metric every view ranks and compares by.

One rule, in this order: ``--metric NAME[:max|min]`` given now; else the metric
last chosen for the experiment (remembered by the journal); else the metric the
cell returned or logged (``accuracy_score(...)`` as its last expression); else
the Keras validation metric (``val_accuracy`` before other ``val_`` names, and
``val_loss`` last); else the headline metric of :func:`metric_goals.key_metric`.
The direction is the one given with the name, else :func:`metric_goals.goal`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .metric_goals import goal, key_metric

_OPTION = re.compile(r"^\s*([^:\s]+?)\s*(?::\s*(max|min)\s*)?$")

GIVEN = "--metric"
CHOSEN = "chosen with --metric for this experiment"
RETURNED = "the cell's result"
VALIDATION = "the Keras validation metric"
HEADLINE = "the headline metric"


@dataclass(frozen=True)
class RecordMetric:
    """A metric with its direction and why it is the one (``source``)."""

    name: str
    goal: str  # "max" or "min"
    source: str

    @property
    def higher_is_better(self) -> bool:
        return self.goal == "max"

    def option(self) -> str:
        """As ``--metric`` takes it (and as the journal remembers it): ``val_loss:min``."""
        return f"{self.name}:{self.goal}"

    def label(self) -> str:
        """What a view prints above what it ranks: ``ranked by val_loss (lower is better, --metric)``."""
        direction = "higher is better" if self.goal == "max" else "lower is better"
        return f"ranked by {self.name} ({direction}; {self.source})"


def parse_option(text: str) -> tuple[str, str | None]:
    """``NAME[:max|min]`` as (name, goal or None); a malformed one is a ``ValueError``."""
    match = _OPTION.match(text or "")
    if not match:
        raise ValueError(f"--metric takes NAME or NAME:max or NAME:min, not {text!r}")
    return match.group(1), match.group(2)


def metric_of_record(
    available: Iterable[str],
    reported: Iterable[str] = (),
    given: str | None = None,
    chosen: str | None = None,
) -> RecordMetric | None:
    """The metric of record among ``available`` (``reported``: final values a cell gave).

    ``given`` and ``chosen`` are ``NAME[:max|min]`` texts. A ``given`` name the runs
    do not have is still the answer (the view then says it has no values); a
    ``chosen`` one they do not have is passed over.
    """
    names = list(dict.fromkeys(available))
    if given:
        name, direction = parse_option(given)
        return RecordMetric(name, direction or goal(name), GIVEN)
    if chosen:
        try:
            name, direction = parse_option(chosen)
        except ValueError:
            name, direction = "", None
        if name in names:
            return RecordMetric(name, direction or goal(name), CHOSEN)
    returned = [n for n in reported if n in names]
    if returned:
        name = key_metric(returned) or returned[0]
        return RecordMetric(name, goal(name), RETURNED)
    validation = [n for n in names if n.startswith("val_")]
    if validation:
        gains = [n for n in validation if goal(n) == "max"]
        chosen = key_metric(gains) if gains else key_metric(validation)
        if chosen:
            return RecordMetric(chosen, goal(chosen), VALIDATION)
    headline = key_metric(names)
    return RecordMetric(headline, goal(headline), HEADLINE) if headline else None
