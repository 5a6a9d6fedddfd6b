"""``sorted-labels``, ``imbalance`` and ``label-range``: what the labels say about the split,
the classes and the loss."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ..rules.format import number
from .inputs import FitData, class_indices
from .registry import Finding, check, percent

#: A class missing from the validation tail counts only if at least this many of its rows
#: were expected there (the chance of none is then e^-5, under 1 %).
MISSING_EXPECTED = 5
#: Class shares of the tail and the rest differ grossly: total variation above this, and
#: above three times what sampling alone gives.
SHARE_DISTANCE = 0.3
#: The rarest class under this share of the most common one is an imbalance.
IMBALANCE_SHARE = 0.1


@check("sorted-labels")
def sorted_labels(data: FitData) -> Iterator[Finding]:
    if data.validation_split <= 0 or data.validation_data is not None:
        return
    classes = data.classes
    if classes is None or data.split_at >= len(classes) or data.split_at == 0:
        return
    train, tail = classes[: data.split_at], classes[data.split_at :]
    names, inverse = np.unique(classes, return_inverse=True)
    train_counts = np.bincount(inverse[: len(train)], minlength=len(names)).astype(np.float64)
    tail_counts = np.bincount(inverse[len(train) :], minlength=len(names)).astype(np.float64)
    where = f"the last {number(100 * data.validation_split)} % of y (validation_split={data.validation_split:g})"
    fix = "shuffle before fit, or pass validation_data"
    expected = train_counts / train_counts.sum() * len(tail)
    missing = names[(train_counts > 0) & (tail_counts == 0) & (expected >= MISSING_EXPECTED)]
    present = names[tail_counts > 0]
    evidence = {
        "validation_classes": [int(c) for c in present][:20],
        "missing": [int(c) for c in missing][:20],
    }
    if len(missing):
        if len(present) <= 3:
            held = ", ".join(str(int(c)) for c in present)
            what = f"holds only class{'es' if len(present) > 1 else ''} {held}"
        else:
            what = (
                f"lacks class{'es' if len(missing) > 1 else ''} {_list(missing)} seen in training"
            )
        yield Finding("sorted-labels", f"{where} {what} — {fix}", evidence)
        return
    p_train = train_counts / train_counts.sum()
    p_tail = tail_counts / tail_counts.sum()
    distance = 0.5 * float(np.abs(p_train - p_tail).sum())
    noise = 0.5 * float(np.sum(np.sqrt(2 / math.pi * p_train * (1 - p_train) / len(tail))))
    if distance > max(SHARE_DISTANCE, 3 * noise):
        yield Finding(
            "sorted-labels",
            f"class shares in {where} differ from training's by {percent(distance)} "
            f"(total variation) — {fix}",
            {**evidence, "distance": distance},
        )


@check("imbalance")
def imbalance(data: FitData) -> Iterator[Finding]:
    classes = data.classes
    if classes is None or data.weighted:  # the fix it recommends is in place
        return
    names, counts = np.unique(classes[: data.split_at], return_counts=True)
    if len(names) < 2:
        return
    rare, common = int(np.argmin(counts)), int(np.argmax(counts))
    share = counts[rare] / counts[common]
    if share >= IMBALANCE_SHARE:
        return
    yield Finding(
        "imbalance",
        f"class {names[rare]} has {counts[rare]:,} training rows, {percent(share)} of "
        f"class {names[common]}'s {counts[common]:,} — weigh classes (class_weight) or resample, "
        "and watch per-class metrics",
        {
            "rarest": {"class": int(names[rare]), "count": int(counts[rare])},
            "commonest": {"class": int(names[common]), "count": int(counts[common])},
            "share": float(share),
        },
    )


@check("label-range")
def label_range(data: FitData) -> Iterator[Finding]:
    info = data.model_info
    y = data.y
    if info is None or y is None or info.label_kind is None or info.outputs != 1:
        return
    kind, loss, units = info.label_kind, info.loss, info.output_units
    one_hot = y.ndim == 2 and y.shape[1] > 1
    if kind == "sparse" and one_hot:
        yield Finding(
            "label-range",
            f"y is one-hot {tuple(y.shape)} but the loss is {loss} — use categorical_crossentropy, "
            "or pass y.argmax(axis=1)",
            {"shape": list(y.shape), "loss": loss},
        )
        return
    if kind == "categorical" and not one_hot and (units or 0) > 1:
        yield Finding(
            "label-range",
            f"y holds one integer label per row but {loss} expects one-hot rows — use "
            "sparse_categorical_crossentropy, or keras.utils.to_categorical(y)",
            {"shape": list(y.shape), "loss": loss},
        )
        return
    classes = class_indices(y) if not one_hot else None
    if not one_hot and classes is None:
        yield Finding(
            "label-range",
            f"y holds non-integer values but {loss} is a classification loss — use integer class "
            "labels, or a regression loss",
            {"loss": loss},
        )
        return
    if classes is None:
        return
    low, high = int(classes.min()), int(classes.max())
    if kind == "binary" and (low < 0 or high > 1):
        yield Finding(
            "label-range",
            f"y holds labels {low}–{high} but {loss} expects 0 or 1 — use "
            "sparse_categorical_crossentropy for several classes",
            {"min": low, "max": high, "loss": loss},
        )
    elif kind == "sparse" and units and (low < 0 or high >= units):
        fix = (
            "shift the labels to start at 0 (y - 1)"
            if low == 1 and high == units
            else (f"give the output layer {high + 1} units")
        )
        yield Finding(
            "label-range",
            f"y holds labels {low}–{high}, outside [0, {units}) of the output's {units} units "
            f"— {fix}",
            {"min": low, "max": high, "units": units},
        )


def _list(values: np.ndarray) -> str:
    shown = ", ".join(str(int(v)) for v in values[:6])
    return shown + (f" and {len(values) - 6} more" if len(values) > 6 else "")
