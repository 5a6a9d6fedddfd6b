"""``leakage`` and ``conflicting-labels``: identical rows, found by hashing (:mod:`.hashing`),
never pairwise. Rows with equal hashes are compared byte for byte, so a hash collision
never makes a finding.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .hashing import row_bytes, row_hashes
from .inputs import FitData
from .registry import Finding, check, percent

#: Leakage is reported when at least this share of validation (or test) rows also occur in
#: training. Clean data has a few natural twins: 1.6 % of the digits' test split (7 of 450
#: images) equal training images, so the floor stands well above that.
LEAKAGE_SHARE = 0.05
#: Conflicting labels are reported when at least this share of training rows are involved.
CONFLICT_SHARE = 0.01


@check("leakage")
def leakage(data: FitData) -> Iterator[Finding]:
    validation = data.validation
    if validation is None:
        return
    x_val = validation[0]
    source = "validation_data" if data.validation_data is not None else "the validation split"
    found = shared_rows(data, x_val, source)
    if found is not None:
        yield found


def shared_rows(data: FitData, other: np.ndarray, source: str) -> Finding | None:
    """The ``leakage`` finding when enough rows of ``other`` also occur in ``data``'s training."""
    train = data.x_train
    if other.shape[1:] != train.shape[1:] or len(train) == 0 or len(other) == 0:
        return None
    if other.dtype != train.dtype:
        other = other.astype(train.dtype)
    train_hashes, other_hashes = data.train_hashes, row_hashes(other)
    order = np.argsort(train_hashes)
    sorted_hashes = train_hashes[order]
    where = np.searchsorted(sorted_hashes, other_hashes)
    where[where == len(sorted_hashes)] = 0
    candidates = np.flatnonzero(sorted_hashes[where] == other_hashes)
    if not len(candidates):
        return None
    train_rows, other_rows = row_bytes(train), row_bytes(other)
    equal = (train_rows[order[where[candidates]]] == other_rows[candidates]).all(axis=1)
    count = int(equal.sum())
    share = count / len(other)
    if share < LEAKAGE_SHARE:
        return None
    return Finding(
        "leakage",
        f"{count:,} of {len(other):,} rows of {source} ({percent(share)}) are identical "
        "to training rows — remove duplicates before splitting",
        {"count": count, "rows": len(other), "share": share, "source": source},
    )


@check("conflicting-labels")
def conflicting_labels(data: FitData) -> Iterator[Finding]:
    classes = data.classes
    if classes is None:
        return
    train = data.x_train
    labels = classes[: len(train)]
    hashes = data.train_hashes
    order = np.argsort(hashes, kind="stable")
    same = np.flatnonzero(hashes[order][1:] == hashes[order][:-1])
    if not len(same):
        return
    first, second = order[same], order[same + 1]
    raw = row_bytes(train)
    identical = (raw[first] == raw[second]).all(axis=1)
    differ = identical & (labels[first] != labels[second])
    rows = np.unique(np.concatenate([first[differ], second[differ]]))
    share = len(rows) / len(train)
    if share < CONFLICT_SHARE:
        return
    example = int(first[differ][0])
    yield Finding(
        "conflicting-labels",
        f"{len(rows):,} training rows ({percent(share)}) have an identical twin with "
        f"another label (e.g. row {example}) — check how labels were joined to inputs",
        {"rows": len(rows), "share": share, "example": example},
    )
