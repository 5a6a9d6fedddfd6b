"""What a cell leaves behind once its body has run: fitted estimators and its result.

Read after the body, from the namespace and the cell's last expression; the
run lifecycle records them on the run.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, SupportsFloat, SupportsIndex

from . import code as cellcode
from .model_params import estimator_params

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator


class ResultSink(Protocol):
    """Where results go: the run's recorder (:mod:`nbjournal.recording` sits above capture)."""

    def add_params(self, params: dict[str, object]) -> None: ...

    def log_value(self, name: str, value: object) -> None: ...


def fitted_estimators(
    cell: cellcode.CellCode, namespace: Mapping[str, object]
) -> dict[str, object]:
    """The params of scikit-learn estimators the cell assigned or fitted: ``estimator`` when
    there is one, ``estimators`` (by name) when there are several."""
    base = sys.modules.get("sklearn.base")
    if base is None:  # the cell used no scikit-learn
        return {}
    found = {}
    for name in dict.fromkeys(cell.fitted_receivers + cell.assigned_names):
        value = namespace.get(name)
        if isinstance(value, base.BaseEstimator) and _is_fitted(value):
            found[name] = estimator_params(value)
    if len(found) == 1:
        return {"estimator": next(iter(found.values()))}
    return {"estimators": found} if found else {}


def record_results(
    recorder: ResultSink,
    cell: cellcode.CellCode | None,
    namespace: Mapping[str, object],
    result: object,
) -> None:
    """Record on the run what the body left: the params of the estimators it fitted, and its
    value as metrics (a cell's or a grid point's; ``cell`` is ``None`` for a function)."""
    if cell is not None:
        estimators = fitted_estimators(cell, namespace)
        if estimators:
            recorder.add_params(estimators)
    for name, value in result_metrics(cell, result).items():
        recorder.log_value(name, value)


def result_metrics(cell: cellcode.CellCode | None, result: object) -> dict[str, object]:
    """The body's value as metrics, when it is a number or a dict of numbers: a number is
    named after the cell's last expression (``result`` for a function's value)."""
    if result is None or isinstance(result, bool):
        return {}
    if isinstance(result, dict):
        return {str(k): v for k, v in result.items() if is_number(v)}
    if is_number(result):
        if cell is None:
            return {"result": result}
        return {cellcode.result_name(cellcode.last_expression(cell.tree)): result}
    return {}


def is_number(value: object) -> bool:
    """A real scalar (Python or numpy), not a bool, a string or an array."""
    if isinstance(value, bool) or not isinstance(value, (SupportsFloat, SupportsIndex)):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return getattr(value, "ndim", 0) == 0 and not isinstance(value, (str, bytes))


def _is_fitted(estimator: BaseEstimator) -> bool:
    try:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(estimator)
        return True
    except Exception:
        return False
