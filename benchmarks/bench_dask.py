"""Grids on a 2-worker local Dask cluster beside the same fits run other ways, and the cost per
point of a trivial body beyond a bare ``client.submit``.

Targets (issue "Grids on a Dask cluster"): an 8-point grid of ~2 s Keras fits on the cluster
takes ≤ 1.1× two plain Python processes side by side running the same fits, and ≤ 0.8× the
grid run locally one point after another; ≤ 50 ms per point of a trivial body beyond Dask's
own task round trip. Every side starts in fresh processes (each pays its TensorFlow import).
The machine is shared: CPU seconds are printed beside the wall times.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GRID = {"units": [16, 32, 64, 128], "lr": [1e-2, 1e-3]}
EPOCHS = 12  # about 2 s a fit on this machine (digits, 64-units MLP, batch 32)
TRIVIAL_POINTS = 24

FIT = """
def fit(units, lr):
    import keras
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = X.astype("float32") / 16
    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(keras.optimizers.Adam(lr), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X, y, validation_split=0.2, epochs=EPOCHS, batch_size=32, verbose=0)
    return {"val_accuracy": history.history["val_accuracy"][-1]}
"""


def _script(body: str) -> str:
    return textwrap.dedent(f"EPOCHS = {EPOCHS}\nGRID = {GRID!r}\n{FIT}\n{body}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _processes(scripts: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``scripts`` run side by side, each in a fresh Python."""
    cpu, start = _children_cpu(), time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, "-c", s], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        for s in scripts
    ]
    for p in procs:
        if p.wait() != 0:
            raise RuntimeError("a benchmark process failed")
    return time.perf_counter() - start, _children_cpu() - cpu


def _points() -> list[dict[str, Any]]:
    import itertools

    return [dict(zip(GRID, v, strict=True)) for v in itertools.product(*GRID.values())]


def _plain_pair(env: dict[str, str]) -> tuple[float, float]:
    """(b): the eight fits split over two plain Python processes, side by side."""
    points = _points()
    halves = [points[0::2], points[1::2]]
    return _processes([_script(f"for p in {half!r}:\n    fit(**p)\n") for half in halves], env)


def _sequential_grid(env: dict[str, str]) -> tuple[float, float]:
    """(a): the grid through nbjournal in one process, one point after another."""
    body = "import nbjournal\nnbjournal.run_grid('bench-seq', fit, grid=GRID, live=False)\n"
    return _processes([_script(body)], env)


def _dask_grid(env: dict[str, str]) -> tuple[float, float]:
    """The grid on a fresh 2-worker local cluster (the workers pay their imports too)."""
    body = textwrap.dedent("""
        import sys, time
        import nbjournal
        from distributed import Client, LocalCluster

        if __name__ == "__main__":
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
            start = time.perf_counter()
            nbjournal.run_grid("bench-dask", fit, grid=GRID, engine="dask", live=False)
            wall = time.perf_counter() - start
            print(f"RESULT {wall}", file=sys.stderr)
            client.close(); cluster.close()
    """)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dask_grid.py"
        path.write_text(_script(body))
        cpu = _children_cpu()
        done = subprocess.run(
            [sys.executable, str(path)], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        used = _children_cpu() - cpu  # the notebook's process and its workers, all waited for
    line = next(x for x in done.stderr.splitlines() if x.startswith("RESULT"))
    return float(line.split()[1]), used


def _overhead(env: dict[str, str]) -> None:
    """Per point of a trivial body: a grid on the cluster beside bare ``client.submit``."""
    body = textwrap.dedent(f"""
        import statistics, sys, time
        import nbjournal
        from distributed import Client, LocalCluster

        def trivial(x):
            return x

        if __name__ == "__main__":
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
            n = {TRIVIAL_POINTS}
            nbjournal.run_grid("warm", trivial, grid={{"x": [-1, -2]}}, engine="dask", live=False)
            bare, grid = [], []
            for rep in range(3):
                start = time.perf_counter()
                client.gather([client.submit(trivial, i, pure=False) for i in range(n)])
                bare.append(time.perf_counter() - start)
                start = time.perf_counter()
                xs = list(range(rep * n, rep * n + n))  # new points each time: none skipped
                nbjournal.run_grid(f"trivial-{{rep}}", trivial, grid={{"x": xs}},
                                   engine="dask", live=False)
                grid.append(time.perf_counter() - start)
            print(f"RESULT {{statistics.median(bare)}} {{statistics.median(grid)}}", file=sys.stderr)
            client.close(); cluster.close()
    """)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "overhead.py"
        path.write_text(body)
        done = subprocess.run(
            [sys.executable, str(path)], env=env, cwd=ROOT, capture_output=True, text=True
        )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    line = next(x for x in done.stderr.splitlines() if x.startswith("RESULT"))
    bare, grid = (float(v) for v in line.split()[1:])
    n = TRIVIAL_POINTS
    print(
        f"trivial body, {n} points on the cluster: bare client.submit {bare / n * 1000:.1f} ms "
        f"a point, nbjournal grid {grid / n * 1000:.1f} ms a point (whole grid, summary "
        f"included): {(grid - bare) / n * 1000:.1f} ms a point beyond Dask's own (goal ≤ 50 ms)"
    )


def run() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "NBJOURNAL_HOME": home,
            "NBJOURNAL_LIVE": "off",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        env.pop("NBJOURNAL_URL", None)
        b_wall, b_cpu = _plain_pair(env)
        a_wall, a_cpu = _sequential_grid(env)
        d_wall, d_cpu = _dask_grid(env)
        print(f"8 fits of ~2 s ({EPOCHS} epochs on digits), wall (CPU) seconds:")
        print(f"  (a) nbjournal grid, one point after another: {a_wall:.1f} s ({a_cpu:.1f} s)")
        print(f"  (b) two plain Python processes side by side: {b_wall:.1f} s ({b_cpu:.1f} s)")
        print(f"  --engine dask, 2-worker local cluster:       {d_wall:.1f} s ({d_cpu:.1f} s)")
        print(
            f"  dask / (b) = {d_wall / b_wall:.2f} (goal ≤ 1.1), "
            f"dask / (a) = {d_wall / a_wall:.2f} (goal ≤ 0.8)"
        )
        _overhead(env)


if __name__ == "__main__":
    run()
