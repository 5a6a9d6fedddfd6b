"""Why the warm start does not beat chance on bench_similar: the landscape, measured.

``python -m benchmarks.similar_why [--cache F]`` (``F``: bench_similar's cache of
the cold arms; without it they are run again). It evaluates one shared sample
of :data:`RANDOM` random configurations on every task and answers four questions:

1. How rare is cold TPE's 50-trial best? (the share of random configurations
   that reach it on the fixed hold-out)
2. Is it truly better, or the luckiest of 50 noisy scores? (cold's best
   configuration against the random sample's best, 90th percentile and median,
   each scored on :data:`SPLITS` other hold-outs of the same rows)
3. Are the nearest data sets by meta-features the ones whose landscape is most
   alike? (Spearman correlation of two tasks' scores over the random sample,
   against their meta-feature distance, per held-out task and per feature)
4. Are the transferred configurations good on the target? (the nearest
   source's best, scored on the target, as a quantile of the random sample)
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from .similar_tasks import SPACE, TRIALS, Objective, one_thread, tasks

RANDOM = 100
SPLITS = 10


def random_configurations(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` configurations drawn log-uniformly over the space (integers rounded)."""
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(count):
        point: dict[str, Any] = {}
        for name, (low, high, kind) in SPACE.items():
            value = float(np.exp(rng.uniform(np.log(low), np.log(high))))
            point[name] = round(value) if kind == "int" else value
        found.append(point)
    return found


def _resplit(objective: Objective, point: dict[str, Any]) -> float:
    return statistics.mean(objective(point, objective.resplit(s)) for s in range(1, SPLITS + 1))


def _landscape(
    objectives: dict[str, Objective], cold: dict[str, Any], sample: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Per task: the sample's scores, cold's target and best configuration, and the resplit
    means of cold's best and of the sample's best / 90th percentile / median."""
    found = {}
    for name, objective in objectives.items():
        scores = np.array([objective(p) for p in sample])
        runs = cold[name]
        best = runs["params"][int(np.argmax(runs["scores"][0]))]
        order = np.argsort(-scores)
        picks = {"cold best": best, "sample best": sample[order[0]],
                 "sample q90": sample[order[len(sample) // 10]],
                 "sample median": sample[order[len(sample) // 2]]}  # fmt: skip
        found[name] = {
            "scores": scores,
            "target": statistics.mean(max(s) for s in runs["scores"]),
            "best": best,
            "resplit": {k: _resplit(objective, p) for k, p in picks.items()},
        }
    return found


def _meta(objectives: dict[str, Objective]) -> dict[str, Any]:
    from nbjournal.capture.fit_meta import data_meta_features

    return {n: data_meta_features(o.x, o.y) for n, o in objectives.items()}


def _report_rarity(land: dict[str, dict[str, Any]]) -> None:
    print("\n1-2. cold's 50-trial best: how rare on the hold-out, and what it is worth elsewhere")
    print(f"{'task':14} {'target':>7} {'share of sample >= it':>21}   mean over {SPLITS} other "
          "hold-outs: cold best / sample best / q90 / median")  # fmt: skip
    ranks = []
    for name, row in land.items():
        share = float((row["scores"] >= row["target"] - 1e-12).mean())
        values = list(row["resplit"].values())
        ranks.append(sorted(values, reverse=True).index(values[0]) + 1)
        print(f"{name:14} {row['target']:7.4f} {share:21.3f}   "
              + " / ".join(f"{v:.4f}" for v in values))  # fmt: skip
    print(f"cold's best was the best of the four on other hold-outs on {ranks.count(1)} of "
          f"{len(ranks)} tasks (median place {statistics.median(ranks):g} of 4)")  # fmt: skip


def _report_likeness(land: dict[str, dict[str, Any]], meta: dict[str, Any]) -> None:
    from scipy.stats import spearmanr

    from nbjournal.rules.data_likeness import SCALES, distance

    names = list(land)
    alike = {(a, b): float(spearmanr(land[a]["scores"], land[b]["scores"])[0])
             for a in names for b in names}  # fmt: skip
    apart = {(a, b): distance(meta[a], meta[b]) for a in names for b in names}
    print("\n3. nearest by meta-features against most alike landscape (Spearman over the sample)")
    print(f"{'task':14} {'nearest':14} {'dist':>5} {'alike':>6}   {'most alike':14} {'alike':>6}"
          f"   rank corr(-distance, alike)")  # fmt: skip
    fits = []
    for a in names:
        others = [b for b in names if b != a and np.isfinite(apart[a, b])]
        near = min(others, key=lambda b: apart[a, b])
        most = max(others, key=lambda b: alike[a, b])
        fit = float(spearmanr([-apart[a, b] for b in others], [alike[a, b] for b in others])[0])
        fits.append(fit)
        print(f"{a:14} {near:14} {apart[a, near]:5.3f} {alike[a, near]:6.2f}   {most:14} "
              f"{alike[a, most]:6.2f}   {fit:6.2f}")  # fmt: skip
    print(f"median rank correlation of meta-feature distance with landscape likeness: "
          f"{statistics.median(fits):.2f}")  # fmt: skip
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]
             if np.isfinite(apart[a, b])]  # fmt: skip
    print("per feature, Spearman(|scaled difference|, 1 - likeness) over same-kind pairs:")
    for feature, scale in SCALES.items():
        xs, ys = [], []
        for a, b in pairs:
            u, v = meta[a]["features"].get(feature), meta[b]["features"].get(feature)
            if u is None or v is None:
                continue
            u, v = (scale(u), scale(v)) if scale else (u, v)
            xs.append(abs(u - v))
            ys.append(1 - alike[a, b])
        if len(set(xs)) > 1:
            print(f"  {feature:18} {float(spearmanr(xs, ys)[0]):6.2f}  ({len(xs)} pairs)")


def _report_transfer(land: dict[str, dict[str, Any]], meta: dict[str, Any],
                     objectives: dict[str, Objective]) -> None:  # fmt: skip
    from nbjournal.rules.data_likeness import distance

    print("\n4. the nearest source's best configuration, scored on the target")
    print(f"{'task':14} {'source':14} {'score':>7} {'quantile in sample':>18} {'target':>7}")
    quantiles = []
    for a, row in land.items():
        others = [b for b in land if b != a and np.isfinite(distance(meta[a], meta[b]))]
        source = min(others, key=lambda b: distance(meta[a], meta[b]))
        score = objectives[a](land[source]["best"])
        quantile = float((row["scores"] < score).mean())
        quantiles.append(quantile)
        print(f"{a:14} {source:14} {score:7.4f} {quantile:18.2f} {row['target']:7.4f}")
    print(f"median quantile: {statistics.median(quantiles):.2f}")


def main() -> None:
    import argparse

    from .bench_similar import SEEDS, _cached, _cold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="bench_similar's JSON cache of the cold arms")
    args = parser.parse_args()
    started = time.perf_counter()
    with one_thread():
        objectives = {t.name: Objective(t) for t in tasks()}
        cold = {n: _cached(args.cache, f"{n}/{TRIALS}/{SEEDS}", lambda o=o: _cold(o, SEEDS))
                for n, o in objectives.items()}  # fmt: skip
        land = _landscape(objectives, cold, random_configurations(RANDOM))
        meta = _meta(objectives)
        _report_rarity(land)
        _report_likeness(land, meta)
        _report_transfer(land, meta, objectives)
    fits = sum(o.calls for o in objectives.values())
    print(f"({fits} fits in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
