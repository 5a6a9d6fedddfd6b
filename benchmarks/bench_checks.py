"""What the checks before ``fit`` cost: on 100,000 × 100 float32, and beside one digits epoch.

Two figures, each the median of ``NBJOURNAL_BENCH_REPS`` repetitions (default 7):

- every check (``run_checks``, the arrays' preparation included) on 100,000 rows of
  100 standardised float32 columns, ten shuffled classes, ``validation_split=0.2``
  and a compiled Keras MLP; the budget is 1 s. The time of each check alone follows.
- the same on the quickstart's digits fit (1,347 × 64, 20 % validation, the 64-10
  MLP), as a share of one epoch of that fit (batch 32, CPU; the median epoch of
  one ``fit``, its first, tracing, epoch left out); the budget is 5 %.
  The checks run once per ``fit``, so this share is paid once, not per epoch.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

REPETITIONS = int(os.environ.get("NBJOURNAL_BENCH_REPS", "7"))


def _median(function: Callable[[], Any], repetitions: int = REPETITIONS) -> float:
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _model(inputs: int, units: int) -> Any:
    import keras

    model = keras.Sequential(
        [
            keras.Input((inputs,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(units, activation="softmax"),
        ]
    )
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy")
    return model


def large() -> dict[str, float]:
    from nbjournal.checks import FitData, run_checks
    from nbjournal.checks.registry import ORDER, REGISTRY

    rng = np.random.default_rng(0)
    x = rng.standard_normal((100_000, 100), dtype=np.float32)
    y = rng.integers(0, 10, 100_000)
    model = _model(100, 10)

    def fresh() -> FitData:
        return FitData(x, y, validation_split=0.2, batch_size=32, model=model)

    report = run_checks(fresh())
    assert report.findings == [] and report.skipped == [], report
    figures = {"all": _median(lambda: run_checks(fresh()))}
    for name in ORDER:
        if name in REGISTRY:
            figures[name] = _median(lambda name=name: list(REGISTRY[name](fresh())))
    return figures


def digits() -> tuple[float, float]:
    import keras
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    from nbjournal.checks import FitData, run_checks

    x, y = load_digits(return_X_y=True)
    x_train, _, y_train, _ = train_test_split(x / 16.0, y, test_size=0.25, random_state=0)
    keras.utils.set_random_seed(0)
    model = _model(64, 10)
    model.fit(x_train[:32], y_train[:32], epochs=1, verbose=0)  # tracing is not an epoch

    checks = _median(
        lambda: run_checks(FitData(x_train, y_train, validation_split=0.2, model=model)),
        repetitions=max(REPETITIONS, 15),
    )
    epochs: list[float] = []

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            epochs.append(time.perf_counter() - self.start)

    model.fit(
        x_train,
        y_train,
        validation_split=0.2,
        epochs=REPETITIONS + 1,
        batch_size=32,
        verbose=0,
        callbacks=[EpochTimer()],
    )
    return checks, statistics.median(epochs[1:])  # the first epoch traces the functions


def run() -> None:
    figures = large()
    print(
        f"all checks, 100,000 x 100 float32, 10 classes, validation_split=0.2: "
        f"{figures.pop('all') * 1000:.0f} ms (budget 1,000 ms)"
    )
    print("  each check alone: " + ", ".join(f"{n} {t * 1000:.1f} ms" for n, t in figures.items()))
    checks, epoch = digits()
    print(
        f"quickstart digits fit: checks {checks * 1000:.1f} ms, one epoch {epoch * 1000:.0f} ms "
        f"-> {100 * checks / epoch:.2f} % of an epoch (budget 5 %)"
    )


if __name__ == "__main__":
    run()
