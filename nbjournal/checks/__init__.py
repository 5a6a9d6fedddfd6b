"""Checks before training: the data and model problems that waste runs, caught before ``fit``.

Each check is a pure function of one ``fit``'s inputs (:class:`FitData`) and
returns findings (``name``, ``message``, ``evidence``); :func:`run_checks`
runs them all, skipping (and recording as skipped) any that cannot read its
input. Rules, thresholds and reasons: ``docs/checks.md``. Only numpy is
imported here; the fit hooks (:mod:`nbjournal.recording.check_hook`) call in.
"""

from __future__ import annotations

from . import architecture, labels, rows, target, values  # noqa: F401  (registers the checks)
from .inputs import FitData, ModelInfo, describe_model
from .registry import ORDER, CheckReport, Finding, Skipped, Unreadable, run_checks
from .training import chance_loss, initial_loss

NAMES = ORDER

__all__ = [
    "NAMES",
    "CheckReport",
    "Finding",
    "FitData",
    "ModelInfo",
    "Skipped",
    "Unreadable",
    "chance_loss",
    "describe_model",
    "initial_loss",
    "run_checks",
]
