"""The comparison rule's costs (issue 20): one verdict on ≤ 50 runs a side (target ≤ 50 ms),
the summary of a 100-point grid with 5 repeats each (≤ 1 s: every point's interval and the
best against every other), and the closest-run line with its repeats' noise at 10,000 runs
(≤ 20 ms; the nearest search is timed by ``bench_insights``, this adds the repeats)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from nbjournal.analysis.comparison import compare_values
from nbjournal.analysis.grid_table import GridTable
from nbjournal.store import Grid, Store
from nbjournal.store.records import GridPoint, MetricSummary


def _median(work, repeats: int = 20) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def grid(points: int = 100, repeats: int = 5) -> Grid:
    """A synthetic finished grid: ``units`` × ``lr``, one noisy metric."""
    rng = np.random.default_rng(0)
    rows = []
    for p in range(points):
        values = {"units": 16 * (1 + p % 10), "lr": 10.0 ** -(1 + p // 10), "seed": 0}
        for r in range(repeats):
            value = 0.9 - 0.001 * (p % 10) + rng.normal(0, 0.01)
            summary = MetricSummary("val_accuracy", value, None, value, None, "max", 1)
            rows.append(
                GridPoint(
                    len(rows) + 1, p, {**values, "seed": r}, "finished", 0.0, 1.0,
                    {"val_accuracy": summary},
                )
            )  # fmt: skip
    return Grid(
        1, "bench", 0.0, 0.0, "", {}, points, len(rows), len(rows), 0, 0, points=tuple(rows)
    )


def run() -> None:
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it)"
    )
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 50), rng.normal(0.3, 1, 50)
    compare_values(a, b)  # imports SciPy
    once = _median(lambda: compare_values(a, b))
    print(f"one verdict, 50 runs a side: {once * 1000:.1f} ms (target ≤ 50 ms)")
    paired = _median(lambda: compare_values(a, b, seeds_a=range(50), seeds_b=range(50)))
    print(f"one paired verdict, 50 runs a side: {paired * 1000:.1f} ms (target ≤ 50 ms)")
    record = grid()
    summary = _median(lambda: GridTable(record).best_text(), repeats=5)
    print(f"summary of a 100-point grid, 5 repeats each: {summary:.3f} s (target ≤ 1 s)")
    with tempfile.TemporaryDirectory() as folder:
        from .bench_insights import build, time_nearest

        store = Store(f"sqlite:///{Path(folder) / 'journal.db'}")
        build(store, "sweep-10000", 10_000, seed=1)
        wall, cpu = time_nearest(store, "sweep-10000")
        print(
            f"closest-run line with its repeats at 10,000 runs: {wall * 1000:.1f} ms wall, "
            f"{cpu * 1000:.1f} ms CPU (target ≤ 20 ms)"
        )
        store.close()
