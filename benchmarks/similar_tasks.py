"""bench_similar's 24 offline tasks, its model and its search space (issue 25).

scikit-learn's shipped data sets and families drawn from ``make_classification``
/ ``make_regression`` / ``make_friedman1`` (rows, features, classes, noise and
imbalance varied). The model is scikit-learn's HistGradientBoosting (25
iterations, one thread) over four parameters; the score is accuracy or R² on a
fixed 30 % hold-out. Shared by bench_similar (warm against cold) and
similar_why (why the transfer does what it does).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

TRIALS = 50
ITERATIONS = 25
MAX_ROWS = 600
SPACE = {
    "learning_rate": (0.01, 1.0, "log"),
    "max_leaf_nodes": (4, 64, "int"),
    "min_samples_leaf": (2, 64, "int"),
    "l2_regularization": (1e-3, 10.0, "log"),
}


@dataclass
class Task:
    name: str
    make: Callable[[], tuple[Any, Any]]
    classification: bool


def tasks() -> list[Task]:
    """The 24 tasks, in the order the tables show them."""
    from sklearn import datasets as ds

    def shipped(loader: Any, keep: Callable[[Any], Any] | None = None) -> Callable[[], Any]:
        def make() -> tuple[Any, Any]:
            x, y = loader(return_X_y=True)
            if keep is not None:
                mask = keep(y)
                x, y = x[mask], y[mask]
            return x, y

        return make

    def classes(rows: int, features: int, k: int, noise: float, seed: int,
                weights: list[float] | None = None) -> Callable[[], Any]:  # fmt: skip
        return lambda: ds.make_classification(
            rows, features, n_informative=max(2, features // 3), n_classes=k, flip_y=noise,
            weights=weights, random_state=seed,
        )  # fmt: skip

    def regression(
        rows: int, features: int, noise: float, seed: int, rank: int | None = None
    ) -> Any:
        return lambda: ds.make_regression(
            rows, features, n_informative=max(2, features // 2), noise=noise,
            effective_rank=rank, random_state=seed,
        )  # fmt: skip

    found = [
        Task("iris", shipped(ds.load_iris), True),
        Task("wine", shipped(ds.load_wine), True),
        Task("breast_cancer", shipped(ds.load_breast_cancer), True),
        Task("digits_0-2", shipped(ds.load_digits, lambda y: y < 3), True),
        Task("diabetes", shipped(ds.load_diabetes), False),
    ]
    for i, (rows, features, k, noise, weights) in enumerate([
        (300, 10, 2, 0.01, None), (600, 10, 2, 0.01, None), (600, 20, 2, 0.05, None),
        (400, 20, 2, 0.05, None), (600, 30, 3, 0.02, None), (500, 30, 3, 0.05, None),
        (600, 8, 2, 0.15, None), (500, 8, 2, 0.15, None), (600, 12, 2, 0.02, [0.9, 0.1]),
        (450, 12, 2, 0.02, [0.85, 0.15]), (600, 40, 3, 0.01, None), (350, 40, 3, 0.01, None),
    ]):  # fmt: skip
        found.append(Task(f"clf_{i:02d}", classes(rows, features, k, noise, i, weights), True))
    for i, (rows, features, noise, rank) in enumerate([
        (400, 8, 5.0, None), (600, 8, 10.0, None), (500, 20, 20.0, None), (600, 20, 1.0, 5),
        (400, 20, 1.0, 5),
    ]):  # fmt: skip
        found.append(Task(f"reg_{i:02d}", regression(rows, features, noise, 100 + i, rank), False))
    for i, (rows, noise) in enumerate([(500, 0.5), (600, 1.0)]):
        found.append(Task(f"friedman_{i}", lambda r=rows, n=noise, s=i: ds.make_friedman1(
            r, 10, noise=n, random_state=200 + s), False))  # fmt: skip
    return found


class Objective:
    """One task's data, split once, and the model's hold-out score for a configuration."""

    def __init__(self, task: Task) -> None:
        x, y = task.make()
        if len(y) > MAX_ROWS:
            rows = np.random.default_rng(0).choice(len(y), MAX_ROWS, replace=False)
            x, y = x[rows], y[rows]
        self.x, self.y, self.task = x, y, task
        self.split = self.resplit(0)
        self.calls = 0

    def resplit(self, seed: int) -> list[Any]:
        """A 70/30 split of the task's rows (``seed`` 0: the benchmark's fixed hold-out)."""
        from sklearn.model_selection import train_test_split

        stratify = self.y if self.task.classification else None
        return list(train_test_split(self.x, self.y, test_size=0.3, random_state=seed,
                                     stratify=stratify))  # fmt: skip

    def __call__(self, params: dict[str, Any], split: Sequence[Any] | None = None) -> float:
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

        model_class = (
            HistGradientBoostingClassifier
            if self.task.classification
            else HistGradientBoostingRegressor
        )
        model = model_class(max_iter=ITERATIONS, max_bins=32, early_stopping=False,
                            random_state=0, **params)  # fmt: skip
        x_train, x_test, y_train, y_test = split if split is not None else self.split
        self.calls += 1
        return float(model.fit(x_train, y_train).score(x_test, y_test))

    def noise(self, params: dict[str, Any], splits: int) -> float:
        """The standard deviation of ``params``' score over ``splits`` other hold-outs of the
        same rows: how far one hold-out's score strays from what the configuration is worth."""
        scores = [self(params, self.resplit(seed)) for seed in range(1, splits + 1)]
        return float(np.std(scores, ddof=1))


def one_thread() -> Any:
    """A context in which every fit uses one thread: the model's OpenMP library is loaded
    first, since ``threadpool_limits`` only reaches libraries already loaded (two threads
    on a loaded machine spin and run several times slower)."""
    import sklearn.ensemble  # noqa: F401
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


def suggest_params(trial: Any) -> dict[str, Any]:
    """Optuna's trial asked for :data:`SPACE` (every parameter on a log scale)."""
    params: dict[str, Any] = {}
    for name, (low, high, kind) in SPACE.items():
        if kind == "int":
            params[name] = trial.suggest_int(name, low, high, log=True)
        else:
            params[name] = trial.suggest_float(name, low, high, log=True)
    return params


def search(
    objective: Objective, seed: int, first: Sequence[dict[str, Any]] = ()
) -> tuple[list[float], list[dict[str, Any]]]:
    """TPE for :data:`TRIALS` trials, ``first`` enqueued as its first trials: the scores
    and the configurations, in trial order."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    for point in first:
        study.enqueue_trial(point)
    study.optimize(lambda trial: objective(suggest_params(trial)), n_trials=TRIALS)
    scores = [float(t.value) if t.value is not None else math.nan for t in study.trials]
    return scores, [dict(t.params) for t in study.trials]


def reach(scores: Sequence[float], target: float) -> int | None:
    """The first trial (1-based) whose running best reaches ``target``."""
    best = -math.inf
    for i, score in enumerate(scores, start=1):
        best = max(best, score)
        if best >= target - 1e-12:
            return i
    return None
