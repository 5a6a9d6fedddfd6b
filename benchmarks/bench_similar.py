"""Warm-starting from similar data sets against cold TPE, leave one task out (issue 25).

The 24 tasks, the model and the space are :mod:`benchmarks.similar_tasks`'.
Cold: Optuna's TPE (seeded), 50 trials. The journal holds every task's cold
history (seed 0) as runs of an experiment of its own, with the meta-features of
its data. Warm, for a held-out task: the journal is asked as ``--suggested``
asks it (:func:`nbjournal.analysis.similar.other_data_sets`: without the task's own
experiment and data; :func:`nbjournal.analysis.warm_start.transfer` and
:func:`~nbjournal.analysis.warm_start.priors`): the transferred configurations
are the first trials, then :func:`nbjournal.analysis.prior_tpe.suggest_with_priors`
over the task's own trials and the similar data sets' runs until the task has
``MIN_RUNS`` trials, then TPE as cold runs it (the same sampler after the start,
so that the arms differ by the transfer alone; ``--method prior``: the
similar data sets' runs as fading priors for all 50 trials).
The held-out task's own history never reaches its warm arm. Chance: cold TPE
again with other seeds, no transfer: what "reaching cold's best" gives by luck.

Reported per task: the best at trial 50 of each arm (mean over seeds), the
trial at which each arm reaches cold's 50-trial best, and the trial at which it
comes within noise of it: within one standard deviation of the score of cold's
best configuration over :data:`NOISE_SPLITS` other hold-outs of the same rows
(the goal is the first measure; the second is reported beside it because on
small hold-outs cold's best is largely the luckiest of 50 noisy scores:
``python -m benchmarks.similar_why``). Goals: median trials-to-cold-best ≤ 25;
at trial 50 warm is not worse than cold beyond noise on ≥ 90 % of tasks
("worse beyond noise": the mean over seeds lower by more than twice the
standard error of the difference, and by more than 0.005). ``NBJ_BENCH_SEEDS``
sets the seeds (default 3); ``python -m benchmarks.bench_similar --help`` runs a
subset and caches the arms (the warm arm under a hash of the code it ran).
Also: meta-features ≤ 1 s on 10⁵ × 100.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from .similar_tasks import SPACE, TRIALS, Objective, Task, one_thread, reach, search, tasks

SEEDS = int(os.environ.get("NBJ_BENCH_SEEDS", "3"))
#: Transferred configurations run first (0: as many as ``--suggested`` transfers).
FIRST = int(os.environ.get("NBJ_BENCH_FIRST", "0"))
#: Other hold-outs that measure how noisy one hold-out's score is.
NOISE_SPLITS = 10
#: What the warm arm runs: ``transfer`` (what ``--suggested`` does: the transferred points,
#: TPE over the similar data sets' runs until the task has runs enough to model, then
#: plain TPE), ``prior`` (the transferred points, then TPE with the similar data sets'
#: runs as fading prior observations for all 50 trials: ``--suggested`` until
#: 2026-12-07) or ``cold`` (no transfer; the chance arm's seeds).
METHODS = ("transfer", "prior", "cold")
#: The chance arm's seeds start here, apart from the cold arm's.
SEEDS_APART = 100


def _journal(names: list[Task], objectives: dict[str, Objective], cold: dict[str, Any]) -> Any:
    """A journal holding every task's cold history (seed 0) with its data's meta-features."""
    from nbjournal.capture.fit_meta import data_meta_features
    from nbjournal.store import MetricPoint, Store

    folder = Path(tempfile.mkdtemp(prefix="nbj-bench-similar-"))
    store = Store(f"sqlite:///{folder / 'journal.db'}")
    for task in names:
        objective = objectives[task.name]
        meta = data_meta_features(objective.x, objective.y)
        known = cold[task.name]
        for point, score in zip(known["params"], known["scores"][0], strict=True):
            run_id = store.create_run(experiment=f"hgb-{task.name}", fingerprint=uuid.uuid4().hex,
                                      params=point)  # fmt: skip
            store.update_run(run_id, meta_features=meta)
            store.add_points(run_id, [MetricPoint("score", score, 0, "epoch", 0)])
            store.finish_run(run_id, "finished")
    return store


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


def _cached(cache: Path | None, key: str, make: Any) -> Any:
    """``make()``, kept in the JSON file ``cache`` under ``key`` (the arms are deterministic).
    The file is read again before it is written, so that runs over other tasks can share it."""
    stored = json.loads(cache.read_text()) if cache and cache.exists() else {}
    if key in stored:
        return stored[key]
    made = make()
    if cache:
        stored = json.loads(cache.read_text()) if cache.exists() else {}
        stored[key] = made
        written = cache.with_suffix(f".{os.getpid()}")
        written.write_text(json.dumps(stored))
        written.replace(cache)
    return made


#: The modules whose code decides the warm arm's trials: a cached warm arm is kept under
#: their hash, so that a change to any of them runs the arm again.
WARM_CODE = ("analysis/prior_tpe.py", "analysis/warm_start.py", "analysis/similar.py",
             "analysis/suggestions.py", "analysis/history.py", "rules/data_likeness.py",
             "capture/metafeatures.py", "capture/fit_meta.py")  # fmt: skip


def _code_version() -> str:
    import hashlib

    import nbjournal

    root = Path(nbjournal.__file__).parent
    digest = hashlib.sha1()
    for name in WARM_CODE:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:12]


def _cold(objective: Objective, seeds: int) -> dict[str, Any]:
    """Cold TPE per seed; seed 0's configurations too (the journal's history)."""
    scores, params = search(objective, 0)
    return {"scores": [scores] + [search(objective, s)[0] for s in range(1, seeds)],
            "params": params}  # fmt: skip


def warm_search(objective: Objective, seed: int, first: list[dict[str, Any]],
                priors: list[Any], method: str) -> list[float]:  # fmt: skip
    """The warm arm: ``first`` (transferred), then ``method``'s sampler."""
    if method == "cold":
        return search(objective, seed + SEEDS_APART)[0]
    from nbjournal.analysis.prior_tpe import suggest_with_priors

    if method == "transfer" or not priors:
        return search(objective, seed, _started(objective, seed, first, priors))[0]
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


def _started(objective: Objective, seed: int, first: list[dict[str, Any]],
             priors: list[Any]) -> list[dict[str, Any]]:  # fmt: skip
    """What ``--suggested`` runs before the experiment can be modelled on its own: the
    transferred points, then TPE's over the priors until :data:`MIN_RUNS` runs."""
    from nbjournal.analysis.prior_tpe import suggest_with_priors
    from nbjournal.analysis.suggestions import MIN_RUNS

    points = list(first)
    scores = [objective(p) for p in points] if priors else []
    while priors and len(points) < MIN_RUNS:
        asked = suggest_with_priors(points, -np.array(scores), priors, 1, seed=seed)
        if not asked:
            break
        points.append(asked[0][0])
        scores.append(objective(asked[0][0]))
    return points


def run(names: list[str] | None = None, seeds: int = SEEDS, method: str = "transfer",
        cache: Path | None = None, chance_arm: bool = True) -> None:  # fmt: skip
    """The benchmark over ``names`` (all tasks when ``None``): the warm arm and (unless
    ``chance_arm`` is false: it halves the time) the chance arm."""
    from nbjournal.analysis.similar import other_data_sets
    from nbjournal.analysis.warm_start import TRANSFERRED, priors, transfer
    from nbjournal.capture.fit_meta import data_meta_features

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"meta-features of 10^5 x 100 (5 % missing, 5 classes): {time_meta_features():.2f} s "
          "(median of 3; goal <= 1 s)")  # fmt: skip
    every = tasks()
    code = _code_version()
    started = time.perf_counter()
    with one_thread():
        objectives = {t.name: Objective(t) for t in every}
        cold = {t.name: _cached(cache, f"{t.name}/{TRIALS}/{seeds}",
                                lambda t=t: _cold(objectives[t.name], seeds)) for t in every}  # fmt: skip
        print(f"  cold arms: {time.perf_counter() - started:.0f} s", flush=True)
        store = _journal(every, objectives, cold)
        rows = []
        for task in every:
            if names and task.name not in names:
                continue
            objective = objectives[task.name]
            query = data_meta_features(objective.x, objective.y)
            similar = other_data_sets(store, query, exclude_experiment=f"hgb-{task.name}")
            moved = transfer(similar, FIRST or TRANSFERRED, names=set(SPACE))
            lent = priors(store, similar, names=set(SPACE))
            warm = _cached(cache, f"{task.name}/{TRIALS}/{seeds}/{method}/{FIRST}/{code}",
                           lambda o=objective, m=moved, p=lent: [warm_search(o, s, m.points, p,
                                                                 method) for s in range(seeds)])  # fmt: skip
            chance = (_cached(cache, f"{task.name}/{TRIALS}/{seeds}/chance",
                              lambda o=objective: [warm_search(o, s, [], [], "cold")
                                                   for s in range(seeds)])
                      if chance_arm else [])  # fmt: skip
            known = cold[task.name]
            best = known["params"][int(np.argmax(known["scores"][0]))]
            noise = objective.noise(best, NOISE_SPLITS)
            rows.append(_row(task, known["scores"], warm, chance, noise, moved, similar))
            print(f"  warm {task.name}: {time.perf_counter() - started:.0f} s", flush=True)
    fits = sum(o.calls for o in objectives.values())
    _report(rows, time.perf_counter() - started, fits, seeds, method)


def _worse(cold: list[float], other: list[float]) -> bool:
    """``other``'s mean best lower than ``cold``'s beyond twice the standard error and 0.005."""
    spread = (statistics.variance(cold) / len(cold) + statistics.variance(other) / len(other)
              if len(cold) > 1 else 0.0)  # fmt: skip
    return statistics.mean(other) - statistics.mean(cold) < -max(2 * math.sqrt(spread), 0.005)


def _row(task: Task, cold: list[list[float]], warm: list[list[float]], chance: list[list[float]],
         noise: float, moved: Any, similar: Any) -> dict[str, Any]:  # fmt: skip
    cold_best = [max(s) for s in cold]
    target = statistics.mean(cold_best)
    nearest = similar.found[0] if similar.found else None
    return {
        "task": task.name,
        "cold50": target,
        "warm50": statistics.mean(max(s) for s in warm),
        "warm5": statistics.mean(max(s[:5]) for s in warm),
        "cold5": statistics.mean(max(s[:5]) for s in cold),
        "noise": noise,
        "reach": [reach(s, target) for s in warm],
        "near": [reach(s, target - noise) for s in warm],
        "chance": [reach(s, target) for s in chance],
        "chance_near": [reach(s, target - noise) for s in chance],
        "moved": len(moved.points),
        "nearest": f"{nearest.experiments[0].removeprefix('hgb-')} {nearest.distance:.3f}"
        if nearest
        else "-",
        "worse": _worse(cold_best, [max(s) for s in warm]),
        "chance_worse": _worse(cold_best, [max(s) for s in chance]) if chance else None,
    }


def _trials(reached: list[int | None]) -> tuple[float, str]:
    """The median over seeds (a seed that never reaches counts ``TRIALS + 1``) and the list."""
    counted = [r if r is not None else TRIALS + 1 for r in reached]
    if not counted:
        return math.nan, "-"
    return statistics.median(counted), ",".join(str(r) if r else ">50" for r in reached)


def _report(rows: list[dict[str, Any]], seconds: float, fits: int, seeds: int,
            method: str) -> None:  # fmt: skip
    print(
        f"{len(rows)} tasks, {seeds} seed(s) per arm, {TRIALS} trials, warm arm: {method}, "
        f"chance arm: cold TPE with seeds {SEEDS_APART}+, {fits} fits in {seconds:.0f} s"
    )
    print(f"{'task':14} {'nearest (dist)':22} {'moved':>5} {'cold@5':>7} {'warm@5':>7} "
          f"{'cold@50':>7} {'warm@50':>7} {'noise':>6}  {'warm reach':12} {'within noise':12} "
          f"{'chance reach':12} {'within noise':12} worse?")  # fmt: skip
    medians: dict[str, list[float]] = {k: [] for k in ("reach", "near", "chance", "chance_near")}
    for row in rows:
        shown = {}
        for key, values in medians.items():
            middle, shown[key] = _trials(row[key])
            values.append(middle)
        print(f"{row['task']:14} {row['nearest']:22} {row['moved']:>5} {row['cold5']:>7.4f} "
              f"{row['warm5']:>7.4f} {row['cold50']:>7.4f} {row['warm50']:>7.4f} "
              f"{row['noise']:>6.4f}  {shown['reach']:12} {shown['near']:12} "
              f"{shown['chance']:12} {shown['chance_near']:12} "
              f"{'WORSE' if row['worse'] else 'no'}")  # fmt: skip
    ran = [row for row in rows if row["chance_worse"] is not None]
    transferred = sum(row["moved"] > 0 for row in rows)
    print(
        f"tasks with a transfer: {transferred} of {len(rows)} (a seed that never reaches counts "
        f"{TRIALS + 1}; noise: sd of cold's best configuration over {NOISE_SPLITS} other hold-outs)"
    )
    for arm, reached, near, worse in (("warm", "reach", "near", "worse"),
                                      ("chance", "chance", "chance_near", "chance_worse")):  # fmt: skip
        if arm == "chance" and len(ran) < len(rows):
            continue
        fine = sum(not row[worse] for row in rows)
        print(
            f"{arm:6}: median trials to reach cold's 50-trial best "
            f"{statistics.median(medians[reached]):g} (goal <= 25); within noise of it "
            f"{statistics.median(medians[near]):g}; not worse than cold beyond noise at trial "
            f"50 on {fine}/{len(rows)} = {fine / len(rows):.0%} (goal >= 90 %)"
        )


def main() -> None:
    """``python -m benchmarks.bench_similar [--tasks a,b] [--seeds N] [--method M] [--cache F]``:
    a subset for iterating, the arms cached in ``F`` (they are deterministic; the warm arm
    is kept under its method and a hash of the modules it ran, :data:`WARM_CODE`)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--tasks", help="comma-separated task names (default: all)")
    parser.add_argument("--seeds", type=int, default=SEEDS)
    parser.add_argument("--method", choices=METHODS, default="transfer")
    parser.add_argument("--cache", type=Path, help="JSON file keeping the arms")
    parser.add_argument("--no-chance", action="store_true", help="leave the chance arm out")
    args = parser.parse_args()
    names = args.tasks.split(",") if args.tasks else None
    run(names, args.seeds, args.method, args.cache, not args.no_chance)


if __name__ == "__main__":
    main()
