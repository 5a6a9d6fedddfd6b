"""Warm-starting from similar data sets against cold TPE, leave one task out (issue 25).

24 offline tasks: scikit-learn's shipped data sets and families drawn from
``make_classification`` / ``make_regression`` / ``make_friedman1`` (rows,
features, classes, noise and imbalance varied). The model is scikit-learn's
HistGradientBoosting (25 iterations, one thread) over four parameters:
``learning_rate``, ``max_leaf_nodes``, ``min_samples_leaf``, ``l2_regularization``;
the score is accuracy or R² on a fixed 30 % hold-out.

Cold: Optuna's TPE (seeded), 50 trials. The journal holds every task's cold
history (seed 0) as runs of an experiment of its own, with the meta-features of
its data. Warm, for a held-out task: the journal is asked as ``--suggested``
asks it (:func:`nbjournal.analysis.similar.find_similar` without the task's own
experiment and data; :func:`nbjournal.analysis.warm_start.transfer` and
:func:`~nbjournal.analysis.warm_start.priors`): the transferred configurations
are the first trials, then each next trial is
:func:`nbjournal.analysis.prior_tpe.suggest_with_priors` over the task's own
trials so far and the similar data sets' runs as fading priors (``--method
transfer``: the earlier warm start, plain TPE after the transferred points).
The held-out task's own history never reaches its warm arm.

Reported per task: the best at trial 50 of each arm (mean over seeds), the
trial at which the warm arm reaches cold's 50-trial best, what was transferred
(nearest distance). Goals: median trials-to-cold-best ≤ 25; at trial 50 warm is
not worse than cold beyond noise on ≥ 90 % of tasks ("worse beyond noise": the
mean over seeds lower by more than twice the standard error of the difference,
and by more than 0.005). ``NBJ_BENCH_SEEDS`` sets the seeds (default 3);
``python -m benchmarks.bench_similar --help`` runs a subset (cold arms cached).
Also: meta-features ≤ 1 s on 10⁵ × 100.
"""

from __future__ import annotations

import math
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

TRIALS = 50
ITERATIONS = 25
MAX_ROWS = 600
SEEDS = int(os.environ.get("NBJ_BENCH_SEEDS", "3"))
#: Transferred configurations run first (0: as many as ``--suggested`` transfers).
FIRST = int(os.environ.get("NBJ_BENCH_FIRST", "0"))
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


def _tasks() -> list[Task]:
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

    tasks = [
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
        tasks.append(Task(f"clf_{i:02d}", classes(rows, features, k, noise, i, weights), True))
    for i, (rows, features, noise, rank) in enumerate([
        (400, 8, 5.0, None), (600, 8, 10.0, None), (500, 20, 20.0, None), (600, 20, 1.0, 5),
        (400, 20, 1.0, 5),
    ]):  # fmt: skip
        tasks.append(Task(f"reg_{i:02d}", regression(rows, features, noise, 100 + i, rank), False))
    for i, (rows, noise) in enumerate([(500, 0.5), (600, 1.0)]):
        tasks.append(Task(f"friedman_{i}", lambda r=rows, n=noise, s=i: ds.make_friedman1(
            r, 10, noise=n, random_state=200 + s), False))  # fmt: skip
    return tasks


class Objective:
    """One task's data, split once, and the model's hold-out score for a configuration."""

    def __init__(self, task: Task) -> None:
        from sklearn.model_selection import train_test_split

        x, y = task.make()
        if len(y) > MAX_ROWS:
            rows = np.random.default_rng(0).choice(len(y), MAX_ROWS, replace=False)
            x, y = x[rows], y[rows]
        self.x, self.y, self.task = x, y, task
        stratify = y if task.classification else None
        self.split = train_test_split(x, y, test_size=0.3, random_state=0, stratify=stratify)
        self.calls = 0

    def __call__(self, params: dict[str, Any]) -> float:
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

        model_class = (
            HistGradientBoostingClassifier
            if self.task.classification
            else HistGradientBoostingRegressor
        )
        model = model_class(max_iter=ITERATIONS, max_bins=32, early_stopping=False,
                            random_state=0, **params)  # fmt: skip
        x_train, x_test, y_train, y_test = self.split
        self.calls += 1
        return float(model.fit(x_train, y_train).score(x_test, y_test))


def _suggest(trial: Any) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, (low, high, kind) in SPACE.items():
        if kind == "int":
            params[name] = trial.suggest_int(name, low, high, log=True)
        else:
            params[name] = trial.suggest_float(name, low, high, log=True)
    return params


def search(objective: Objective, seed: int, first: list[dict[str, Any]] = ()) -> list[float]:
    """TPE for :data:`TRIALS` trials, ``first`` enqueued as its first trials; the scores."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    for point in first:
        study.enqueue_trial(point)
    study.optimize(lambda trial: objective(_suggest(trial)), n_trials=TRIALS)
    return [t.value for t in study.trials]


def _journal(tasks: list[Task], objectives: dict[str, Objective], cold: dict[str, list[list[float]]],
             params: dict[str, list[dict[str, Any]]]) -> Any:  # fmt: skip
    """A journal holding every task's cold history (seed 0) with its data's meta-features."""
    from nbjournal.capture.fit_meta import data_meta_features
    from nbjournal.store import MetricPoint, Store

    folder = Path(tempfile.mkdtemp(prefix="nbj-bench-similar-"))
    store = Store(f"sqlite:///{folder / 'journal.db'}")
    for task in tasks:
        objective = objectives[task.name]
        meta = data_meta_features(objective.x, objective.y)
        for point, score in zip(params[task.name], cold[task.name][0], strict=True):
            run_id = store.create_run(experiment=f"hgb-{task.name}", fingerprint=uuid.uuid4().hex,
                                      params=point)  # fmt: skip
            store.update_run(run_id, meta_features=meta)
            store.add_points(run_id, [MetricPoint("score", score, 0, "epoch", 0)])
            store.finish_run(run_id, "finished")
    return store


def _history_params(objective: Objective, seed: int) -> tuple[list[float], list[dict[str, Any]]]:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(lambda trial: objective(_suggest(trial)), n_trials=TRIALS)
    return [t.value for t in study.trials], [dict(t.params) for t in study.trials]


def _reach(scores: list[float], target: float) -> int | None:
    """The first trial (1-based) whose running best reaches ``target``."""
    best = -math.inf
    for i, score in enumerate(scores, start=1):
        best = max(best, score)
        if best >= target - 1e-12:
            return i
    return None


def time_meta_features() -> float:
    from nbjournal.capture.metafeatures import meta_features

    rng = np.random.default_rng(0)
    x = rng.normal(size=(100_000, 100))
    x[rng.random(x.shape) < 0.05] = np.nan
    y = rng.integers(0, 5, 100_000)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        meta_features(x, y)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


#: What the warm arm runs: ``prior`` (the transferred points, then TPE with the similar
#: data sets' runs as fading prior observations: what ``--suggested`` does),
#: ``transfer`` (the transferred points, then plain TPE: the earlier warm start) or
#: ``cold`` (cold TPE again with other seeds: what "reaching cold's best" gives by chance).
METHODS = ("prior", "transfer", "cold")
#: The ``cold`` method's seeds start here, apart from the cold arm's.
SEEDS_APART = 100


def _cold_arms(tasks: list[Task], objectives: dict[str, Objective], seeds: int,
               cache: Path | None, started: float) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    """Each task's cold TPE scores per seed, and seed 0's configurations (the journal's)."""
    import json

    stored = json.loads(cache.read_text()) if cache and cache.exists() else {}
    cold: dict[str, list[list[float]]] = {}
    params: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        key = f"{task.name}/{TRIALS}"
        known = stored.get(key, {"scores": [], "params": []})
        if len(known["scores"]) < seeds:
            scores, points = _history_params(objectives[task.name], 0)
            known = {"scores": [scores], "params": points}
            for seed in range(1, seeds):
                known["scores"].append(search(objectives[task.name], seed))
            stored[key] = known
            if cache:
                cache.write_text(json.dumps(stored))
        cold[task.name], params[task.name] = known["scores"][:seeds], known["params"]
        print(f"  cold {task.name}: {time.perf_counter() - started:.0f} s", flush=True)
    return cold, params


def warm_search(objective: Objective, seed: int, first: list[dict[str, Any]],
                priors: list[Any], method: str) -> list[float]:  # fmt: skip
    """The warm arm: ``first`` (transferred), then ``method``'s sampler."""
    if method == "cold":
        return search(objective, seed + SEEDS_APART)
    if method == "transfer" or not priors:
        return search(objective, seed, first)
    from nbjournal.analysis.prior_tpe import suggest_with_priors

    points: list[dict[str, Any]] = []
    scores: list[float] = []
    for trial in range(TRIALS):
        if trial < len(first):
            point = first[trial]
        else:
            asked = suggest_with_priors(points, -np.array(scores), priors, 1, seed=seed)
            point = asked[0][0] if asked else first[0]
        points.append(point)
        scores.append(objective(point))
    return scores


def run(names: list[str] | None = None, seeds: int = SEEDS, method: str = "prior",
        cache: Path | None = None) -> None:  # fmt: skip
    """The benchmark over ``names`` (all tasks when ``None``)."""
    from threadpoolctl import threadpool_limits

    from nbjournal.analysis.similar import find_similar
    from nbjournal.analysis.warm_start import TRANSFERRED, priors, transfer
    from nbjournal.capture.fit_meta import data_meta_features

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"meta-features of 10^5 x 100 (5 % missing, 5 classes): {time_meta_features():.2f} s "
          "(median of 3; goal <= 1 s)")  # fmt: skip
    tasks = _tasks()
    started = time.perf_counter()
    with threadpool_limits(1):
        objectives = {t.name: Objective(t) for t in tasks}
        cold, params = _cold_arms(tasks, objectives, seeds, cache, started)
        store = _journal(tasks, objectives, cold, params)
        rows = []
        for task in tasks:
            if names and task.name not in names:
                continue
            objective = objectives[task.name]
            query = data_meta_features(objective.x, objective.y)
            similar = find_similar(store, query, exclude_experiment=f"hgb-{task.name}")
            moved = transfer(similar, FIRST or TRANSFERRED, names=set(SPACE))
            lent = priors(store, similar, names=set(SPACE))
            warm = [warm_search(objective, seed, moved.points, lent, method)
                    for seed in range(seeds)]  # fmt: skip
            rows.append(_row(task, cold[task.name], warm, moved, similar))
            print(f"  warm {task.name}: {time.perf_counter() - started:.0f} s", flush=True)
    _report(rows, time.perf_counter() - started, sum(o.calls for o in objectives.values()),
            seeds, method)  # fmt: skip


def _row(task: Task, cold: list[list[float]], warm: list[list[float]], moved: Any,
         similar: Any) -> dict[str, Any]:  # fmt: skip
    cold_best = [max(s) for s in cold]
    warm_best = [max(s) for s in warm]
    target = statistics.mean(cold_best)
    reach = [_reach(s, target) for s in warm]
    difference = statistics.mean(warm_best) - target
    spread = (statistics.variance(cold_best) / len(cold) + statistics.variance(warm_best) / len(warm)
              if len(cold) > 1 else 0.0)  # fmt: skip
    worse = difference < -max(2 * math.sqrt(spread), 0.005)
    nearest = similar.found[0] if similar.found else None
    return {
        "task": task.name,
        "cold50": target,
        "warm50": statistics.mean(warm_best),
        "warm5": statistics.mean(max(s[:5]) for s in warm),
        "cold5": statistics.mean(max(s[:5]) for s in cold),
        "reach": reach,
        "moved": len(moved.points),
        "nearest": f"{nearest.experiments[0].removeprefix('hgb-')} {nearest.distance:.3f}"
        if nearest
        else "-",
        "worse": worse,
    }


def _report(rows: list[dict[str, Any]], seconds: float, fits: int, seeds: int,
            method: str) -> None:  # fmt: skip
    print(f"{len(rows)} tasks, {seeds} seed(s) per arm, {TRIALS} trials, warm arm: {method}, "
          f"{fits} fits in {seconds:.0f} s")  # fmt: skip
    print(f"{'task':15} {'nearest (dist)':24} {'moved':>5} {'cold@5':>7} {'warm@5':>7} "
          f"{'cold@50':>8} {'warm@50':>8}  reach cold@50 (per seed)  worse?")  # fmt: skip
    reached = []
    for row in rows:
        reach = [r if r is not None else TRIALS + 1 for r in row["reach"]]
        reached.append(statistics.median(reach))
        shown = ", ".join(str(r) if r is not None else ">50" for r in row["reach"])
        print(f"{row['task']:15} {row['nearest']:24} {row['moved']:>5} {row['cold5']:>7.4f} "
              f"{row['warm5']:>7.4f} {row['cold50']:>8.4f} {row['warm50']:>8.4f}  {shown:24}  "
              f"{'WORSE' if row['worse'] else 'no'}")  # fmt: skip
    median = statistics.median(reached)
    fine = sum(not row["worse"] for row in rows) / len(rows)
    transferred = sum(row["moved"] > 0 for row in rows)
    print(f"tasks with a transfer: {transferred} of {len(rows)}")
    print(
        f"median trials for warm to reach cold's 50-trial best: {median:g} (goal <= 25; >50 counts 51)"
    )
    print(f"warm not worse than cold beyond noise at trial 50: {fine:.0%} of tasks (goal >= 90 %)")


def main() -> None:
    """``python -m benchmarks.bench_similar [--tasks a,b] [--seeds N] [--method M] [--cache F]``:
    a subset for iterating (the cold arms cached in ``F``: they do not depend on the method)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--tasks", help="comma-separated task names (default: all)")
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--method", choices=METHODS, default="prior")
    parser.add_argument("--cache", type=Path, help="JSON file keeping the cold arms")
    args = parser.parse_args()
    names = args.tasks.split(",") if args.tasks else None
    run(names, args.seeds, args.method, args.cache)


if __name__ == "__main__":
    main()
