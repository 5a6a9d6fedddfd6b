"""Restore on duplicate: what saving artifacts costs, what restoring saves, what dedup keeps.

The cell is the quickstart's digits MLP (scikit-learn's ``load_digits``,
64 ReLU units, Adam, batch 32, 20 epochs, 20 % validation, CPU), run as an
``%%experiment`` cell with ``--no-live`` in a real IPython shell, binding
``model`` and ``history``. Figures, each the median of the repetitions:

- ``cell (train + save)``: the whole cell's wall time with ``--force``.
- ``save on the kernel's thread``: encoding the cell's names and value (the
  ``.keras`` file of the model, the History, the numbers), which the cell waits
  for; ``written in the background``: blobs and records, which it does not.
  Goal: the first ≤ 5 % of the cell.
- ``restore (identical cell)``: the identical cell, which finds the run and
  loads its model and history instead of training. Goal: ≤ 10 % of the cell.
- dedup: two runs that bind the same 4 MB array (and a different small value)
  store it once; bytes on disk against the bytes of their artifacts.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

REPETITIONS = int(os.environ.get("NBJOURNAL_BENCH_ARTIFACT_REPS", "5"))

DATA = """
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
import keras
X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
"""

CELL = """%%experiment bench-artifacts --no-live {flags}
keras.utils.set_random_seed(0)
units = 64
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(units, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(X_train, y_train, validation_split=0.2, epochs=20, batch_size=32, verbose=0)
{{"test_accuracy": model.evaluate(X_test, y_test, verbose=0)[1]}}
"""


def restore_against_training() -> dict[str, float]:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from nbjournal.artifacts import BlobStore, save_snapshot, snapshot, wait_for_saves
    from nbjournal.config import artifact_limit_bytes
    from nbjournal.store import open_store

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "nbjournal")
    shell.run_cell(DATA)

    def timed(cell: str) -> float:
        wait_for_saves()
        start = time.perf_counter()
        with capture_output():
            result = shell.run_cell(cell)
        elapsed = time.perf_counter() - start
        result.raise_error()
        return elapsed

    timed(CELL.format(flags="--force"))  # warm: tracing, first imports
    cells, restores, encodes, writes = [], [], [], []
    for _ in range(REPETITIONS):
        cells.append(timed(CELL.format(flags="--force")))
        restores.append(timed(CELL.format(flags="")))
        values = {n: shell.user_ns[n] for n in ("keras", "units", "model", "history")}
        start = time.perf_counter()
        taken = snapshot(values, {"test_accuracy": 0.95}, limit=artifact_limit_bytes())
        encodes.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder:  # a fresh store: every blob written
            start = time.perf_counter()
            save_snapshot(open_store(), BlobStore(folder), 1, taken)
            writes.append(time.perf_counter() - start)
    cell, restore, encode = map(statistics.median, (cells, restores, encodes))
    return {
        "cell (train + save), s": cell,
        "save on the kernel's thread, s": encode,
        "written in the background, s": statistics.median(writes),
        "save on the thread / cell, %": 100 * encode / cell,
        "restore (identical cell), s": restore,
        "restore / cell, %": 100 * restore / cell,
        "stored per run (model + history), kB": taken.stored_bytes / 1e3,
    }


def dedup() -> dict[str, float]:
    import numpy as np

    from nbjournal.artifacts import BlobStore, save_snapshot, snapshot
    from nbjournal.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{folder}/journal.db")
        blobs = BlobStore(f"{folder}/artifacts")
        shared = np.random.RandomState(0).rand(500, 1000)  # 4 MB
        sizes = 0
        for index in range(2):
            run_id = store.create_run(experiment="dedup", fingerprint=f"dedup-{index}")
            taken = snapshot({"X": shared.copy(), "lr": 10.0**-index}, None, limit=10**9)
            save_snapshot(store, blobs, run_id, taken)
            sizes += sum(a.size for a in store.artifacts(run_id))
        on_disk = blobs.total_bytes()
        store.close()
    return {
        "artifact bytes of 2 runs, MB": sizes / 1e6,
        "bytes in the blob store, MB": on_disk / 1e6,
        "stored / artifact bytes, %": 100 * on_disk / sizes,
    }


def run() -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as home:
        os.environ["NBJOURNAL_HOME"] = home
        os.environ.pop("NBJOURNAL_URL", None)
        os.environ.pop("NBJOURNAL_ARTIFACTS", None)
        results = {
            f"quickstart MLP cell, median of {REPETITIONS}": restore_against_training(),
            "identical arrays across runs": dedup(),
        }
    for title, figures in results.items():
        print(f"\n{title}")
        for name, value in figures.items():
            print(f"  {name:<42} {value:10.4g}")
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    run()
