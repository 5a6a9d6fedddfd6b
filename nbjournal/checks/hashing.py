"""A 64-bit hash per row of an array, for finding identical rows without comparing pairs.

Each row's bytes are folded into one 64-bit hash in a few vectorised passes:
every 32-bit word times its own random odd 64-bit multiplier, summed, then
mixed. Words of 32 bits (not 64) keep every bit of every word in the product
(floats such as k/16 have all-zero low bits, which 64-bit words would shift
out).
"""

from __future__ import annotations

import numpy as np

_MULTIPLIERS = np.random.default_rng(20261130).integers(1, 2**63, size=1024, dtype=np.uint64) | 1


def row_bytes(x: np.ndarray) -> np.ndarray:
    """Each row as one contiguous run of bytes, ``(rows, width)`` uint8."""
    rows = np.ascontiguousarray(x.reshape(len(x), -1))
    return rows.view(np.uint8).reshape(len(rows), -1)


def row_hashes(x: np.ndarray) -> np.ndarray:
    """A 64-bit hash per row: equal rows hash equal; different rows almost never do."""
    raw = row_bytes(x)
    width = raw.shape[1]
    if width % 4:
        raw = np.concatenate([raw, np.zeros((len(raw), 4 - width % 4), np.uint8)], axis=1)
    words = raw.view(np.uint32)
    hashes = np.zeros(len(words), np.uint64)
    count = len(_MULTIPLIERS)
    with np.errstate(over="ignore"):
        for start in range(0, words.shape[1], count):
            if start:  # the blocks reuse the multipliers: mix, so that a block's place counts
                hashes ^= hashes >> np.uint64(31)
                hashes *= np.uint64(0x94D049BB133111EB)
            block = words[:, start : start + count].astype(np.uint64)
            hashes += (block * _MULTIPLIERS[: block.shape[1]]).sum(axis=1, dtype=np.uint64)
        hashes ^= hashes >> np.uint64(29)
        hashes *= np.uint64(0xBF58476D1CE4E5B9)
        hashes ^= hashes >> np.uint64(32)
    return hashes
