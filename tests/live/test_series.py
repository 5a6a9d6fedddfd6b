"""What the chart draws: bounded series, increments, full copies after a thinning."""

from __future__ import annotations

import math

from nbjournal.live.series import ChartData


def test_points_are_sent_once_as_increments_with_their_metric_split_and_part() -> None:
    data = ChartData()
    data.add_batch(0, 0.5, {"loss": 1.25, "accuracy": 0.5})
    everything, fresh = data.take()
    assert everything is None
    assert fresh == [
        ["b", "loss", "training", 0, 0.5, 1.25],
        ["b", "accuracy", "training", 0, 0.5, 0.5],
    ]
    data.add_epoch(1, 0, {"loss": 1.0, "val_loss": 1.1})
    assert data.take() == (
        None,
        [["e", "loss", "training", 1, 1, 1.0], ["e", "loss", "validation", 1, 1, 1.1]],
    )
    assert data.take() == (None, [])
    assert data.metrics == ["loss", "accuracy"]  # loss first


def test_non_finite_and_non_numeric_values_are_not_drawn() -> None:
    data = ChartData()
    data.add_epoch(0, 0, {"loss": math.nan, "val_loss": math.inf, "lr": None, "note": "x"})
    data.add_epoch(0, 1, {"loss": 0.5})
    assert data.rows() == [["e", "loss", "training", 0, 2, 0.5]]


def test_a_full_series_is_thinned_by_half_and_sent_whole_once() -> None:
    data = ChartData(epoch_points=10)
    sent_whole = 0
    for epoch in range(200):
        data.add_epoch(0, epoch, {"loss": 1 / (epoch + 1)})
        everything, _ = data.take()
        sent_whole += everything is not None
    rows = [r for r in data.rows() if r[0] == "e"]
    assert len(rows) <= 10 + 1  # the bound, and the newest point
    assert rows[0][4] == 1 and rows[-1][4] == 200  # from the first epoch to the newest
    assert sent_whole == 5  # 10 -> 20 -> 40 -> 80 -> 160 epochs: log2 of the run's length


def test_each_series_is_bounded_on_its_own() -> None:
    data = ChartData(epoch_points=8, batch_points=12)
    for epoch in range(50):
        for batch in range(10):
            data.add_batch(0, epoch + batch / 10, {"loss": 1.0})
        data.add_epoch(0, epoch, {"loss": 1.0, "val_loss": 1.0})
    counts: dict[tuple, int] = {}
    for row in data.rows():
        counts[(row[0], row[2])] = counts.get((row[0], row[2]), 0) + 1
    assert counts[("e", "training")] <= 9 and counts[("e", "validation")] <= 9
    assert counts[("b", "training")] <= 13
