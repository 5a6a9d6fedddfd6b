"""The words of the view: progress, best values, labels of several fits, the record."""

from __future__ import annotations

from nbjournal.live import html
from nbjournal.live.progress import Progress, clock
from nbjournal.live.state import RunState, part_labels


def test_progress_counts_from_one_as_keras_prints() -> None:
    fit = Progress(epochs=10, steps=45, batch_size=32)
    fit.batch_ended(0, 0)
    fit.epoch_ended(0)
    fit.epoch_ended(1)
    fit.batch_ended(2, 19)
    assert fit.position() == "epoch 3 of 10 · batch 20 of 45"
    assert fit.fraction() == (2 * 45 + 20) / 450
    fit.epoch_ended(2)
    assert fit.position() == "epoch 3 of 10" and fit.fraction() == 3 / 10


def test_progress_ignores_a_batch_that_arrives_late() -> None:
    fit = Progress(epochs=2, steps=10)
    fit.batch_ended(0, 0)
    fit.batch_ended(0, 5)
    fit.batch_ended(0, 4)
    assert fit.batch == 5


def test_a_fit_starting_at_a_later_epoch_counts_from_there() -> None:
    fit = Progress(epochs=10, steps=4)
    fit.batch_ended(5, 0)  # fit(initial_epoch=5)
    fit.batch_ended(5, 3)
    assert fit.total_batches == 20 and fit.batches_done == 4


def test_clock() -> None:
    assert [clock(x) for x in (None, 0.4, 7, 754, 3723)] == [
        "–",
        "0:00",
        "0:07",
        "12:34",
        "1:02:03",
    ]


def test_best_values_follow_each_metrics_direction() -> None:
    state = RunState("e", 1)
    for epoch, (loss, accuracy) in enumerate([(1.0, 0.5), (0.6, 0.8), (0.7, 0.7)]):
        state.epoch_ended(0, epoch, {"loss": loss, "val_accuracy": accuracy, "x": None})
    assert state.bests[0] == {"loss": (0.6, 1), "val_accuracy": (0.8, 1)}
    assert state.metric_names() == ["loss", "val_accuracy"]


def test_fits_are_labelled_by_what_differs_between_them() -> None:
    fits = [
        {"optimizer": {"class": "Adam", "learning_rate": 0.1}, "fit": {"epochs": 3}},
        {"optimizer": {"class": "Adam", "learning_rate": 0.01}, "fit": {"epochs": 3}},
    ]
    assert part_labels(fits) == ["lr=0.1", "lr=0.01"]
    assert part_labels([{"a": 1}, {"a": 1}]) == ["fit 1", "fit 2"]
    assert part_labels([{"fit": {"batch_size": 16}}, {"fit": {"batch_size": 64}}]) == [
        "batch=16",
        "batch=64",
    ]


def test_user_text_is_escaped_in_every_part_of_the_view() -> None:
    state = RunState("<i>exp</i>", 3, "<script>alert(1)</script>")
    state.warnings.append("<b>disk</b> full")
    state.diagnoses.append({"kind": "plateau", "message": "<img src=x>"})
    state.ended_as("failed", "ValueError: <bad>")
    markup = html.record_top(state) + html.record_bottom(state)
    for raw in ("<i>exp", "<script>", "<b>disk", "<img", "<bad>"):
        assert raw not in markup
    assert "&lt;script&gt;" in markup and "&lt;bad&gt;" in markup


def test_an_early_stopped_fit_says_so_when_the_run_is_finished() -> None:
    """Issue 21.14: not "epoch 17 of 60 · finished"."""
    fit = Progress(epochs=60, steps=4)
    for epoch in range(17):
        fit.epoch_ended(epoch)
    assert fit.position() == "epoch 17 of 60"  # while it runs
    assert fit.position(ended=True) == "stopped early at epoch 17 of 60"
    done = Progress(epochs=3, steps=4)
    for epoch in range(3):
        done.epoch_ended(epoch)
    assert done.position(ended=True) == "epoch 3 of 3"
