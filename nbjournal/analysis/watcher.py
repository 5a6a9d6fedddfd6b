"""Diagnosing a run while it trains: each diagnosis is reported once per fit, when it first holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import SupportsFloat, SupportsIndex

from .diagnoses import Diagnosis, diagnose


class CurveWatcher:
    """Keeps each fit's per-epoch history and returns the diagnoses that are new.

    The recorder calls :meth:`epoch_ended` after every epoch and :meth:`fit_ended`
    when a ``fit`` returns normally (underfitting is only judged then: a fit
    stopped by hand or by an error says nothing about it).
    """

    def __init__(self) -> None:
        self._history: dict[int, dict[str, list[float | None]]] = {}
        self._count: dict[int, int] = {}
        self._first_epoch: dict[int, int] = {}
        self._reported: set[tuple[int, str]] = set()
        self._latest: dict[int, list[Diagnosis]] = {}

    def epoch_ended(self, part: int, epoch: int, logs: Mapping[str, object]) -> list[Diagnosis]:
        history = self._history.setdefault(part, {})
        self._first_epoch.setdefault(part, epoch)
        count = self._count.get(part, 0)
        for name, raw in logs.items():
            value = _float(raw)
            if value is not None:
                history.setdefault(name, [None] * count).append(value)
        count += 1
        for series in history.values():
            if len(series) < count:
                series.append(None)
        self._count[part] = count
        return self._fresh(part, final=False)

    def fit_ended(self, part: int) -> list[Diagnosis]:
        return self._fresh(part, final=True)

    def restate(self, part: int, *, final: bool) -> list[Diagnosis]:
        """Every diagnosis that holds on the fit's whole curve, now that it has ended.

        A message said while training is frozen at that epoch ("0.05864 at its
        lowest"); the end of the fit re-reads the whole curve, so what is kept
        agrees with the final table (the lowest validation loss, its epoch), and
        a reading that no longer holds is not kept.
        """
        if part not in self._history:
            return []
        found = diagnose(
            self._history[part], final=final, part=part, first_epoch=self._first_epoch[part]
        )
        self._reported.update((part, d.kind) for d in found)
        return found

    def said_and_holding(self, part: int) -> list[Diagnosis]:
        """The diagnoses reported earlier in this fit that still hold, as the latest epoch
        reads them: a message said at epoch 11 ("0.08138 at its lowest") would otherwise
        stand beside a table whose best moved to epoch 24 (issue 21.11)."""
        return [d for d in self._latest.get(part, []) if (part, d.kind) in self._reported]

    def parts(self) -> list[int]:
        return sorted(self._history)

    def history(self, part: int) -> dict[str, list[float | None]]:
        """The per-epoch values seen for one fit (a copy)."""
        return {name: list(values) for name, values in self._history.get(part, {}).items()}

    def _fresh(self, part: int, *, final: bool) -> list[Diagnosis]:
        if part not in self._history:
            return []
        found = diagnose(
            self._history[part], final=final, part=part, first_epoch=self._first_epoch[part]
        )
        self._latest[part] = found
        new = [d for d in found if (part, d.kind) not in self._reported]
        self._reported.update((part, d.kind) for d in new)
        return new


def _float(value: object) -> float | None:
    """A number, NaN and infinity included (they are what ``diverged`` looks for)."""
    if isinstance(value, bool) or not isinstance(value, (str, bytes, SupportsFloat, SupportsIndex)):
        return None  # what float() cannot read
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number
