"""The named checks, their findings, and the one loop that runs them.

A check is a pure function of a :class:`~nbjournal.checks.inputs.FitData`
returning findings. Checks never raise out of :func:`run_checks`: a check
that cannot read its input (an exotic type, a shape it does not know) is
recorded as *skipped* with the reason, and the user's ``fit`` goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .inputs import FitData, Unreadable

#: The checks in the order they are shown (DESIGN §5).
ORDER = (
    "sorted-labels",
    "non-finite",
    "scale",
    "leakage",
    "target-leakage",
    "conflicting-labels",
    "imbalance",
    "label-range",
    "output-loss",
    "initial-loss",
    "batch-size",
    "saturating",
)


def percent(share: float) -> str:
    """A share as a person reads it: ``36.67 %`` (about four significant digits)."""
    from ..rules.format import number

    return f"{number(round(100 * share, 2)).removesuffix('.0')} %"


@dataclass(frozen=True)
class Finding:
    """One problem: ``name: message`` is the line a person reads; ``evidence`` the numbers."""

    name: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def line(self) -> str:
        return f"{self.name}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "message": self.message, "evidence": dict(self.evidence)}


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "reason": self.reason}


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


#: A check: findings on a fit's inputs (none when it finds nothing).
CheckFunction = Callable[[FitData], Iterable[Finding]]
REGISTRY: dict[str, CheckFunction] = {}


def check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a pre-fit check under ``name`` (one of :data:`ORDER`)."""
    if name not in ORDER:
        raise ValueError(f"unknown check name {name!r}")

    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY[name] = function
        return function

    return register


def run_checks(data: FitData, silenced: Iterable[str] = ()) -> CheckReport:
    """Every registered check on ``data`` except the ``silenced`` ones, in :data:`ORDER`."""
    off = set(silenced)
    report = CheckReport()
    for name in ORDER:
        function = REGISTRY.get(name)
        if function is None or name in off:
            continue
        try:
            report.findings.extend(function(data))
        except Unreadable as reason:
            report.skipped.append(Skipped(name, str(reason)))
        except Exception as failure:  # the journal's own failure never breaks the user's fit
            report.skipped.append(Skipped(name, f"could not run: {failure!r}"[:300]))
    return report
