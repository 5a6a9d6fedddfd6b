"""Automatic readings of a training curve, and every threshold they use.

A diagnosis names something a person squinting at the curve would say:

``diverged``
    The training or validation loss became NaN or infinite, or grew to
    ``DIVERGE_FACTOR`` (100, two orders of magnitude) times its lowest earlier
    value. Nothing else is said about a diverged fit: its curve no longer means
    anything.
``overfitting``
    The validation loss has been above its minimum for at least
    ``OVERFIT_PATIENCE`` (3) epochs, by at least ``OVERFIT_MIN_RISE`` (2 %) on
    average and at the last epoch, while the training loss kept falling (by at
    least ``OVERFIT_MIN_TRAIN_FALL``, 1 %). It is said to start at the first
    epoch after the validation minimum.
``oscillating``
    Over the last ``OSCILLATION_WINDOW`` (8) epochs the training loss changed
    direction at least ``OSCILLATION_MIN_TURNS`` (4) times, swinging by at least
    ``OSCILLATION_MIN_SWING`` (3 %) of its level per epoch on average and by at
    least ``OSCILLATION_MIN_SHARE`` (2 %) of the distance the loss has travelled
    in the whole fit (its highest minus its lowest value), and made little net
    progress (net change under ``OSCILLATION_MAX_DRIFT``, half, of the total
    movement). The usual cause is a learning rate that is too high.
    The share rule keeps dropout's and small batches' normal noise out: near
    the end of an ordinary fit the loss is small, so its noise is a large share
    of its *level* (9-20 % on the digits MLP with dropout 0.3-0.5 or batches
    of 8-16) but a tiny share of the distance travelled (at most 0.84 %), where
    a learning rate too high swings by 5-11 % of it (Adam at 0.05 and 0.1).
    Those curves are kept in ``tests/analysis/assets/digits_curves.json``.
``plateau``
    For ``PLATEAU_PATIENCE`` (5) epochs the training loss improved by less than
    ``PLATEAU_MIN_IMPROVEMENT`` (0.5 %) on its best earlier value and stayed
    within ``PLATEAU_MAX_SPREAD`` (2 %): further epochs bought nothing (the fit
    converged, or is stuck: a learning rate too low, dead units).
``underfitting``
    Judged when a fit ends normally, after at least ``UNDERFIT_MIN_EPOCHS`` (3)
    epochs: either the training loss ended above ``UNDERFIT_MIN_LOSS_RATIO``
    (half) of its first-epoch value with the validation loss, if any, within
    ``UNDERFIT_MAX_GAP`` (10 %) of it (both high and close together: the model
    has not fit its training data), or the training accuracy ended below
    ``UNDERFIT_MAX_ACCURACY`` (0.6).

Relative changes are taken against the magnitude of the value they compare
with (never below ``EPSILON``), so the rules hold for any scale of loss.

The functions are pure: they read a history (metric name → one value per epoch,
``None`` where an epoch has no value, NaN or infinity where the value was not
finite) and return :class:`Diagnosis` records. Epochs in records are counted
from 0, as Keras and the journal store them; messages count from 1, as Keras
prints them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

# -- thresholds: the one place they are set ----------------------------------------------

DIVERGE_FACTOR = 100.0
#: Below this magnitude a lowest value gives no meaningful ratio.
DIVERGE_FLOOR = 1e-8

OVERFIT_PATIENCE = 3
OVERFIT_MIN_RISE = 0.02
OVERFIT_MIN_TRAIN_FALL = 0.01

OSCILLATION_WINDOW = 8
OSCILLATION_MIN_TURNS = 4
OSCILLATION_MIN_SWING = 0.03
OSCILLATION_MAX_DRIFT = 0.5
OSCILLATION_MIN_SHARE = 0.02

PLATEAU_PATIENCE = 5
PLATEAU_MIN_IMPROVEMENT = 0.005
PLATEAU_MAX_SPREAD = 0.02

UNDERFIT_MIN_EPOCHS = 3
UNDERFIT_MIN_LOSS_RATIO = 0.5
UNDERFIT_MAX_GAP = 0.1
UNDERFIT_MAX_ACCURACY = 0.6

EPSILON = 1e-12

KINDS = ("diverged", "overfitting", "oscillating", "plateau", "underfitting")

Values = Sequence[float | None]


@dataclass(frozen=True)
class Diagnosis:
    """One reading of one fit's curve."""

    kind: str
    epoch: int
    message: str
    metric: str = "loss"
    part: int = 0

    def as_dict(self) -> dict[str, object]:
        """The form recorded on the run (``Run.diagnoses``)."""
        return asdict(self)


def diagnose(
    history: Mapping[str, Values], *, final: bool = False, part: int = 0, first_epoch: int = 0
) -> list[Diagnosis]:
    """Every diagnosis that holds for ``history`` now (``final``: the fit has ended).

    ``history[name][i]`` is the value of ``name`` at epoch ``first_epoch + i``.
    """
    loss = history.get("loss", ())
    val_loss = history.get("val_loss", ())
    found: list[Diagnosis] = []

    def add(kind: str, where: tuple[int, str] | None, metric: str = "loss") -> None:
        if where is not None:
            index, message = where
            found.append(Diagnosis(kind, first_epoch + index, message, metric, part))

    for name, values in (("loss", loss), ("val_loss", val_loss)):
        add("diverged", divergence(values, _label(name), first_epoch), name)
        if found:
            return found[:1]
    add("overfitting", overfitting(loss, val_loss, first_epoch), "val_loss")
    add("oscillating", oscillation(loss, first_epoch))
    if not any(d.kind == "oscillating" for d in found):
        add("plateau", plateau(loss, first_epoch))
    if final and not any(d.kind == "overfitting" for d in found):
        accuracy = next((v for n, v in history.items() if _is_accuracy(n)), ())
        add("underfitting", underfitting(loss, val_loss, accuracy, first_epoch))
    return found


# -- one function per diagnosis: (index where it shows, message) or None -----------------


def divergence(values: Values, label: str = "loss", first_epoch: int = 0) -> tuple[int, str] | None:
    """The first epoch where ``values`` is not finite or jumps orders of magnitude."""
    lowest = math.inf
    for index, value in enumerate(values):
        if value is None:
            continue
        when = f"at epoch {first_epoch + index + 1}"
        if not math.isfinite(value):
            return index, f"{label} became {'NaN' if value != value else 'infinite'} {when}"
        if DIVERGE_FLOOR < lowest < math.inf and value >= DIVERGE_FACTOR * lowest:
            return index, (
                f"{label} grew {value / lowest:,.0f}× above its lowest value "
                f"({_num(lowest)} → {_num(value)}) {when}"
            )
        lowest = min(lowest, value)
    return None


def overfitting(loss: Values, val_loss: Values, first_epoch: int = 0) -> tuple[int, str] | None:
    """Validation loss rising for several epochs since its minimum while training loss falls."""
    pairs = [
        (i, t, v)
        for i, (t, v) in enumerate(zip(loss, val_loss, strict=False))
        if t is not None and v is not None and math.isfinite(t) and math.isfinite(v)
    ]
    if len(pairs) < OVERFIT_PATIENCE + 1:
        return None
    best = min(range(len(pairs)), key=lambda j: pairs[j][2])
    after = pairs[best + 1 :]
    if len(after) < OVERFIT_PATIENCE:
        return None
    _, train_at_best, val_at_best = pairs[best]
    _, train_now, val_now = pairs[-1]
    floor = val_at_best + OVERFIT_MIN_RISE * _scale(val_at_best)
    recent = [v for _, _, v in after[-OVERFIT_PATIENCE:]]
    if val_now < floor or sum(recent) / len(recent) < floor:
        return None
    if train_at_best - train_now < OVERFIT_MIN_TRAIN_FALL * _scale(train_at_best):
        return None
    start = after[0][0]
    return start, (
        f"validation loss rising from epoch {first_epoch + start + 1} "
        f"({_num(val_at_best)} at its lowest, now {_num(val_now)}, "
        f"{_pct(val_now, val_at_best)}) while training loss fell "
        f"({_num(train_at_best)} → {_num(train_now)})"
    )


def oscillation(loss: Values, first_epoch: int = 0) -> tuple[int, str] | None:
    """Training loss going up and down over the last epochs instead of down."""
    every = _finite_points(loss)
    points = every[-OSCILLATION_WINDOW:]
    if len(points) < OSCILLATION_WINDOW:
        return None
    travelled = max(v for _, v in every) - min(v for _, v in every)
    values = [v for _, v in points]
    steps = [b - a for a, b in itertools.pairwise(values)]
    signs = [s > 0 for s in steps if s != 0]
    turns = sum(a != b for a, b in itertools.pairwise(signs))
    movement = sum(abs(s) for s in steps)
    level = _scale(sum(abs(v) for v in values) / len(values))
    swing = movement / len(steps)
    if turns < OSCILLATION_MIN_TURNS or swing < OSCILLATION_MIN_SWING * level:
        return None
    if swing < OSCILLATION_MIN_SHARE * _scale(travelled):
        return None  # noise of a loss that has come far down (dropout, small batches)
    if abs(sum(steps)) > OSCILLATION_MAX_DRIFT * movement:
        return None
    start = points[0][0]
    return start, (
        f"training loss swinging up and down since epoch {first_epoch + start + 1} "
        f"(about {100 * movement / len(steps) / level:.0f} % per epoch, {turns} reversals "
        f"in {len(values)} epochs): the learning rate may be too high"
    )


def plateau(loss: Values, first_epoch: int = 0) -> tuple[int, str] | None:
    """Training loss flat, with no real improvement, for several epochs."""
    points = _finite_points(loss)
    if len(points) < PLATEAU_PATIENCE + 1:
        return None
    window = [v for _, v in points[-PLATEAU_PATIENCE:]]
    best_before = min(v for _, v in points[:-PLATEAU_PATIENCE])
    scale = _scale(best_before)
    if best_before - min(window) >= PLATEAU_MIN_IMPROVEMENT * scale:
        return None
    if max(window) - min(window) > PLATEAU_MAX_SPREAD * scale:
        return None
    first = len(points) - PLATEAU_PATIENCE
    low, high = min(window), max(window)
    while first > 0:  # back to the first epoch of the flat stretch, not the window's
        value = points[first - 1][1]
        if max(high, value) - min(low, value) > PLATEAU_MAX_SPREAD * scale:
            break
        low, high, first = min(low, value), max(high, value), first - 1
    start = points[first][0]
    return start, (
        f"training loss flat at about {_num(window[-1])} since epoch {first_epoch + start + 1} "
        f"(less than {100 * PLATEAU_MIN_IMPROVEMENT:g} % better in {PLATEAU_PATIENCE} epochs): "
        "more epochs buy nothing; if the loss is still high, try a higher learning rate"
    )


def underfitting(
    loss: Values, val_loss: Values = (), accuracy: Values = (), first_epoch: int = 0
) -> tuple[int, str] | None:
    """At the end of a fit: the model has not fit its own training data."""
    points = _finite_points(loss)
    if len(points) < UNDERFIT_MIN_EPOCHS:
        return None
    _, first = points[0]
    last_index, last = points[-1]
    validation = next((v for _, v in reversed(_finite_points(val_loss))), None)
    close = validation is None or validation <= last + UNDERFIT_MAX_GAP * _scale(last)
    if first > 0 and last > UNDERFIT_MIN_LOSS_RATIO * first and close:
        falling = last < points[-2][1] - PLATEAU_MIN_IMPROVEMENT * _scale(points[-2][1])
        return last_index, (
            f"training loss ended at {_num(last)}, more than "
            f"{UNDERFIT_MIN_LOSS_RATIO:.0%} of its first-epoch {_num(first)}"
            f"{'' if validation is None else f' (validation {_num(validation)})'}"
            f"{' and still falling' if falling else ''}: the model has not fit its training "
            "data; more epochs, a higher learning rate or a larger model"
        )
    final_accuracy = next((v for _, v in reversed(_finite_points(accuracy))), None)
    if final_accuracy is not None and 0 <= final_accuracy < UNDERFIT_MAX_ACCURACY:
        return last_index, (
            f"training accuracy ended at {_num(final_accuracy)} (below "
            f"{UNDERFIT_MAX_ACCURACY:g}): the model does not fit its own training data"
        )
    return None


# -- a diagnosis defers to a check of the same fit ------------------------------------------

#: The checks whose finding, on the same fit, is the likelier cause of a diagnosis than what
#: its own advice suggests (in the order they are preferred).
CAUSES: dict[str, tuple[str, ...]] = {
    "diverged": ("non-finite", "initial-loss", "scale", "label-range"),
    "plateau": (
        "non-finite", "output-loss", "label-range", "initial-loss", "scale", "saturating",
    ),
    "underfitting": (
        "non-finite", "output-loss", "label-range", "conflicting-labels", "scale", "saturating",
    ),
    "overfitting": ("sorted-labels", "conflicting-labels", "non-finite"),
    "oscillating": ("non-finite", "scale", "initial-loss"),
}  # fmt: skip


def defer_to_checks(
    diagnosis: dict[str, Any], findings: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The diagnosis, its advice replaced by the check finding that explains it, if any.

    A fit on NaN inputs that plateaus is not helped by "a higher learning rate":
    ``plateau … — likely because of non-finite: x holds 1 NaN (…)``. Findings of
    another ``fit`` of the cell, and those on ``evaluate``'s rows, do not count.
    """
    part = int(diagnosis.get("part", 0) or 0)
    for name in CAUSES.get(str(diagnosis.get("kind")), ()):
        finding = next(
            (
                f
                for f in findings
                if f.get("name") == name
                and not f.get("evaluate")
                and f.get("fit", part + 1) == part + 1
            ),
            None,
        )
        if finding is not None:
            observation = str(diagnosis.get("message", "")).split(": ", 1)[0]
            cause = str(finding.get("message", "")).split(" — ", 1)[0]
            return {
                **diagnosis,
                "message": f"{observation} — likely because of {name}: {cause}",
                "cause": name,
            }
    return diagnosis


# -- helpers -------------------------------------------------------------------------------


def _finite_points(values: Values) -> list[tuple[int, float]]:
    """(index, value) of the finite values: gaps and non-finite values left out."""
    return [(i, v) for i, v in enumerate(values) if v is not None and math.isfinite(v)]


def _scale(value: float) -> float:
    return max(abs(value), EPSILON)


def _is_accuracy(name: str) -> bool:
    return not name.startswith("val_") and ("accuracy" in name or name == "acc")


def _label(name: str) -> str:
    return "validation loss" if name == "val_loss" else "training loss"


def _num(value: float) -> str:
    return f"{value:.4g}"


def _pct(now: float, then: float) -> str:
    return f"{100 * (now - then) / _scale(then):+.0f} %"
