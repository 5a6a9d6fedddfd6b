"""Grids on a 2-worker local Dask cluster beside the same fits run other ways, and the cost per
point of a trivial body beyond a bare ``client.submit``.

Targets (issue "Grids on a Dask cluster"): an 8-point grid of ~2 s Keras fits on the cluster
takes ≤ 1.1× two plain Python processes side by side running the same fits, and ≤ 0.8× the
grid run locally one point after another; ≤ 50 ms per point of a trivial body beyond Dask's
own task round trip. Every side starts in fresh processes (each pays its TensorFlow import).
The machine is shared: each arm runs in every round, in a turning order, with the load
average and CPU seconds printed beside its wall time; the ratios are medians of the rounds'
own ratios (``NBJOURNAL_BENCH_ROUNDS``, 3 by default). Every arm starts on a new journal,
already created. The cluster's workers have one thread each (``threads_per_worker=1``), as
the README's cluster: TensorFlow's own threads then use the cores, as in the plain processes.
"""

from __future__ import annotations

import os
import resource
import statistics
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


def _dask_grid(env: dict[str, str]) -> tuple[float, float, str]:
    """The grid on a fresh 2-worker local cluster (the workers pay their imports too), and
    where its time went, read from the journal: the grid's start to each worker's first
    run, the runs themselves, the gaps between them, the end to the summary shown."""
    body = textwrap.dedent("""
        import sys, time
        import nbjournal
        from distributed import Client, LocalCluster
        from nbjournal.store import open_store

        if __name__ == "__main__":
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
            t0, start = time.time(), time.perf_counter()
            nbjournal.run_grid("bench-dask", fit, grid=GRID, engine="dask", live=False)
            wall, t1 = time.perf_counter() - start, time.time()
            store = open_store()
            grid = store.list_grids("bench-dask")[0]
            runs = [store.get_run(p.run_id) for p in store.get_grid(grid.id).points]
            workers = {}
            for run in sorted(runs, key=lambda r: r.started):
                workers.setdefault(run.pid, []).append(run)
            first = min(rs[0].started for rs in workers.values()) - t0
            busy = sum(r.ended - r.started for r in runs) / len(workers)
            gaps = sum(b.started - a.ended for rs in workers.values() for a, b in zip(rs, rs[1:]))
            tail = t1 - max(r.ended for r in runs)
            firsts = sorted(rs[0].ended - rs[0].started for rs in workers.values())
            later = sorted(r.ended - r.started for rs in workers.values() for r in rs[1:])
            print(f"RESULT {wall}", file=sys.stderr)
            print(f"BREAKDOWN first run starts {first:.2f} s in; runs {busy:.2f} s a worker "
                  f"(first point {firsts[0]:.2f}-{firsts[-1]:.2f} s, the others median "
                  f"{later[len(later) // 2]:.2f} s); gaps between runs {gaps:.2f} s in all; "
                  f"last run's end to the summary shown {tail:.2f} s", file=sys.stderr)
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
    lines = done.stderr.splitlines()
    line = next(x for x in lines if x.startswith("RESULT"))
    breakdown = next(x for x in lines if x.startswith("BREAKDOWN")).removeprefix("BREAKDOWN ")
    return float(line.split()[1]), used, breakdown


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


def _fresh_journal(base: dict[str, str], home: str) -> dict[str, str]:
    """An environment whose journal is a new, empty one, created here: no arm pays for it."""
    env = {**base, "NBJOURNAL_HOME": home}
    subprocess.run(
        [sys.executable, "-c", "from nbjournal.store import open_store; open_store()"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    return env


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def run() -> None:
    base = {
        **os.environ,
        "NBJOURNAL_LIVE": "off",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    base.pop("NBJOURNAL_URL", None)
    rounds = int(os.environ.get("NBJOURNAL_BENCH_ROUNDS", "3"))
    arms = {"a": _sequential_grid, "b": _plain_pair, "dask": _dask_grid}
    walls: dict[str, list[float]] = {name: [] for name in arms}
    ratios_b, ratios_a = [], []
    print(f"8 fits of ~2 s ({EPOCHS} epochs on digits), {rounds} rounds, the arms' order turning:")
    for index in range(rounds):
        order = list(arms)[index % 3 :] + list(arms)[: index % 3]
        seen: dict[str, float] = {}
        for name in order:
            with tempfile.TemporaryDirectory() as home:
                load = _load()
                wall, cpu, *rest = arms[name](_fresh_journal(base, home))
            seen[name] = wall
            walls[name].append(wall)
            extra = f"; {rest[0]}" if rest else ""
            print(
                f"  round {index + 1} {name:>4}: {wall:5.1f} s wall, {cpu:5.1f} s CPU ({load}){extra}"
            )
        ratios_b.append(seen["dask"] / seen["b"])
        ratios_a.append(seen["dask"] / seen["a"])
    med = {name: statistics.median(values) for name, values in walls.items()}
    print("medians, wall seconds:")
    print(f"  (a) nbjournal grid, one point after another: {med['a']:.1f} s")
    print(f"  (b) two plain Python processes side by side: {med['b']:.1f} s")
    print(f"  --engine dask, 2-worker local cluster:       {med['dask']:.1f} s")
    print(
        f"  dask / (b) = {statistics.median(ratios_b):.2f} (goal ≤ 1.1; each round "
        f"{', '.join(f'{r:.2f}' for r in ratios_b)}), dask / (a) = "
        f"{statistics.median(ratios_a):.2f} (goal ≤ 0.8; each round "
        f"{', '.join(f'{r:.2f}' for r in ratios_a)})"
    )
    with tempfile.TemporaryDirectory() as home:
        print(f"({_load()})", end=" ")
        _overhead(_fresh_journal(base, home))


if __name__ == "__main__":
    run()
