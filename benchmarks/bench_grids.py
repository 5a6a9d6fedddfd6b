"""Grids: deciding that a point is done on a 100,000-run journal, the cost of a grid of trivial
points beside one trivial cell, and the bytes the grid view sends per point over 200 points.

Targets (issue "Grids that resume"): ≤ 5 ms per point decided done; 20 trivial points
≤ 20× one trivial ``%%experiment`` cell; bytes per point flat over a 200-point grid.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RUNS = 100_000


def _shell() -> Any:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "nbjournal")
    shell.run_cell("import numpy as np\ndata = np.arange(10_000.0)")
    return shell


def _quiet(shell: Any, cell: str) -> float:
    from IPython.utils.capture import capture_output

    start = time.perf_counter()
    with capture_output():
        result = shell.run_cell(cell)
    result.raise_error()
    return time.perf_counter() - start


def _fill(store: Any, count: int) -> None:
    """``count`` finished runs with fingerprints of their own, written in bulk."""
    from nbjournal.store import schema

    now = time.time()
    rng = random.Random(0)
    rows = [
        {
            "experiment": f"exp-{i % 50}", "status": "finished", "started": now, "ended": now,
            "updated": now, "heartbeat": now, "hypothesis": "", "code": "",
            "fingerprint": f"{rng.getrandbits(256):064x}", "params": "{}", "params_flat": "{}",
            "data": "[]", "env": "{}", "tags": "[]", "diagnoses": "[]",
        }
        for i in range(count)
    ]  # fmt: skip
    with store.engine.begin() as connection:
        for start in range(0, count, 10_000):
            connection.execute(schema.runs.insert(), rows[start : start + 10_000])


def done_decision() -> dict[str, float]:
    """A 200-point grid re-run on a journal of 100,000 runs: every point is found done."""
    from nbjournal.store import open_store

    shell = _shell()
    a_values, b_values = ",".join(map(str, range(20))), ",".join(map(str, range(10)))
    cell = f"%%experiment bench-grid --grid a=[{a_values}] --grid b=[{b_values}]"
    body = "\nvalue = float(data.sum()) + a * b\nvalue"
    _quiet(shell, cell + body)  # the 200 points, run once
    store = open_store()
    _fill(store, RUNS - 200)
    samples = [_quiet(shell, cell + body) for _ in range(5)]
    whole = statistics.median(samples)

    from nbjournal.grids.expand import make_spec, points
    from nbjournal.runs.cell import plan_cell, plan_point

    def decide() -> float:
        start = time.perf_counter()
        plan = plan_cell(
            shell, "bench-grid", body, hypothesis=None, params={}, tags=[], point_names=["a", "b"]
        )
        spec = make_spec({"a": list(range(20)), "b": list(range(10))})
        fingerprints = [plan_point(plan, v).fingerprint for v in points(spec)]
        found = store.finished_fingerprints(fingerprints)
        assert len(found) == 200
        return time.perf_counter() - start

    decided = statistics.median(decide() for _ in range(7))

    from nbjournal.display.grid_summary_view import show_summary

    grid_id = store.list_grids()[0].id
    summary_s = []
    for _ in range(3):
        start = time.perf_counter()
        show_summary(store.get_grid(grid_id), lambda *a, **k: None)
        summary_s.append(time.perf_counter() - start)
    return {
        "runs in the journal": float(RUNS),
        "decide 200 points done (ms per point)": decided / 200 * 1000,
        "re-run the 200-point cell, all skipped (ms per point)": whole / 200 * 1000,
        "  of which the summary table and chart, once (ms)": statistics.median(summary_s) * 1000,
    }


def trivial_points() -> dict[str, float]:
    """20 trivial points (no fit) beside one trivial recorded cell, measured interleaved
    (the machine is shared: a cell's cost drifts by 2x over a minute)."""
    shell = _shell()
    counter = iter(range(10**6))
    _quiet(shell, f"%%experiment bench-cell\nvalue = float(data.sum()) + {next(counter)}")
    cells, grids = [], []
    points = ",".join(map(str, range(20)))
    for _ in range(5):
        for _ in range(3):
            cells.append(
                _quiet(
                    shell, f"%%experiment bench-cell\nvalue = float(data.sum()) + {next(counter)}"
                )
            )
        grids.append(
            _quiet(
                shell,
                f"%%experiment bench-twenty --grid a=[{points}]\n"
                f"value = float(data.sum()) + a + {next(counter)}",
            )
        )
    one, grid = statistics.median(cells), statistics.median(grids)
    return {
        "one trivial cell (ms)": one * 1000,
        "20-point grid (ms)": grid * 1000,
        "grid / cell (target ≤ 20)": grid / one,
    }


def view_bytes() -> dict[str, float]:
    """What the grid's table widget sends per point, early and late in a 200-point grid."""
    from nbjournal.grids import cell_grid
    from nbjournal.grids.view import WidgetGridView

    per_point: list[int] = []

    class Counting(WidgetGridView):
        def begin(self, progress: Any, message: str) -> None:
            self._draw(progress)

        def point_sinks(self) -> list[Any]:
            return []

        def point_ended(self, progress: Any, index: int) -> None:
            before = self.sent
            super().point_ended(progress, index)
            per_point.append(self.sent - before)

    shell = _shell()
    original = cell_grid.grid_view
    cell_grid.grid_view = lambda live: Counting()  # type: ignore[assignment]
    try:
        values = ",".join(map(str, range(200)))
        _quiet(shell, f"%%experiment bench-bytes --grid a=[{values}]\n{{'score': (a * 7) % 13}}")
    finally:
        cell_grid.grid_view = original
    first, last = per_point[10:30], per_point[-20:]
    return {
        "bytes per point, points 10-30": statistics.mean(first),
        "bytes per point, last 20": statistics.mean(last),
        "last / first": statistics.mean(last) / statistics.mean(first),
    }


def run() -> dict[str, dict[str, float]]:
    results = {}
    for title, bench in (
        ("deciding points done, 100,000-run journal", done_decision),
        ("20 trivial points beside one trivial cell", trivial_points),
        ("grid view bytes per point, 200 points", view_bytes),
    ):
        with tempfile.TemporaryDirectory() as home:
            os.environ["NBJOURNAL_HOME"] = home
            os.environ["NBJOURNAL_LIVE"] = "off"
            from nbjournal.store import forget_stores

            forget_stores()
            results[title] = bench()
            forget_stores()
        print(f"\n{title}")
        for name, value in results[title].items():
            print(f"  {name:<55} {value:10.3f}")
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    run()
