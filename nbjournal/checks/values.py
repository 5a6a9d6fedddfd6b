"""``non-finite`` and ``scale``: what the input values themselves say.

Thresholds are module constants, documented in ``docs/checks.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np

from ..rules.format import number
from .inputs import FitData, stride_sample
from .registry import Finding, check, percent

if TYPE_CHECKING:
    import pandas as pd

#: Column ranges (max − min) differing by more than this factor are on different scales.
SCALE_RATIO = 1e3
#: Integral inputs in [0, 255] reaching at least this value, image-shaped, are raw pixels.
PIXEL_MIN_MAX = 32
#: A 2-D input needs this many columns to be taken for flattened images.
PIXEL_MIN_COLUMNS = 64
#: Layers that put inputs on a common scale themselves.
_SCALING_LAYERS = ("Rescaling", "Normalization", "BatchNormalization", "LayerNormalization")


@check("non-finite")
def non_finite(data: FitData) -> Iterator[Finding]:
    frame = data.raw_x if _is_frame(data.raw_x) else None
    if frame is not None and not data.allow_nan:
        missing = frame.isna().mean()
        columns = [(str(name), float(share)) for name, share in missing.items() if share > 0]
        if columns:
            shown = ", ".join(f"{n} ({percent(s)})" for n, s in columns[:4])
            more = f" and {len(columns) - 4} more" if len(columns) > 4 else ""
            yield Finding(
                "non-finite",
                f"x has missing values in column(s) {shown}{more} — impute or drop them before fit",
                {"what": "x", "columns": dict(columns)},
            )
    named: list[tuple[str, Any]] = [] if frame is not None else [("x", lambda: data.x)]
    named.append(("y", lambda: data.y))
    if data.validation_data is not None:
        named.append(("validation x", lambda: data.validation and data.validation[0]))
        named.append(("validation y", lambda: data.validation and data.validation[1]))
    for what, read in named:
        array = read()
        if array is None or array.dtype.kind != "f" or _all_finite(array):
            continue
        finite = np.isfinite(array)
        nans = int(np.isnan(array).sum())
        infs = int(array.size - finite.sum()) - nans
        if data.allow_nan and what in ("x", "validation x"):
            if infs == 0:
                continue
            nans = 0
        first = np.argwhere(~finite)[:3]
        where = "; ".join(_position(p) for p in first)
        counts = " and ".join(f"{n:,} {label}" for n, label in ((nans, "NaN"), (infs, "±inf")) if n)
        fix = (
            "labels are never imputed: fix the mapping that made them (a value it does not "
            "cover becomes NaN), or drop those rows"
            if what.endswith("y")
            else "impute or drop them before fit"
        )
        yield Finding(
            "non-finite",
            f"{what} holds {counts} (first at {where}) — {fix}",
            {"what": what, "nan": nans, "inf": infs, "first": first.tolist()},
        )


def _all_finite(array: np.ndarray) -> bool:
    """Fast path: a sum is finite only if every value is (or it overflowed: then look closer)."""
    with np.errstate(all="ignore"):
        total = float(np.add.reduce(array, axis=None))
    return math.isfinite(total) or bool(np.isfinite(array).all())


def _position(index: np.ndarray) -> str:
    if len(index) == 1:
        return f"row {index[0]}"
    if len(index) == 2:
        return f"row {index[0]}, column {index[1]}"
    return f"row {index[0]}, index {tuple(int(i) for i in index[1:])}"


@check("scale")
def scale(data: FitData) -> Iterator[Finding]:
    info = data.model_info
    if not data.scale_sensitive or (info is not None and info.has_layer(*_SCALING_LAYERS)):
        return
    x = data.x_train
    if x.dtype.kind not in "biuf" or x.dtype == bool or len(x) < 2:
        return
    sample, sampled = stride_sample(x)
    note = f" (on a sample of {len(sample):,} of {len(x):,} rows)" if sampled else ""
    pixels = _raw_pixels(sample, x.ndim) if data.keras else None
    if pixels is not None:
        yield Finding(
            "scale",
            f"x holds raw pixel-like values 0–{pixels:g}{note} — divide by 255, or start the "
            "model with keras.layers.Rescaling(1 / 255)",
            {"min": 0, "max": pixels, "sampled": sampled},
        )
        return
    if x.ndim != 2 or x.shape[1] < 2:
        return
    finite = np.isfinite(sample)  # a column without a value has no range (and no warning)
    with np.errstate(all="ignore"):
        high = np.where(finite, sample, -np.inf).max(axis=0).astype(np.float64)
        ranges = high - np.where(finite, sample, np.inf).min(axis=0)
    usable = np.flatnonzero(np.isfinite(ranges) & (ranges > 0))
    if len(usable) < 2:
        return
    widest = int(usable[np.argmax(ranges[usable])])
    narrowest = int(usable[np.argmin(ranges[usable])])
    ratio = float(ranges[widest] / ranges[narrowest])
    if ratio <= SCALE_RATIO:
        return
    yield Finding(
        "scale",
        f"column ranges differ {number(ratio)}-fold ({data.column(widest)}: "
        f"{number(ranges[widest])}, {data.column(narrowest)}: "
        f"{number(ranges[narrowest])}){note} — standardise the columns "
        "(StandardScaler, or a keras.layers.Normalization first layer)",
        {
            "ratio": ratio,
            "widest": {"column": widest, "range": float(ranges[widest])},
            "narrowest": {"column": narrowest, "range": float(ranges[narrowest])},
            "sampled": sampled,
        },
    )


def _raw_pixels(sample: np.ndarray, ndim: int) -> float | None:
    """The maximum, when ``sample`` looks like unscaled 8-bit images; else ``None``."""
    if ndim < 3 and (ndim != 2 or sample.shape[1] < PIXEL_MIN_COLUMNS):
        return None
    with np.errstate(all="ignore"):
        low, high = float(np.nanmin(sample)), float(np.nanmax(sample))
    if low < 0 or not PIXEL_MIN_MAX <= high <= 255:
        return None
    if sample.dtype.kind == "f" and not np.array_equal(sample, np.round(sample), equal_nan=True):
        return None
    return high


def _is_frame(value: object) -> TypeGuard[pd.DataFrame]:
    return type(value).__module__.split(".")[0] == "pandas" and getattr(value, "ndim", 0) == 2
