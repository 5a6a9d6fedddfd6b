"""Which way is better for a metric, and which metric is the run's headline.

Keras and scikit-learn name metrics by convention (``loss``, ``val_accuracy``,
``mean_squared_error``); the journal reads those names to know whether a
smaller or a larger value is the best one.
"""

from __future__ import annotations

from collections.abc import Iterable

_LOWER_IS_BETTER = ("loss", "error", "mse", "mae", "mape", "rmse", "entropy", "perplexity", "time")
_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "r2", "score", "iou", "dice")

# Headline metric, in order of preference.
_KEY_METRICS = (
    "val_accuracy", "val_acc", "accuracy", "acc", "score", "test_accuracy", "val_loss", "loss",
)  # fmt: skip


def goal(name: str) -> str:
    """``"min"`` when smaller is better, ``"max"`` when larger is better."""
    lowered = name.lower()
    if any(word in lowered for word in _LOWER_IS_BETTER):
        return "min"
    if any(word in lowered for word in _HIGHER_IS_BETTER):
        return "max"
    return "min"


def is_better(name: str, candidate: float, incumbent: float | None) -> bool:
    """Whether ``candidate`` beats ``incumbent`` for metric ``name``."""
    return better_for_goal(goal(name), candidate, incumbent)


def better_for_goal(goal_: str, candidate: float, incumbent: float | None) -> bool:
    """:func:`is_better` with the goal already looked up: NaN is never best."""
    if incumbent is None or incumbent != incumbent:
        return candidate == candidate
    if candidate != candidate:
        return False
    return candidate < incumbent if goal_ == "min" else candidate > incumbent


def key_metric(names: Iterable[str], reported: Iterable[str] = ()) -> str | None:
    """The run's headline metric: what the person reported wins, then Keras' usual names.

    The rule, followed by every view, the REST API and the sidebar: a metric
    the cell returned (``accuracy_score(...)`` as its last expression) or
    logged with ``log_metric`` is the one the person chose to measure, so it
    is the key metric; among several, or with none reported, the preference
    order of :data:`_KEY_METRICS`, then a higher-is-better name, then the first
    name. ``reported`` names the metrics recorded as final values (no epoch).
    """
    available = list(names)
    chosen = [n for n in reported if n in available]
    return _preferred(chosen) if chosen else _preferred(available)


def _preferred(available: list[str]) -> str | None:
    for preferred in _KEY_METRICS:
        if preferred in available:
            return preferred
    accuracy_like = [n for n in available if goal(n) == "max"]
    if accuracy_like:
        return sorted(accuracy_like)[0]
    return sorted(available)[0] if available else None
