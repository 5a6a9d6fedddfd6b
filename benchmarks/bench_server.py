"""How fast the REST API answers on a big journal: 100,000 runs, a run of 100,000 points.

The sidebar opens on ``GET runs`` (first page) and a run view draws
``GET runs/{id}/metrics``; both must feel instant (goal: under 100 ms) however
long the journal has been in use. This times the work a handler does for them
(the store query, the payload, the JSON text), without HTTP in between, on a
SQLite journal filled the fast way (executemany through the schema's tables).

Run with ``python -m benchmarks.bench_server``.
"""

from __future__ import annotations

import json
import math
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.page_timing import median_ms

RUNS = 100_000
POINTS = 100_000
EXPERIMENTS = 200
GOAL_MS = 100.0
REPEATS = 9
_CHUNK = 5_000


def run() -> dict[str, Any]:
    """Fill a journal in a temporary folder, time each request, print a table, return figures."""
    with tempfile.TemporaryDirectory(prefix="nbjournal-bench-") as folder:
        from nbjournal.store import Store

        store = Store("sqlite:///" + str(Path(folder) / "journal.db"))
        try:
            started = time.perf_counter()
            long_run = _populate(store)
            fill_s = time.perf_counter() - started
            results = _measure(store, long_run)
        finally:
            store.close()
    _print_table(results, fill_s)
    return {"runs": RUNS, "points": POINTS, "fill_s": round(fill_s, 1), "timings_ms": results}


def _populate(store: Any) -> int:
    """100,000 finished runs with summaries, tags and inferences; returns the run of 100,000 points."""
    from nbjournal.store import schema

    rng = random.Random(42)
    now = time.time() - RUNS
    with store.engine.begin() as connection:
        for first in range(1, RUNS + 1, _CHUNK):
            ids = range(first, min(first + _CHUNK, RUNS + 1))
            connection.execute(schema.runs.insert(), [_run_row(i, now, rng) for i in ids])
            connection.execute(
                schema.latest_metrics.insert(),
                [row for i in ids for row in _summary_rows(i, rng)],
            )
            connection.execute(
                schema.tags.insert(), [{"run_id": i, "tag": "baseline"} for i in ids if i % 10 == 0]
            )
            connection.execute(schema.inferences.insert(), _inference_rows(ids, now))
        long_run = RUNS
        connection.execute(schema.metric_points.insert(), _point_rows(long_run, now, rng))
        connection.execute(schema.change_counter.update().values(value=RUNS))
    return long_run


def _run_row(run_id: int, now: float, rng: random.Random) -> dict[str, Any]:
    params = {"units": rng.choice([32, 64, 128]), "lr": rng.choice([1e-2, 1e-3, 1e-4])}
    return {
        "id": run_id,
        "experiment": f"experiment-{run_id % EXPERIMENTS}",
        "status": "failed" if run_id % 50 == 0 else "finished",
        "started": now + run_id,
        "ended": now + run_id + 30.0,
        "updated": now + run_id + 30.0,
        "heartbeat": now + run_id + 30.0,
        "hypothesis": f"{params['units']} units at lr {params['lr']} reach 95 %",
        "code": "units = 64\nmodel.fit(X_train, y_train, epochs=30)\n",
        "fingerprint": f"{run_id:064x}",
        "params": json.dumps(params),
        "params_flat": json.dumps(params),
        "data": "[]",
        "env": '{"python": "3.11"}',
        "tags": '["baseline"]' if run_id % 10 == 0 else "[]",
        "diagnoses": "[]",
        "change_seq": run_id,
    }


def _inference_rows(ids: range, now: float) -> list[dict[str, Any]]:
    return [
        dict(run_id=i, text=f"run {i}: wider helps", verdict="supported", created=now + i + 1)
        for i in ids
        if i % 7 == 0
    ]


def _point_rows(run_id: int, now: float, rng: random.Random) -> list[dict[str, Any]]:
    """A long, noisy, decaying batch loss."""
    return [
        dict(
            run_id=run_id,
            name="loss",
            kind="batch",
            part=0,
            step=step,
            epoch=step // 1000,
            value=2.0 * math.exp(-step / 30_000) + rng.random() * 0.1,
            time=now + step / 1000,
        )
        for step in range(POINTS)
    ]


def _summary_rows(run_id: int, rng: random.Random) -> list[dict[str, Any]]:
    accuracy = 0.8 + rng.random() * 0.19
    return [
        {"run_id": run_id, "name": "loss", "last": 0.3, "last_epoch": 29, "best": 0.28,
         "best_epoch": 27, "goal": "min", "count": 30},
        {"run_id": run_id, "name": "val_accuracy", "last": accuracy, "last_epoch": 29,
         "best": accuracy + 0.005, "best_epoch": 25, "goal": "max", "count": 30},
    ]  # fmt: skip


def _measure(store: Any, long_run: int) -> dict[str, float]:
    from nbjournal.server import endpoints

    requests: dict[str, Callable[[], Any]] = {
        "runs (first page, limit 50)": lambda: endpoints.runs_page(store, limit=50),
        "runs (page 1000 by cursor)": lambda: endpoints.runs_page(store, limit=50, cursor=50_001),
        "runs?experiment=": lambda: endpoints.runs_page(store, limit=50, experiment="experiment-7"),
        "runs?status=failed": lambda: endpoints.runs_page(store, limit=50, status="failed"),
        "runs?q=wider (many matches)": lambda: endpoints.runs_page(store, limit=50, q="wider"),
        "runs?q=zzz (no match: full scan)": lambda: endpoints.runs_page(store, limit=50, q="zzz"),
        "runs/{id}": lambda: endpoints.run_detail(store, long_run),
        "runs/{id}/metrics?max_points=1000": lambda: endpoints.metrics(store, long_run, 1000),
        "changes?since= (10 runs changed)": lambda: endpoints.changes(store, RUNS - 10),
        "experiments": lambda: endpoints.experiments(store),
    }
    return {name: median_ms(request, REPEATS) for name, request in requests.items()}


def _print_table(results: dict[str, float], fill_s: float) -> None:
    goals = {"runs (first page, limit 50)", "runs/{id}/metrics?max_points=1000"}
    print(
        f"REST API on {RUNS:,} runs and a run of {POINTS:,} points (SQLite; filled in {fill_s:.0f} s)"
    )
    print(f"{'request':40} {'median ms':>10}  goal")
    for name, ms in results.items():
        verdict = ("ok" if ms < GOAL_MS else "MISSED") if name in goals else ""
        goal = f"< {GOAL_MS:.0f} ms {verdict}" if name in goals else ""
        print(f"{name:40} {ms:10.1f}  {goal}")
    print(f"(median of {REPEATS}; cpu count {os.cpu_count()})")


if __name__ == "__main__":
    run()
