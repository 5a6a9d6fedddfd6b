"""``leakage`` and ``conflicting-labels``: identical rows, found by hashing, never pairwise.

Each row's bytes are folded into one 64-bit hash (a random-multiplier linear
hash, then mixed) in a few vectorised passes; rows with equal hashes are then
compared byte for byte, so a hash collision never makes a finding.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .inputs import FitData
from .registry import Finding, check, percent

#: Leakage is reported when at least this share of validation rows also occur in training.
LEAKAGE_SHARE = 0.01
#: Conflicting labels are reported when at least this share of training rows are involved.
CONFLICT_SHARE = 0.01

_MULTIPLIERS = np.random.default_rng(20261130).integers(1, 2**63, size=4096, dtype=np.uint64) | 1


def row_bytes(x: np.ndarray) -> np.ndarray:
    """Each row as one contiguous run of bytes, ``(rows, width)`` uint8."""
    rows = np.ascontiguousarray(x.reshape(len(x), -1))
    return rows.view(np.uint8).reshape(len(rows), -1)


def row_hashes(x: np.ndarray) -> np.ndarray:
    """A 64-bit hash per row: equal rows hash equal; different rows almost never do."""
    raw = row_bytes(x)
    width = raw.shape[1]
    if width % 8:
        raw = np.concatenate([raw, np.zeros((len(raw), 8 - width % 8), np.uint8)], axis=1)
    words = raw.view(np.uint64)
    hashes = np.zeros(len(words), np.uint64)
    with np.errstate(over="ignore"):
        for start in range(0, words.shape[1], len(_MULTIPLIERS)):
            block = words[:, start : start + len(_MULTIPLIERS)]
            hashes += (block * _MULTIPLIERS[: block.shape[1]]).sum(axis=1, dtype=np.uint64)
        hashes ^= hashes >> np.uint64(29)
        hashes *= np.uint64(0xBF58476D1CE4E5B9)
        hashes ^= hashes >> np.uint64(32)
    return hashes


@check("leakage")
def leakage(data: FitData) -> Iterator[Finding]:
    validation = data.validation
    if validation is None:
        return
    x_val = validation[0]
    train = data.x_train
    if x_val.shape[1:] != train.shape[1:] or len(train) == 0:
        return
    if x_val.dtype != train.dtype:
        x_val = x_val.astype(train.dtype)
    train_hashes, val_hashes = data.train_hashes, row_hashes(x_val)
    order = np.argsort(train_hashes)
    sorted_hashes = train_hashes[order]
    where = np.searchsorted(sorted_hashes, val_hashes)
    where[where == len(sorted_hashes)] = 0
    candidates = np.flatnonzero(sorted_hashes[where] == val_hashes)
    if not len(candidates):
        return
    train_rows, val_rows = row_bytes(train), row_bytes(x_val)
    equal = (train_rows[order[where[candidates]]] == val_rows[candidates]).all(axis=1)
    count = int(equal.sum())
    share = count / len(x_val)
    if share < LEAKAGE_SHARE:
        return
    source = "validation_data" if data.validation_data is not None else "the validation split"
    yield Finding(
        "leakage",
        f"{count:,} of {len(x_val):,} rows of {source} ({percent(share)}) are identical "
        "to training rows — remove duplicates before splitting",
        {"count": count, "rows": len(x_val), "share": share},
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
