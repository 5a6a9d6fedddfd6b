"""Diagnoses on synthetic curves whose answer is known: each one positive and negative."""

from __future__ import annotations

import math

import pytest

from nbjournal.analysis import diagnoses as d
from nbjournal.analysis.diagnoses import diagnose
from nbjournal.analysis.watcher import CurveWatcher


def decay(n: int, start: float = 2.0, rate: float = 0.7, floor: float = 0.1) -> list[float]:
    """A healthy loss: falls geometrically towards ``floor``."""
    return [floor + (start - floor) * rate**i for i in range(n)]


def kinds(history: dict, final: bool = False) -> list[str]:
    return [x.kind for x in diagnose(history, final=final)]


# -- healthy curves: nothing to say ----------------------------------------------------


def test_a_healthy_fit_has_no_diagnosis_while_training() -> None:
    loss = decay(20)
    val = [v * 1.05 for v in loss]
    assert kinds({"loss": loss, "val_loss": val}) == []


def test_a_healthy_fit_has_no_diagnosis_at_its_end() -> None:
    loss = decay(30, rate=0.8, floor=0.0)
    val = [v * 1.05 for v in loss]
    acc = [1 - v / 3 for v in loss]
    assert kinds({"loss": loss, "val_loss": val, "accuracy": acc}, final=True) == []


def test_too_few_epochs_say_nothing() -> None:
    assert kinds({"loss": [2.0, 1.0], "val_loss": [2.1, 1.2]}, final=True) == []


# -- diverged ----------------------------------------------------------------------------


def test_a_nan_loss_is_diverged_at_its_epoch_and_nothing_else_is_said() -> None:
    loss = [*decay(6), math.nan, math.nan]
    found = diagnose({"loss": loss, "val_loss": [*decay(6), math.nan, math.nan]}, final=True)
    assert [(x.kind, x.epoch, x.metric) for x in found] == [("diverged", 6, "loss")]
    assert "NaN at epoch 7" in found[0].message


def test_an_infinite_validation_loss_is_diverged() -> None:
    found = diagnose({"loss": decay(5), "val_loss": [1.0, 0.9, math.inf, 0.8, 0.7]})
    assert [(x.kind, x.epoch, x.metric) for x in found] == [("diverged", 2, "val_loss")]
    assert "infinite" in found[0].message


def test_a_loss_growing_by_orders_of_magnitude_is_diverged() -> None:
    loss = [2.0, 1.0, 0.5, 3.0, 40.0, 900.0]
    found = diagnose({"loss": loss})
    assert [(x.kind, x.epoch) for x in found] == [("diverged", 5)]  # 900 >= 100 x 0.5
    assert "grew 1,800×" in found[0].message


def test_a_loss_that_grows_less_than_the_factor_has_not_diverged() -> None:
    loss = [2.0, 1.0, 0.5, 3.0, 40.0, 0.4]  # 80x its lowest: bad, not diverged
    assert "diverged" not in kinds({"loss": loss})


def test_missing_values_are_gaps_not_divergence() -> None:
    assert kinds({"loss": decay(6), "val_loss": [None, 1.0, None, 0.8, None, 0.6]}) == []


# -- overfitting -------------------------------------------------------------------------


def overfit_curves(best: int = 8, n: int = 15) -> dict[str, list[float]]:
    loss = decay(n, rate=0.8)
    val = [decay(n, rate=0.8)[min(i, best)] * 1.1 + max(0, i - best) * 0.03 for i in range(n)]
    return {"loss": loss, "val_loss": val}


def test_validation_loss_rising_while_training_loss_falls_is_overfitting_from_the_epoch_after_its_minimum() -> (
    None
):
    found = diagnose(overfit_curves(best=8, n=15))
    assert [(x.kind, x.epoch, x.metric) for x in found] == [("overfitting", 9, "val_loss")]
    assert "from epoch 10" in found[0].message


def test_overfitting_needs_several_epochs_of_rise() -> None:
    history = overfit_curves(best=8, n=8 + d.OVERFIT_PATIENCE)  # one epoch short
    assert "overfitting" not in kinds(history)
    history = overfit_curves(best=8, n=8 + d.OVERFIT_PATIENCE + 1)
    assert "overfitting" in kinds(history)


def test_a_small_rise_of_validation_loss_is_noise_not_overfitting() -> None:
    loss = decay(15, rate=0.8)
    val = [v * 1.1 for v in loss[:9]] + [loss[8] * 1.1 * 1.005] * 6  # +0.5 %
    assert "overfitting" not in kinds({"loss": loss, "val_loss": val})


def test_both_losses_rising_is_not_overfitting() -> None:
    loss = decay(9) + [decay(9)[-1] * (1 + 0.05 * i) for i in range(1, 6)]
    val = [v * 1.1 for v in loss]
    assert "overfitting" not in kinds({"loss": loss, "val_loss": val})


def test_without_validation_there_is_no_overfitting() -> None:
    assert "overfitting" not in kinds({"loss": decay(20)})


# -- oscillating -------------------------------------------------------------------------


def test_a_loss_that_zigzags_without_progress_is_oscillating() -> None:
    loss = [*decay(4), *[0.9 + (0.25 if i % 2 else 0.0) for i in range(10)]]
    found = diagnose({"loss": loss})
    assert [x.kind for x in found] == ["oscillating"]
    assert found[0].epoch == len(loss) - d.OSCILLATION_WINDOW
    assert "learning rate" in found[0].message


def test_small_wiggles_on_a_falling_loss_are_not_oscillating() -> None:
    loss = [v * (1.01 if i % 2 else 1.0) for i, v in enumerate(decay(20, rate=0.85))]
    assert "oscillating" not in kinds({"loss": loss})


def test_a_zigzag_that_still_makes_progress_is_not_oscillating() -> None:
    loss = [2.0 - 0.15 * i + (0.05 if i % 2 else 0.0) for i in range(10)]
    assert "oscillating" not in kinds({"loss": loss})


# -- plateau -----------------------------------------------------------------------------


def test_a_flat_training_loss_is_a_plateau_from_the_first_flat_epoch() -> None:
    loss = [2.30, 2.303, 2.302, 2.302, 2.301, 2.302, 2.302]
    found = diagnose({"loss": loss})
    assert [(x.kind, x.epoch) for x in found] == [("plateau", 0)]  # flat from its first epoch
    assert "since epoch 1 " in found[0].message
    long_flat = [2.302 + 0.0005 * (i % 2) for i in range(30)]  # issue 21.6: not "since epoch 26"
    assert "since epoch 1 " in diagnose({"loss": long_flat})[0].message


def test_a_converged_fit_has_a_plateau_from_the_epoch_it_stopped_improving() -> None:
    loss = [*decay(8, rate=0.5), *[decay(8, rate=0.5)[-1]] * 6]
    found = diagnose({"loss": loss}, final=True)
    assert [(x.kind, x.epoch) for x in found] == [("plateau", 7)]
    assert "more epochs buy nothing" in found[0].message


def test_a_loss_still_improving_slowly_is_not_a_plateau() -> None:
    loss = [1.0 * 0.98**i for i in range(12)]  # 2 % an epoch
    assert "plateau" not in kinds({"loss": loss})


def test_a_noisy_flat_loss_is_not_called_a_plateau() -> None:
    loss = [1.0, 0.8, 0.7, 0.75, 0.7, 0.78, 0.72, 0.76]  # no progress but spread of 8 %
    assert "plateau" not in kinds({"loss": loss})


# -- underfitting ------------------------------------------------------------------------


def test_a_fit_ending_with_both_losses_high_and_close_is_underfitting() -> None:
    loss = [2.3 - 0.15 * i for i in range(6)]  # 2.30 -> 1.55, still falling
    found = diagnose({"loss": loss, "val_loss": [v + 0.05 for v in loss]}, final=True)
    assert [(x.kind, x.epoch) for x in found] == [("underfitting", 5)]
    assert "more than 50% of its first-epoch 2.3" in found[0].message
    assert "still falling" in found[0].message


def test_underfitting_is_only_judged_when_the_fit_ends() -> None:
    loss = [2.3 - 0.15 * i for i in range(6)]
    assert "underfitting" not in kinds({"loss": loss})


def test_a_high_loss_with_a_much_higher_validation_loss_is_not_underfitting() -> None:
    loss = [2.3 - 0.15 * i for i in range(6)]
    assert "underfitting" not in kinds({"loss": loss, "val_loss": [v * 1.5 for v in loss]}, True)


def test_a_loss_that_fell_well_below_half_is_not_underfitting() -> None:
    loss = [2.3, 1.2, 0.7, 0.5, 0.4, 0.35]
    assert kinds({"loss": loss, "val_loss": [v + 0.02 for v in loss]}, final=True) == []


def test_a_low_final_training_accuracy_is_underfitting() -> None:
    loss = decay(12, start=2.3, rate=0.5, floor=0.8)  # fell below half, converged
    acc = [0.2 + 0.02 * i for i in range(12)]  # ends at 0.42
    found = diagnose({"loss": loss, "accuracy": acc}, final=True)
    assert [x.kind for x in found] == ["underfitting"]
    assert "accuracy ended at 0.42" in found[0].message


def test_a_converged_accurate_fit_is_not_underfitting() -> None:
    loss = decay(12, rate=0.5)
    acc = [0.5 + 0.04 * i for i in range(12)]
    assert kinds({"loss": loss, "accuracy": acc}, final=True) == []


def test_still_falling_training_loss_with_rising_validation_is_overfitting_not_underfitting() -> (
    None
):
    found = kinds(overfit_curves(best=6, n=12), final=True)
    assert found == ["overfitting"]


# -- the watcher: each diagnosis once, as soon as it holds ------------------------------


def test_the_watcher_reports_each_diagnosis_once_at_the_epoch_it_first_holds() -> None:
    history = overfit_curves(best=8, n=20)
    watcher = CurveWatcher()
    reported = []
    for epoch in range(20):
        logs = {name: values[epoch] for name, values in history.items()}
        for found in watcher.epoch_ended(0, epoch, logs):
            reported.append((epoch, found.kind, found.epoch))
    assert reported == [(8 + d.OVERFIT_PATIENCE, "overfitting", 9)]


def test_the_watcher_keeps_parts_apart_and_judges_underfitting_at_fit_end() -> None:
    watcher = CurveWatcher()
    for epoch, value in enumerate([2.3 - 0.15 * i for i in range(6)]):
        assert watcher.epoch_ended(0, epoch, {"loss": value, "note": "text"}) == []
    for epoch, value in enumerate(decay(6, rate=0.5)):
        assert watcher.epoch_ended(1, epoch, {"loss": value}) == []
    assert [(x.kind, x.part) for x in watcher.fit_ended(0)] == [("underfitting", 0)]
    assert watcher.fit_ended(0) == []  # once
    assert watcher.fit_ended(1) == []
    assert watcher.history(1)["loss"] == decay(6, rate=0.5)


def test_the_watcher_sees_nan_in_raw_logs() -> None:
    watcher = CurveWatcher()
    watcher.epoch_ended(0, 0, {"loss": 1.0})
    found = watcher.epoch_ended(0, 1, {"loss": float("nan")})
    assert [(x.kind, x.epoch) for x in found] == [("diverged", 1)]


@pytest.mark.parametrize("kind", d.KINDS)
def test_every_kind_is_documented_with_its_thresholds(kind: str) -> None:
    assert f"``{kind}``" in (d.__doc__ or "")


# -- measured curves (issue 10): ordinary noise is not oscillation -----------------------

_CURVES = __import__("json").loads(
    (__import__("pathlib").Path(__file__).parent / "assets" / "digits_curves.json").read_text()
)


@pytest.mark.parametrize("name", sorted(_CURVES["ordinary"]))
def test_dropout_and_small_batch_noise_is_never_oscillating(name: str) -> None:
    history = _CURVES["ordinary"][name]
    for end in range(1, len(history["loss"]) + 1):  # as the live view reads it, epoch by epoch
        so_far = {k: v[:end] for k, v in history.items()}
        assert "oscillating" not in kinds(so_far, final=end == len(history["loss"])), end


def test_a_learning_rate_too_high_still_oscillates() -> None:
    history = _CURVES["too_high"]["adam lr0.1"]
    assert "oscillating" in kinds(history, final=True)
