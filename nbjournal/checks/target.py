"""``target-leakage``: one input column that gives the label away on its own.

A feature computed from the label (``refund = 49.99 * y``) makes any model
perfect on paper and useless in use. The rule is the correlation ratio η
between each column and the class (η² = the share of the column's variance
the class explains): η ≥ :data:`TARGET_ETA` means the column is, within a
rounding error, a function of the label. For two classes η is the absolute
correlation. A column that merely separates the classes by a threshold
(``y = x0 > 0``) has η far below it (0.8 for a normal column), so clean data
stays quiet.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..rules.format import number
from .inputs import FitData, stride_sample
from .registry import Finding, check

#: A column whose correlation ratio with the class reaches this is a copy of the label.
TARGET_ETA = 0.99
#: Fewer training rows than this tell nothing.
TARGET_MIN_ROWS = 30


@check("target-leakage")
def target_leakage(data: FitData) -> Iterator[Finding]:
    classes = data.classes
    x = data.x_train
    if classes is None or x.ndim != 2 or len(x) < TARGET_MIN_ROWS or x.dtype.kind not in "biuf":
        return
    labels = classes[: len(x)]
    if len(np.unique(labels)) < 2:
        return
    sample, sampled = stride_sample(x.astype(np.float64, copy=False))
    labels = stride_sample(labels)[0]
    eta = correlation_ratio(sample, labels)
    column = int(np.nanargmax(eta)) if np.isfinite(eta).any() else -1
    if column < 0 or eta[column] < TARGET_ETA:
        return
    note = f" (on a sample of {len(sample):,} rows)" if sampled else ""
    name = data.column(column)
    yield Finding(
        "target-leakage",
        f"{name} alone gives the label away (correlation ratio {number(eta[column])}){note} — "
        "drop it if it is computed from the label or known only after it",
        {"column": column, "name": name, "eta": float(eta[column]), "sampled": sampled},
    )


def correlation_ratio(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """η of every column of ``x`` with the classes ``labels`` (NaN for a constant column)."""
    finite = np.isfinite(x).all(axis=1)
    x, labels = x[finite], labels[finite]
    if len(x) == 0:  # every row lacks a value somewhere: nothing to measure
        return np.full(x.shape[1], np.nan)
    names, inverse = np.unique(labels, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(names)).astype(np.float64)
    centred = x - x.mean(axis=0)
    total = (centred**2).sum(axis=0)
    order = np.argsort(inverse, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
    sums = np.add.reduceat(centred[order], starts, axis=0)
    between = (sums**2 / counts[:, None]).sum(axis=0)
    with np.errstate(all="ignore"):
        return np.where(total > 0, np.sqrt(between / total), np.nan)
