"""Diagnoses said while training are re-stated from the whole curve when the fit ends
(issue 10, defect 4): what the run keeps agrees with its final table."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbjournal.recording.recorder import RunRecorder
from nbjournal.store import Store


@pytest.fixture
def store(tmp_path: Path):
    opened = Store("sqlite:///" + str(tmp_path / "journal.db"))
    yield opened
    opened.close()


def valley(low: float, at: int, length: int) -> list[float]:
    """A validation loss falling to ``low`` at epoch ``at``, then rising by 10 % an epoch."""
    return [
        low * (1 + 0.3 * (at - i)) if i <= at else low * (1 + 0.1 * (i - at)) for i in range(length)
    ]


def test_an_overfitting_message_is_restated_with_the_lowest_value_of_the_whole_curve(store):
    # Given a fit whose validation loss overfits early (0.05864), recovers lower (0.0525) later
    val_loss = valley(0.05864, 3, 8) + valley(0.0525, 6, 12)[3:]
    loss = [1.0 / (i + 1) for i in range(len(val_loss))]
    run_id = store.create_run(experiment="restate", fingerprint="f")
    said: list[dict] = []

    class Sink:
        def diagnosed(self, recorder, diagnosis):
            said.append(diagnosis)

    recorder = RunRecorder(store, run_id, experiment="restate", sinks=[Sink()])
    part = recorder.fit_started(len(loss), 1)
    for epoch, (t, v) in enumerate(zip(loss, val_loss, strict=True)):
        recorder.epoch_ended(part, epoch, {"loss": t, "val_loss": v})

    # While it trained, the overfitting was said with the early minimum
    assert "0.05864 at its lowest" in said[0]["message"]

    # When the fit ends and the run finishes
    recorder.fit_ended(part, len(loss))
    recorder.finish("finished")

    # Then the run keeps one overfitting, stated from the whole curve
    kept = [d for d in store.get_run(run_id).diagnoses if d["kind"] == "overfitting"]
    assert len(kept) == 1
    assert "0.0525 at its lowest" in kept[0]["message"]
    assert kept[0]["epoch"] == 12  # the epoch after the lowest, counted from 0


def test_a_fit_stopped_by_an_error_is_restated_too(store):
    run_id = store.create_run(experiment="restate", fingerprint="g")
    recorder = RunRecorder(store, run_id, experiment="restate", sinks=[])
    val_loss = valley(0.05864, 3, 8) + valley(0.0525, 6, 12)[3:]
    for epoch, v in enumerate(val_loss):
        recorder.epoch_ended(0, epoch, {"loss": 1.0 / (epoch + 1), "val_loss": v})
    recorder.finish("failed", "ValueError: boom")
    kept = [d for d in store.get_run(run_id).diagnoses if d["kind"] == "overfitting"]
    assert ["0.0525 at its lowest" in d["message"] for d in kept] == [True]


def test_while_it_trains_a_diagnosis_said_earlier_reads_as_the_curve_does_now(store):
    """The live view's box must not keep "from epoch 4 (0.05864 at its lowest)" above a table
    whose best moved on (issue 21.11): the reading is refreshed each epoch it still holds,
    shown to the view (not said again as a new line) and kept on the run."""
    val_loss = valley(0.05864, 3, 8) + valley(0.0525, 6, 12)[3:]
    loss = [1.0 / (i + 1) for i in range(len(val_loss))]
    run_id = store.create_run(experiment="restate", fingerprint="h")
    said: list[dict] = []
    refreshed: list[list[dict]] = []

    class Sink:
        def diagnosed(self, recorder, diagnosis):
            said.append(diagnosis)

        def diagnoses_refreshed(self, recorder, part, diagnoses):
            refreshed.append(diagnoses)

    recorder = RunRecorder(store, run_id, experiment="restate", sinks=[Sink()])
    part = recorder.fit_started(len(loss), 1)
    for epoch, (t, v) in enumerate(zip(loss, val_loss, strict=True)):
        recorder.epoch_ended(part, epoch, {"loss": t, "val_loss": v})

    assert [d["kind"] for d in said] == ["overfitting"]  # said once, as it first held
    (now,) = [d for d in recorder.diagnoses if d["kind"] == "overfitting"]
    assert "0.0525 at its lowest" in now["message"] and now["epoch"] == 12  # before the end
    assert refreshed and "0.0525 at its lowest" in refreshed[-1][0]["message"]
    assert "now 0.0525" not in refreshed[-1][0]["message"]  # the latest value, not the lowest
    recorder.finish("finished")
