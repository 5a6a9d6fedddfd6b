"""Metric points go in as batches and come back intact; the run's summary follows them."""

from __future__ import annotations

import math

import pytest

from nbjournal.store import MetricPoint, Store

from .helpers import epochs, new_run, record


def test_points_of_every_kind_read_back_as_written(store: Store) -> None:
    # Given a run, its per-epoch values, per-batch values of two fit calls and a final number
    run_id = new_run(store)
    written = [
        *epochs("loss", [0.9, 0.5]),
        MetricPoint("loss", 1.2, step=0, kind="batch", epoch=0, part=0, time=100.0),
        MetricPoint("loss", 1.1, step=1, kind="batch", epoch=0, part=0, time=100.5),
        MetricPoint("loss", 0.4, step=0, kind="batch", epoch=0, part=1, time=200.0),
        MetricPoint("test_accuracy", 0.97, step=0, kind="value"),
    ]

    # When they are written in one batch
    store.add_points(run_id, written)

    # Then they read back, ordered by name, kind, part and step; missing times were stamped
    back = store.metric_points(run_id)
    assert [(p.name, p.kind, p.part, p.step, p.epoch, p.value) for p in back] == [
        ("loss", "batch", 0, 0, 0, 1.2),
        ("loss", "batch", 0, 1, 0, 1.1),
        ("loss", "batch", 1, 0, 0, 0.4),
        ("loss", "epoch", 0, 0, 0, 0.9),
        ("loss", "epoch", 0, 1, 1, 0.5),
        ("test_accuracy", "value", 0, 0, None, 0.97),
    ]
    assert [p.time for p in back if p.kind == "batch"] == [100.0, 100.5, 200.0]
    assert all(p.time > 1e9 for p in back if p.kind != "batch")


def test_points_can_be_read_by_name_and_kind(store: Store) -> None:
    run_id = new_run(store)
    store.add_points(
        run_id,
        [
            *epochs("loss", [0.9, 0.5]),
            *epochs("val_loss", [1.0, 0.7]),
            MetricPoint("loss", 2.0, step=0, kind="batch", epoch=0),
        ],
    )
    assert [p.value for p in store.metric_points(run_id, names=["val_loss"])] == [1.0, 0.7]
    assert [p.value for p in store.metric_points(run_id, kinds=["batch"])] == [2.0]
    assert store.metric_points(run_id, names=["nope"]) == []


def test_an_empty_batch_changes_nothing(store: Store) -> None:
    run_id = new_run(store)
    before = store.get_run(run_id)
    store.add_points(run_id, [])
    assert store.metric_points(run_id) == []
    assert store.get_run(run_id).updated == before.updated


def test_points_are_kept_per_run(store: Store) -> None:
    first, second = new_run(store), new_run(store)
    store.add_points(first, epochs("loss", [1.0, 0.5]))
    store.add_points(second, epochs("loss", [3.0]))
    assert [p.value for p in store.metric_points(first)] == [1.0, 0.5]
    assert [p.value for p in store.metric_points(second)] == [3.0]


def test_the_summary_holds_last_and_best_with_their_epochs(store: Store) -> None:
    # Given a run recorded one epoch at a time
    run_id = new_run(store)
    record(
        store,
        run_id,
        {
            "loss": [0.9, 0.5, 0.6, 0.55],
            "val_accuracy": [0.70, 0.91, 0.88, 0.90],
        },
    )

    # When its summary is read
    metrics = store.get_run(run_id).metrics

    # Then loss is best at its minimum, accuracy at its maximum, both with their epochs
    loss, accuracy = metrics["loss"], metrics["val_accuracy"]
    assert (loss.last, loss.last_epoch, loss.best, loss.best_epoch) == (0.55, 3, 0.5, 1)
    assert (loss.goal, loss.count) == ("min", 4)
    assert (accuracy.last, accuracy.best, accuracy.best_epoch) == (0.90, 0.91, 1)
    assert (accuracy.goal, accuracy.count) == ("max", 4)
    assert store.list_runs()[0].key_metric == accuracy


@pytest.mark.parametrize(
    ("name", "values", "goal", "best"),
    [
        ("val_loss", [0.3, 0.1, 0.2], "min", 0.1),
        ("mean_squared_error", [3.0, 1.0, 2.0], "min", 1.0),
        ("mae", [3.0, 1.0, 2.0], "min", 1.0),
        ("val_acc", [0.5, 0.9, 0.7], "max", 0.9),
        ("auc", [0.5, 0.9, 0.7], "max", 0.9),
        ("f1_score", [0.5, 0.9, 0.7], "max", 0.9),
        ("r2", [-1.0, 0.8, 0.2], "max", 0.8),
        ("custom_quantity", [3.0, 1.0, 2.0], "min", 1.0),
    ],
)
def test_the_goal_of_a_metric_follows_its_name(
    store: Store, name: str, values: list[float], goal: str, best: float
) -> None:
    run_id = new_run(store)
    record(store, run_id, {name: values})
    summary = store.get_run(run_id).metrics[name]
    assert (summary.goal, summary.best, summary.best_epoch) == (goal, best, 1)


def test_nan_is_never_the_best(store: Store) -> None:
    # Given a run that diverges: NaN first, a real value, then NaN again
    run_id = new_run(store)
    record(
        store, run_id, {"loss": [math.nan, 0.8, math.nan], "accuracy": [math.nan, 0.6, math.nan]}
    )

    # Then the best values are the real ones; the last is missing, not a number
    metrics = store.get_run(run_id).metrics
    for name, best in (("loss", 0.8), ("accuracy", 0.6)):
        summary = metrics[name]
        assert (summary.best, summary.best_epoch, summary.count) == (best, 1, 3)
        assert summary.last_epoch == 2
        assert summary.last is None or math.isnan(summary.last)


def test_a_run_of_only_nan_has_no_best(store: Store) -> None:
    run_id = new_run(store)
    record(store, run_id, {"loss": [math.nan, math.nan]})
    summary = store.get_run(run_id).metrics["loss"]
    assert summary.best is None and summary.best_epoch is None and summary.count == 2


def test_missing_values_are_kept_as_missing_and_never_best(store: Store) -> None:
    run_id = new_run(store)
    store.add_points(run_id, epochs("loss", [None, 0.4, None]))
    assert [p.value for p in store.metric_points(run_id)] == [None, 0.4, None]
    summary = store.get_run(run_id).metrics["loss"]
    assert (summary.best, summary.best_epoch, summary.last, summary.last_epoch) == (0.4, 1, None, 2)


def test_batch_points_are_history_only_and_do_not_move_the_summary(store: Store) -> None:
    # Given a run with one epoch value and many noisy batch values
    run_id = new_run(store)
    store.add_points(run_id, epochs("loss", [0.7]))
    store.add_points(
        run_id, [MetricPoint("loss", 0.01 * i, step=i, kind="batch", epoch=0) for i in range(10)]
    )

    # Then the summary reflects the epoch value only
    summary = store.get_run(run_id).metrics["loss"]
    assert (summary.last, summary.best, summary.count) == (0.7, 0.7, 1)
    assert len(store.metric_points(run_id, kinds=["batch"])) == 10


def test_a_final_value_joins_the_summary_without_an_epoch(store: Store) -> None:
    run_id = new_run(store)
    store.add_points(run_id, [MetricPoint("test_accuracy", 0.972, step=0, kind="value")])
    summary = store.get_run(run_id).metrics["test_accuracy"]
    assert (summary.last, summary.last_epoch, summary.best, summary.best_epoch) == (
        0.972, None, 0.972, None,
    )  # fmt: skip


def test_writing_points_is_a_sign_of_life(store: Store) -> None:
    run_id = new_run(store)
    before = store.get_run(run_id).updated
    store.add_points(run_id, epochs("loss", [0.5]))
    assert store.get_run(run_id).updated > before


def test_numpy_scalars_from_user_code_are_stored_as_numbers(store: Store) -> None:
    """``log_metric(np.mean(...))`` hands the store numpy scalars, not floats."""
    import numpy as np

    run_id = new_run(store)
    store.add_points(
        run_id,
        [
            MetricPoint("loss", np.float32(0.25), step=np.int64(3), epoch=np.int64(3)),  # type: ignore[arg-type]
            MetricPoint("hits", np.int64(7), step=0, kind="value"),  # type: ignore[arg-type]
        ],
    )
    back = {p.name: p for p in store.metric_points(run_id)}
    assert (back["loss"].value, back["loss"].step, back["loss"].epoch) == (0.25, 3, 3)
    assert back["hits"].value == 7.0
    assert store.get_run(run_id).metrics["loss"].best == 0.25


def test_a_long_series_is_sampled_from_its_rollups_keeping_ends_and_extremes(store: Store) -> None:
    # Given a run with a 30,000-point series holding one spike and one dip, in batches
    from nbjournal.server.endpoints import metrics

    run_id = store.create_run(experiment="long", fingerprint="f")
    values = [1.0 + (i % 7) * 0.01 for i in range(30_000)]
    values[12_345], values[23_456] = 50.0, -3.0
    for start in range(0, 30_000, 4_000):
        store.add_points(
            run_id,
            [
                MetricPoint("loss", values[i], i, "batch", i // 100)
                for i in range(start, min(start + 4_000, 30_000))
            ],
        )

    # When a chart of at most 60 points asks for it (the roll-ups hold 120 candidates)
    (series,) = metrics(store, run_id, 60)["series"]

    # Then it counts every point, keeps at most 60, the ends, the spike and the dip
    points = series["points"]
    assert series["total"] == 30_000 and 50 <= len(points) <= 60
    assert points[0] == [0, 0, values[0]] and points[-1] == [29_999, 299, values[-1]]
    assert [12_345, 123, 50.0] in points and [23_456, 234, -3.0] in points
    assert [p[0] for p in points] == sorted(p[0] for p in points)


def _expected_rollups(points: list[tuple[int, int, float | None]]) -> list[tuple[int, int, list]]:
    """Roll-ups computed over a whole series at once: (bucket, count, [first, low, high, last])."""
    from nbjournal.store.rollups import BUCKET

    found = []
    for bucket, start in enumerate(range(0, len(points), BUCKET)):
        chunk = [list(p) for p in points[start : start + BUCKET]]
        numbers = [p for p in chunk if p[2] is not None and p[2] == p[2]]
        low = min(numbers, key=lambda p: p[2]) if numbers else chunk[0]
        high = max(numbers, key=lambda p: p[2]) if numbers else chunk[0]
        found.append((bucket, len(chunk), [chunk[0], low, high, chunk[-1]]))
    return found


def test_rollups_written_batch_by_batch_equal_those_of_the_whole_series(store: Store) -> None:
    # Given two series of 2,500 batch points with missing values and ties, written in
    # batches whose edges fall anywhere in a roll-up bucket, the series interleaved
    import json

    import sqlalchemy as sa

    from nbjournal.store import schema

    run_id = new_run(store)
    series = {
        name: [(i, i // 100, None if i % 97 == 0 else float((i * seed) % 13)) for i in range(2_500)]
        for name, seed in (("loss", 7), ("accuracy", 5))
    }
    start = 0
    for size in [1, 999, 3, 700, 800, 1_500, 2_000]:
        batch = [
            MetricPoint(name, value, step, "batch", epoch)
            for name, points in series.items()
            for step, epoch, value in points[start : start + size]
        ]
        store.add_points(run_id, sorted(batch, key=lambda p: p.step))
        start += size

    # When the roll-up rows are read
    table = schema.metric_rollups
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(table.c.name, table.c.bucket, table.c.count, table.c.points)
            .where(table.c.run_id == run_id)
            .order_by(table.c.name, table.c.bucket)
        ).all()

    # Then they are what the whole series gives at once
    for name, points in series.items():
        stored = [(b, c, json.loads(p)) for n, b, c, p in rows if n == name]
        assert stored == _expected_rollups(points)


def test_a_series_written_before_rollups_is_marked_and_read_point_by_point(
    store: Store,
) -> None:
    # Given a series whose points were written before roll-ups existed (none kept for it)
    import sqlalchemy as sa

    from nbjournal.store import schema
    from nbjournal.store.rollups import UNROLLED

    run_id = new_run(store)
    store.add_points(run_id, [MetricPoint("loss", 1.0, i, "batch", 0) for i in range(10)])
    with store.engine.begin() as connection:
        connection.execute(schema.metric_rollups.delete())

    # When more points of it come, twice
    for first in (10, 20):
        store.add_points(
            run_id, [MetricPoint("loss", 0.5, i, "batch", 0) for i in range(first, first + 10)]
        )

    # Then it holds one marker row and no roll-up, and every point reads back
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(schema.metric_rollups.c.bucket, schema.metric_rollups.c.count)
        ).all()
    assert [tuple(r) for r in rows] == [(UNROLLED, 0)]
    assert [p.step for p in store.metric_points(run_id)] == list(range(30))


def test_the_summary_keeps_the_first_best_across_batches(store: Store) -> None:
    # Given a loss that reaches its best twice, the second time in a later batch, with NaN
    run_id = new_run(store)
    store.add_points(run_id, epochs("loss", [0.5, 0.2, float("nan"), 0.2]))
    store.add_points(run_id, epochs("loss", [0.2, 0.3], first_epoch=4))

    # Then the best is the first time it was reached, the last the latest value
    summary = store.get_run(run_id).metrics["loss"]
    assert (summary.best, summary.best_epoch, summary.last, summary.last_epoch) == (
        0.2, 1, 0.3, 5,
    )  # fmt: skip
    assert summary.count == 6
