"""Small builders shared by the store tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from nbjournal.store import MetricPoint, Store


def new_run(store: Store, experiment: str = "digits-mlp", **fields: Any) -> int:
    """A running run (with a fingerprint of its own unless one is given)."""
    fields.setdefault("fingerprint", uuid.uuid4().hex)
    return store.create_run(experiment=experiment, **fields)


def epochs(name: str, values: Sequence[float | None], first_epoch: int = 0) -> list[MetricPoint]:
    """Per-epoch points of one metric, the way the Keras callback writes them."""
    return [
        MetricPoint(name=name, value=v, step=first_epoch + i, kind="epoch", epoch=first_epoch + i)
        for i, v in enumerate(values)
    ]


def record(store: Store, run_id: int, history: dict[str, Sequence[float | None]]) -> None:
    """Write a whole history one epoch at a time (one ``add_points`` per epoch end)."""
    length = max(len(values) for values in history.values())
    for epoch in range(length):
        store.add_points(
            run_id,
            [
                MetricPoint(name=name, value=values[epoch], step=epoch, epoch=epoch)
                for name, values in history.items()
                if epoch < len(values)
            ],
        )


def ids(runs: Iterable[Any]) -> list[int]:
    return [run.id for run in runs]
