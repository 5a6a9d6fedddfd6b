"""Insights and the nearest-run lookup on big histories (1,000 and 10,000 runs of one experiment).

The journals are written with one bulk insert into the store's own tables (the
rows a finished run leaves: ``runs`` and its ``latest_metrics``), since the
figures are about reading: writing 10,000 runs one transaction at a time would
only make the benchmark slow. Targets (issue 9): insights ≤ 2 s at 1,000 runs
and ≤ 10 s at 10,000; the nearest run ≤ 20 ms at 10,000.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from nbjournal.analysis.insights import insights
from nbjournal.analysis.nearest import find_nearest
from nbjournal.rules.params import listing_params as flatten
from nbjournal.store import Store, schema
from nbjournal.store.serialize import dumps

SIZES = (1_000, 10_000)
CODE = "model = make(units, dropout)\nmodel.fit(X, y, epochs=epochs)\n"


def build(store: Store, experiment: str, count: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    now = time.time()
    runs, metrics = [], []
    for i in range(count):
        params = {
            "lr": float(10 ** rng.uniform(-4, -1)),
            "units": int(rng.choice([16, 32, 64, 128, 256])),
            "dropout": float(rng.choice([0.0, 0.1, 0.25, 0.5])),
            "activation": str(rng.choice(["relu", "tanh", "gelu"])),
            "epochs": 20,
            "optimizer": {"class": "Adam", "learning_rate": None},
        }
        params["optimizer"]["learning_rate"] = params["lr"]
        value = 0.95 - 0.06 * (np.log10(params["lr"]) + 2.5) ** 2 + rng.normal(0, 0.01)
        started = now - (count - i) * 60
        runs.append({
            "experiment": experiment, "status": "finished", "started": started,
            "ended": started + 30, "updated": started + 30, "heartbeat": started + 30,
            "hypothesis": "", "code": CODE, "fingerprint": f"{seed}-{i}",
            "params": dumps(params), "params_flat": dumps(flatten(params)), "data": "[]",
            "env": "{}", "tags": "[]", "diagnoses": "[]", "data_fingerprint": "digits",
        })  # fmt: skip
        metrics.append(float(value))
    with store.engine.begin() as connection:
        first = connection.execute(schema.runs.insert().returning(schema.runs.c.id), runs)
        ids = [row[0] for row in first]
        connection.execute(
            schema.latest_metrics.insert(),
            [
                {
                    "run_id": run_id,
                    "name": "val_accuracy",
                    "last": v,
                    "last_epoch": 19,
                    "best": v,
                    "best_epoch": 19,
                    "goal": "max",
                    "count": 20,
                }
                for run_id, v in zip(ids, metrics, strict=True)
            ],
        )
        connection.execute(
            schema.inferences.insert(),
            [
                {"run_id": run_id, "text": "too large a step", "verdict": "refuted", "created": now}
                for run_id in ids[::97]
            ],
        )


def time_insights(store: Store, experiment: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one insights call."""
    wall, cpu = time.perf_counter(), time.process_time()
    found = insights(store, experiment)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert not found.importances.empty and len(found.suggestions) == 5
    return wall, cpu


def time_nearest(store: Store, experiment: str, repeats: int = 25) -> tuple[float, float]:
    """Median (wall, CPU) seconds of the nearest-run search for a new cell."""
    params = flatten({"lr": 0.003, "units": 64, "dropout": 0.1, "activation": "relu", "epochs": 20})
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        found = find_nearest(
            store, experiment=experiment, params=params, code=CODE, data_fingerprint="digits"
        )
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert found is not None
    return statistics.median(walls), statistics.median(cpus)


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'journal.db'}")
        for size in SIZES:
            build(store, f"sweep-{size}", size, seed=size)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow")
        print("with it; CPU time is this process's own work)")
        cold, _ = time_insights(store, f"sweep-{SIZES[0]}")  # imports Optuna and SciPy
        print(f"insights, first call in a process (imports): {cold:.2f} s")
        for size in SIZES:
            wall, cpu = min(time_insights(store, f"sweep-{size}") for _ in range(2))
            target = 2.0 if size <= 1_000 else 10.0
            print(
                f"insights over {size:>6,} runs: {wall:.2f} s wall, {cpu:.2f} s CPU "
                f"(target ≤ {target:.0f} s)"
            )
        for size in SIZES:
            wall, cpu = time_nearest(store, f"sweep-{size}")
            print(
                f"nearest run among {size:>6,} runs: {wall * 1000:.1f} ms wall, "
                f"{cpu * 1000:.1f} ms CPU, medians (target ≤ 20 ms)"
            )
        store.close()


if __name__ == "__main__":
    run()
