"""Statuses: failed and interrupted runs keep what they recorded; the user's error is unchanged."""

from __future__ import annotations

import traceback

import pytest

STOP_AT_EPOCH_2 = """
import keras
class Stop(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 2:
            raise {error}("stopped by the user's callback")
"""


def test_a_users_exception_reaches_them_and_the_run_keeps_its_epochs(
    shell, journal, tiny_data, tiny_mlp
):
    shell.run_cell(tiny_data)
    shell.run_cell(STOP_AT_EPOCH_2.format(error="ValueError"))
    cell = tiny_mlp.replace("epochs=3", "epochs=6").replace(
        "verbose=0", "verbose=0, callbacks=[Stop()]"
    )
    with pytest.raises(ValueError, match="stopped by the user's callback") as raised:
        shell.run_cell(f"%%experiment failing\n{cell}")
    frames = [frame.name for frame in traceback.extract_tb(raised.value.__traceback__)]
    assert "on_epoch_end" in frames  # the user's own frame is in the traceback
    run = journal.run(1)
    assert run.status == "failed"
    assert "ValueError: stopped by the user's callback" in run.error
    assert run.metrics["loss"].count == 2  # epochs 0 and 1 completed before the error
    assert run.ended is not None


def test_keyboard_interrupt_during_fit_marks_the_run_interrupted(
    shell, journal, tiny_data, tiny_mlp
):
    shell.run_cell(tiny_data)
    shell.run_cell(STOP_AT_EPOCH_2.format(error="KeyboardInterrupt"))
    cell = tiny_mlp.replace("epochs=3", "epochs=6").replace(
        "verbose=0", "verbose=0, callbacks=[Stop()]"
    )
    with pytest.raises(KeyboardInterrupt):
        shell.run_cell(f"%%experiment interrupted\n{cell}")
    run = journal.run(1)
    assert run.status == "interrupted"
    assert run.metrics["val_loss"].count == 2
    assert len(journal.metrics(1).query("kind == 'epoch' and name == 'loss'")) == 2


def test_an_error_in_the_cell_outside_fit_fails_the_run(shell, journal):
    with pytest.raises(ZeroDivisionError):
        shell.run_cell("%%experiment zero\nx = 1\nx / 0")
    assert journal.run(1).status == "failed"
    assert "ZeroDivisionError" in journal.run(1).error
