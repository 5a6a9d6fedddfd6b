"""Synthetic journals with planted structure, written through the real store."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from nbjournal.store import MetricPoint, Store


def add_run(
    store: Store,
    experiment: str,
    params: dict[str, Any],
    value: float,
    *,
    metric: str = "val_accuracy",
    status: str = "finished",
    code: str = "fit()",
    data_fingerprint: str | None = None,
) -> int:
    """A finished run with these parameters and a final ``metric`` value."""
    run_id = store.create_run(
        experiment=experiment,
        fingerprint=uuid.uuid4().hex,
        params=params,
        code=code,
        data_fingerprint=data_fingerprint,
    )
    store.add_points(run_id, [MetricPoint(metric, float(value), 0, "epoch", 0)])
    store.finish_run(run_id, status)
    return run_id


def sweep(
    store: Store,
    experiment: str,
    n: int,
    response: Callable[[dict[str, Any], np.random.Generator], float],
    *,
    seed: int = 0,
    metric: str = "val_accuracy",
) -> list[int]:
    """``n`` runs over lr (log), units, dropout and activation, each scored by ``response``."""
    rng = np.random.default_rng(seed)
    made = []
    for _ in range(n):
        params = {
            "lr": float(10 ** rng.uniform(-4, -1)),
            "units": int(rng.choice([16, 32, 64, 128])),
            "dropout": float(rng.choice([0.0, 0.25, 0.5])),
            "activation": str(rng.choice(["relu", "tanh"])),
        }
        made.append(add_run(store, experiment, params, response(params, rng), metric=metric))
    return made


def lr_drives(params: dict[str, Any], rng: np.random.Generator) -> float:
    """Only lr matters: a peak at 3e-3 on a log scale, plus noise."""
    return 0.95 - 0.08 * (np.log10(params["lr"]) + 2.5) ** 2 + rng.normal(0, 0.01)


def nothing_matters(params: dict[str, Any], rng: np.random.Generator) -> float:
    return 0.9 + rng.normal(0, 0.02)
