"""Runs written through the real store, shaped like what the magics record."""

from __future__ import annotations

import math
import random
from typing import Any

from nbjournal.store import MetricPoint, Store

DIGITS_DATA = [
    {"name": "X_train", "kind": "array", "shape": [1347, 64], "dtype": "float64",
     "hash": "xxh3:5b0e4c1f9d2a7e63", "bytes": 689664},
    {"name": "y_train", "kind": "array", "shape": [1347], "dtype": "int64",
     "hash": "xxh3:a91c07e2d4b3f518", "bytes": 10776},
]  # fmt: skip

ENV = {
    "python": "3.11.7", "nbjournal": "0.1.0", "tensorflow": "2.21.0", "keras": "3.15.1",
    "keras_backend": "tensorflow", "numpy": "2.4.6", "host": "lab-vm",
    "git": {"commit": "3fcd8971c2", "dirty": False, "root": "/work/project"},
}  # fmt: skip


def mlp_code(units: int, lr: float, dropout: float) -> str:
    return (
        f"# Hypothesis: {units} hidden units with dropout {dropout} generalise.\n"
        f"units = {units}\nlr = {lr}\ndropout = {dropout}\n"
        "model = keras.Sequential([\n"
        "    keras.Input((64,)),\n"
        '    keras.layers.Dense(units, activation="relu"),\n'
        "    keras.layers.Dropout(dropout),\n"
        '    keras.layers.Dense(10, activation="softmax"),\n'
        "])\n"
        'model.compile(keras.optimizers.Adam(lr), "sparse_categorical_crossentropy",\n'
        '              metrics=["accuracy"])\n'
        "model.fit(X_train, y_train, validation_split=0.2, epochs=20)\n"
    )


def curves(epochs: int, speed: float, ceiling: float, seed: int) -> list[MetricPoint]:
    """Plausible per-epoch loss/accuracy curves (training and validation)."""
    rng = random.Random(seed)
    points = []
    for epoch in range(epochs):
        progress = 1 - math.exp(-speed * (epoch + 1))
        accuracy = 0.1 + (ceiling - 0.1) * progress
        loss = 2.3 * (1 - progress) + 0.05 + rng.uniform(0, 0.02)
        values = {
            "accuracy": min(accuracy + 0.01 + rng.uniform(0, 0.005), 1.0),
            "loss": loss,
            "val_accuracy": accuracy - rng.uniform(0, 0.01),
            "val_loss": loss + 0.04 + rng.uniform(0, 0.03),
        }
        points += [
            MetricPoint(name=name, value=value, step=epoch, kind="epoch", epoch=epoch)
            for name, value in values.items()
        ]
    return points


def mlp_run(
    store: Store,
    *,
    experiment: str = "digits-mlp",
    units: int = 64,
    lr: float = 1e-3,
    dropout: float = 0.0,
    hypothesis: str | None = None,
    tags: tuple[str, ...] = ("mlp",),
    epochs: int = 20,
    ceiling: float = 0.97,
    finish: bool = True,
    notebook: str | None = None,
    nearest: dict[str, Any] | None = None,
) -> int:
    params: dict[str, Any] = {
        "units": units,
        "lr": lr,
        "dropout": dropout,
        "optimizer": {"class": "Adam", "learning_rate": lr},
        "fit": {"epochs": epochs, "batch_size": 32, "validation_split": 0.2},
        "loss": "sparse_categorical_crossentropy",
    }
    run_id = store.create_run(
        experiment=experiment,
        fingerprint=f"fp-{experiment}-{units}-{lr}-{dropout}",
        hypothesis=hypothesis
        or f"{units} hidden ReLU units with dropout {dropout} reach > 95 % validation accuracy.",
        code=mlp_code(units, lr, dropout),
        params=params,
        data=DIGITS_DATA,
        env=ENV,
        tags=tags,
        notebook=notebook,
        nearest=nearest,
    )
    if epochs:
        store.add_points(run_id, curves(epochs, 0.25 + units / 512, ceiling, run_id))
    if finish:
        store.finish_run(run_id, "finished")
    return run_id


def keras_params(*, lr: float, units: int, seed: int) -> dict[str, Any]:
    """The parameters a real Keras run of the digits MLP records (``capture/model_params``):
    ``lr`` as bound in the cell, and its mirrors ``optimizer.learning_rate`` (the float32
    Keras hands back), ``model.layers`` and ``model.params`` (functions of ``units``)."""
    import struct

    float32 = struct.unpack("f", struct.pack("f", lr))[0]
    return {
        "lr": lr, "units": units, "seed": seed,
        "model": {"class": "Sequential", "params": 64 * units + units + units * 10 + 10,
                  "layers": [f"Dense({units}, relu)", "Dense(10, softmax)"]},
        "optimizer": {"class": "Adam", "learning_rate": float32, "beta_1": 0.9},
        "loss": "sparse_categorical_crossentropy",
        "fit": {"epochs": 20, "batch_size": 32, "validation_split": 0.2},
    }  # fmt: skip


def logreg_run(store: Store, *, C: float = 1.0, score: float = 0.951) -> int:
    run_id = store.create_run(
        experiment="digits-logreg",
        fingerprint=f"fp-logreg-{C}",
        hypothesis="A linear model already separates the digits well (> 90 % test accuracy).",
        code=f"C = {C}\nclf = LogisticRegression(C=C, max_iter=500).fit(X_train, y_train)\n"
        "accuracy_score(y_test, clf.predict(X_test))\n",
        params={"C": C, "estimator": {"class": "LogisticRegression", "max_iter": 500}},
        data=DIGITS_DATA,
        env=ENV,
        tags=("baseline",),
    )
    store.add_points(
        run_id, [MetricPoint(name="accuracy_score", value=score, step=0, kind="value")]
    )
    store.finish_run(run_id, "finished")
    return run_id


def backdate(store: Store, run_id: int, ago: float, duration: float | None) -> None:
    """Move a run back in time (for pictures that do not say "just now" everywhere).

    The store stamps runs with the clock; this rewrites the stamps in place,
    leaving a running run's heartbeat alone.
    """
    import time

    from nbjournal.store import schema

    started = time.time() - ago
    values: dict[str, Any] = {"started": started, "updated": started + (duration or 0.0)}
    if duration is not None:
        values["ended"] = started + duration
    with store.engine.begin() as connection:
        connection.execute(schema.runs.update().where(schema.runs.c.id == run_id).values(**values))


def bulk_sweep(store: Store, experiment: str, count: int, seed: int = 7) -> list[int]:
    """``count`` finished runs of a sweep over ``lr``, ``units`` and ``act``, written
    straight into the journal's tables in a few transactions.

    A shortcut for volume only (10,000 runs through ``create_run`` take minutes
    on a shared machine); the rows are shaped as the store writes them, and
    every fifth run has an inference with a verdict.
    """
    import json
    import time

    from nbjournal.store import schema

    rng = random.Random(seed)
    now = time.time() - count - 3600.0
    with store.engine.begin() as connection:
        first = int(connection.execute(schema.runs.select().with_only_columns(
            schema.runs.c.id).order_by(schema.runs.c.id.desc()).limit(1)).scalar() or 0) + 1  # fmt: skip
        ids = list(range(first, first + count))
        runs, metrics, inferences = [], [], []
        for i, run_id in enumerate(ids):
            flat = {
                "units": rng.choice([32, 64, 128, 256]),
                "lr": rng.choice([1e-2, 3e-3, 1e-3, 3e-4]),
                "act": rng.choice(["relu", "tanh", "gelu"]),
                "fit.epochs": 30,
            }
            # the network learns best at lr 3e-3 and wide layers, tanh a little worse
            accuracy = (
                0.9
                + 0.02 * math.log2(flat["units"] / 32) / 3
                - 0.015 * abs(math.log10(flat["lr"] / 3e-3))
                - (0.01 if flat["act"] == "tanh" else 0.0)
                + rng.gauss(0.0, 0.006)
            )
            started = now + i
            runs.append({
                "id": run_id, "experiment": experiment,
                "status": "failed" if i % 97 == 96 else "finished",
                "started": started, "ended": started + rng.uniform(5, 60),
                "updated": started + 60.0, "heartbeat": started + 60.0,
                "hypothesis": "Wider layers at a moderate learning rate generalise best.",
                "code": "model.fit(X, y)\n", "fingerprint": f"{experiment}-{run_id:032x}",
                "params": json.dumps(flat), "params_flat": json.dumps(flat),
                "data": "[]", "env": "{}", "tags": "[]", "diagnoses": "[]",
            })  # fmt: skip
            for name, value, goal in (
                ("val_accuracy", accuracy, "max"),
                ("loss", max(0.01, 1.0 - accuracy + rng.gauss(0.0, 0.01)), "min"),
            ):
                metrics.append({"run_id": run_id, "name": name, "last": value,
                                "last_epoch": 29, "best": value, "best_epoch": 29,
                                "goal": goal, "count": 30})  # fmt: skip
            if i % 5 == 0:
                verdict = (
                    "supported" if accuracy > 0.91 else "refuted" if accuracy < 0.895 else None
                )
                inferences.append({"run_id": run_id, "text": f"run {run_id}: {accuracy:.3f}",
                                   "verdict": verdict, "created": started + 61.0})  # fmt: skip
        connection.execute(schema.runs.insert(), runs)
        connection.execute(schema.latest_metrics.insert(), metrics)
        connection.execute(schema.inferences.insert(), inferences)
    return ids


def bulk_curves(store: Store, run_ids: list[int], epochs: int = 30) -> None:
    """Per-epoch ``val_accuracy`` and ``loss`` curves for runs written by :func:`bulk_sweep`,
    each rising (or falling) to the run's recorded final value, in one transaction."""
    import sqlalchemy as sa

    from nbjournal.store import schema

    latest = schema.latest_metrics
    with store.engine.begin() as connection:
        finals = connection.execute(
            sa.select(latest.c.run_id, latest.c.name, latest.c.last, schema.runs.c.started)
            .join(schema.runs, schema.runs.c.id == latest.c.run_id)
            .where(latest.c.run_id.in_(run_ids))
        ).all()
        points = []
        for run_id, name, last, started in finals:
            for epoch in range(epochs):
                progress = 1 - math.exp(-0.2 * (epoch + 1))
                end = 1 - math.exp(-0.2 * epochs)
                value = last * progress / end if name != "loss" else last + (1 - progress) * 2
                points.append({"run_id": run_id, "name": name, "kind": "epoch", "part": 0,
                               "step": epoch, "epoch": epoch, "value": value,
                               "time": started + epoch * 1.5})  # fmt: skip
        connection.execute(schema.metric_points.insert(), points)
