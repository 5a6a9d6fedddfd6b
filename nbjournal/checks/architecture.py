"""``output-loss``, ``batch-size`` and ``saturating``: the model and the way it is fitted."""

from __future__ import annotations

from collections.abc import Iterator

from .inputs import FitData, class_indices
from .registry import Finding, check

#: An epoch of more than this many steps with a batch of at most ``TINY_BATCH`` is slow for nothing.
MAX_STEPS = 10_000
TINY_BATCH = 8
#: Hidden layers with a saturating activation, without normalisation, that make a deep stack.
SATURATING_DEPTH = 4
_SATURATING = ("sigmoid", "tanh", "hard_sigmoid")
_NORMALISING = ("BatchNormalization", "LayerNormalization", "GroupNormalization")
_PROBABILITIES = ("softmax", "sigmoid")


@check("output-loss")
def output_loss(data: FitData) -> Iterator[Finding]:
    info = data.model_info
    if info is None or info.outputs != 1:
        return
    if info.output_activation == "softmax" and info.output_units == 1:
        fix = "activation='sigmoid'" if info.label_kind else "no activation (a regression)"
        yield Finding(
            "output-loss",
            f"softmax on 1 unit always outputs 1, so {info.loss} cannot learn — use {fix}",
            {"activation": "softmax", "units": 1, "loss": info.loss},
        )
        return
    if info.label_kind is None:
        return
    kind, loss, activation, units = (
        info.label_kind,
        info.loss,
        info.output_activation,
        info.output_units,
    )
    evidence = {"activation": activation, "units": units, "loss": loss}
    if info.from_logits and activation in _PROBABILITIES:
        yield Finding(
            "output-loss",
            f"from_logits=True but the output layer applies {activation} — drop the "
            "activation, or set from_logits=False",
            evidence,
        )
        return
    if not info.from_logits and activation in ("linear", None) and units:
        yield Finding(
            "output-loss",
            f"the output layer is linear but {loss} expects probabilities — add "
            f"activation='{'sigmoid' if kind == 'binary' else 'softmax'}', or from_logits=True",
            evidence,
        )
        return
    if kind in ("sparse", "categorical") and activation == "sigmoid" and (units or 0) > 1:
        yield Finding(
            "output-loss",
            f"sigmoid on {units} units gives probabilities that do not sum to 1, as {loss} "
            "expects — use activation='softmax'",
            evidence,
        )
        return
    if kind == "sparse" and units and data.y is not None:
        classes = class_indices(data.y)
        if classes is None or classes.min() < 0:
            return
        count = int(classes.max()) + 1
        if count >= 2 and units > count:
            yield Finding(
                "output-loss",
                f"the output layer has {units} units for {count} classes (labels 0–{count - 1}) "
                f"— use {count} units",
                {**evidence, "classes": count},
            )


@check("batch-size")
def batch_size(data: FitData) -> Iterator[Finding]:
    if not data.keras:
        return
    size = data.batch_size or 32
    rows = data.split_at
    if rows <= 0:
        return
    if size > rows:
        yield Finding(
            "batch-size",
            f"batch_size={size:,} is larger than the {rows:,} training rows: one partial batch "
            f"per epoch — use batch_size ≤ {rows:,}",
            {"batch_size": size, "rows": rows},
        )
        return
    steps = -(-rows // size)
    if steps > MAX_STEPS and size <= TINY_BATCH:
        yield Finding(
            "batch-size",
            f"batch_size={size} makes {steps:,} steps per epoch — a batch of 32–256 learns as "
            "well, many times faster",
            {"batch_size": size, "rows": rows, "steps": steps},
        )


@check("saturating")
def saturating(data: FitData) -> Iterator[Finding]:
    info = data.model_info
    if info is None or info.has_layer(*_NORMALISING):
        return
    dense = [activation for cls, activation in info.layers if cls == "Dense"]
    hidden = [a for a in dense[:-1] if a in _SATURATING]
    if len(hidden) < SATURATING_DEPTH:
        return
    names = "/".join(sorted(set(hidden)))
    yield Finding(
        "saturating",
        f"{len(hidden)} hidden Dense layers use {names} with no normalisation: their gradients "
        "vanish — use relu, or add BatchNormalization",
        {"layers": len(hidden), "activations": sorted(set(hidden))},
    )
