"""The console script: ``nbjournal runs`` on a 10,000-run journal (Python start-up included),
``nbjournal export`` of a 1,000-run journal, and ``purge`` of 100,000 metric points.

Each command runs as a user runs it, ``python -m nbjournal …`` in a subprocess, on SQLite
journals made here. Figures are the median of 3, in seconds. Goals (issue 23): runs ≤ 1 s,
export ≤ 5 s, purge ≤ 2 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _journal(path: Path, runs: int, epochs: int, experiments: int = 10) -> str:
    from nbjournal.store import MetricPoint, Store

    url = f"sqlite:///{path}"
    store = Store(url)
    for index in range(runs):
        run_id = store.create_run(
            experiment=f"exp-{index % experiments}",
            fingerprint=uuid.uuid4().hex,
            hypothesis=f"units {2 ** (index % 6 + 3)} is enough",
            code=f"units = {2 ** (index % 6 + 3)}\nmodel.fit(X, y)\n",
            params={"units": 2 ** (index % 6 + 3), "lr": 0.001 * (1 + index % 3), "seed": index},
        )
        store.add_points(
            run_id,
            [
                MetricPoint("val_accuracy", 0.5 + 0.4 * e / epochs, e, epoch=e)
                for e in range(epochs)
            ],
        )
        store.finish_run(run_id, "finished")
    store.close()
    return url


def _timed(*words: str, url: str) -> float:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NBJOURNAL_URL": url}
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nbjournal", *words], env=environment,
                       check=True, capture_output=True)  # fmt: skip
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        big = _journal(Path(folder) / "big.db", 10_000, 3)
        print(
            f"nbjournal runs --limit 50, 10,000 runs: {_timed('runs', '--limit', '50', url=big):.2f} s (goal ≤ 1 s)"
        )
        mid = _journal(Path(folder) / "mid.db", 1_000, 20)
        out = str(Path(folder) / "report.html")
        print(
            f"nbjournal export -o report.html, 1,000 runs: {_timed('export', '-o', out, url=mid):.2f} s (goal ≤ 5 s)"
        )
        purge_url = _journal(Path(folder) / "purge.db", 100, 1_000)
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "NBJOURNAL_URL": purge_url}
        subprocess.run([sys.executable, "-m", "nbjournal", "delete", "--query", "units>0"],
                       env=environment, check=True, capture_output=True)  # fmt: skip
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nbjournal", "purge"], env=environment, check=True,
                       capture_output=True)  # fmt: skip
        print(
            f"nbjournal purge, 100 runs × 1,000 points: {time.perf_counter() - start:.2f} s (goal ≤ 2 s)"
        )
