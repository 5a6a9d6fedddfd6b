"""``initial-loss``: the first batch's loss against what chance predicts.

Keras computes the first batch's loss with the initial weights, so it serves as
Karpathy's "verify loss at init" at no cost: a model that starts far above
chance has a wrong output layer, wrong labels or unscaled inputs. It is read
from the first batch's logs, so it is the one check known only once ``fit``
has begun.
"""

from __future__ import annotations

import math

from ..rules.format import number
from .inputs import ModelInfo
from .registry import Finding

#: The first loss is reported when it exceeds chance by more than this factor.
INITIAL_LOSS_FACTOR = 3.0


def chance_loss(info: ModelInfo | None) -> tuple[float, str] | None:
    """The loss of a model that predicts every class alike, and how it is computed."""
    if info is None or info.label_kind is None or info.outputs != 1 or info.trained:
        return None
    if info.label_kind == "binary":
        return math.log(2), "−log(1/2)"
    units = info.output_units
    if not units or units < 2:
        return None
    return math.log(units), f"−log(1/{units})"


def initial_loss(
    loss: float, chance: tuple[float, str], non_finite_inputs: bool = False
) -> list[Finding]:
    """The finding when the first batch's ``loss`` is far from ``chance``.

    A non-finite loss from inputs the ``non-finite`` check already named says
    nothing new: that finding is the cause, so this one stays quiet.
    """
    expected, how = chance
    evidence = {"loss": loss if math.isfinite(loss) else None, "chance": expected}
    if not math.isfinite(loss) and non_finite_inputs:
        return []
    if not math.isfinite(loss):
        return [
            Finding(
                "initial-loss",
                f"the first batch's loss is {loss} — look for non-finite inputs or labels",
                evidence,
            )
        ]
    if loss <= INITIAL_LOSS_FACTOR * expected:
        return []
    return [
        Finding(
            "initial-loss",
            f"the first batch's loss is {number(loss)}, chance is {number(expected)} ({how}) — "
            "check the inputs' scale, the output layer and the labels",
            evidence,
        )
    ]
