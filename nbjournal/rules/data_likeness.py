"""How alike two data sets are, from their meta-features: the one rule, in one home.

Each meta-feature (:mod:`nbjournal.capture.metafeatures`) is scaled to about
0–1 by a fixed rule (:data:`SCALES`: logarithms for counts, ``v / (1 + v)``
for unbounded ones), so a distance means the same whatever else the journal
holds; the distance is the mean absolute difference over the features both
records have (auto-sklearn's L1, Feurer et al. 2015). Data of different kinds
of task (classes against regression) are never alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

CLASSIFICATION, REGRESSION, UNSUPERVISED = "classification", "regression", "unsupervised"
#: A target with at most this many distinct integer-like values is taken for classes.
MAX_CLASSES = 50


def _log_scale(low: float, high: float) -> Callable[[float], float]:
    return lambda v: (math.log10(max(v, 10**low)) - low) / (high - low)


def _ratio(v: float) -> float:
    return v / (1.0 + v)


#: Each feature's rule to about 0–1, for distances (None: already 0–1).
SCALES: dict[str, Callable[[float], float] | None] = {
    "rows": _log_scale(1, 7),
    "features": _log_scale(0, 4),
    "dimensionality": lambda v: (math.log10(max(v, 1e-7)) + 6) / 7,
    "classes": lambda v: math.log2(max(v, 1)) / math.log2(MAX_CLASSES),
    "class_entropy": None,
    "minority_ratio": None,
    "missing_share": None,
    "categorical_share": None,
    "integer_share": None,
    "binary_share": None,
    "scale_spread": lambda v: min(v, 8.0) / 8.0,
    "skewness": _ratio,
    "correlation": None,
    "target_skewness": _ratio,
    "landmark_1nn": None,
    "landmark_stump": None,
    "landmark_linear": None,
}
NAMES = tuple(SCALES)


def distance(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """Mean absolute difference of the scaled features both records have (0 = alike,
    about 1 = unlike); ``inf`` between tasks of different kinds or with nothing shared."""
    if a.get("task") != b.get("task"):
        return math.inf
    left, right = a.get("features") or {}, b.get("features") or {}
    total, count = 0.0, 0
    for name, scale in SCALES.items():
        u, v = left.get(name), right.get(name)
        if u is None or v is None:
            continue
        if scale is not None:
            u, v = scale(u), scale(v)
        total += abs(min(max(u, 0.0), 1.0) - min(max(v, 0.0), 1.0))
        count += 1
    return total / count if count else math.inf


def describe(record: Mapping[str, Any]) -> str:
    """``1,797 rows × 64 features, 10 classes`` (or ``…, regression``)."""
    features = record.get("features") or {}
    rows, columns = features.get("rows"), features.get("features")
    shape = f"{int(rows or 0):,} rows × {int(columns or 0):,} features"
    task = record.get("task")
    if task == CLASSIFICATION:
        return f"{shape}, {int(features.get('classes') or 0)} classes"
    return f"{shape}, {task}"
