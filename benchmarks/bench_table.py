"""How fast the experiment page answers: one experiment of 10,000 runs in a journal of 30,000.

The page asks ``GET experiments/{name}/table`` for each page, sort and query, and
``GET experiments/{name}/groups`` when it groups the runs (by parameters or by
configuration); each answer must feel instant (goal: under 300 ms). This times what the
handler does (store query, payload, JSON text), without HTTP in between. Each
run carries the ~30 flat parameters a Keras fit records, so reading them is
not made cheap by a toy journal.

Run with ``python -m benchmarks table``; set ``NBJOURNAL_BENCH_PG_URL`` to
time a PostgreSQL journal as well (its tables are created in that database,
and dropped afterwards). Groups are timed as computed (the server keeps an
answer while the experiment is unchanged: the last line times that).
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.page_timing import medians_ms

EXPERIMENT_RUNS = 10_000
OTHER_RUNS = 20_000
GOAL_MS = 300.0
REPEATS = 7
_CHUNK = 5_000
NAME = "digits-sweep"


def run() -> dict[str, Any]:
    """Fill a SQLite journal (and a PostgreSQL one when named), time each request, print."""
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="nbjournal-bench-") as folder:
        figures["sqlite"] = _bench("sqlite:///" + str(Path(folder) / "journal.db"))
    pg = os.environ.get("NBJOURNAL_BENCH_PG_URL")
    if pg:
        figures["postgresql"] = _bench(pg, drop=True)
    return figures


def _bench(url: str, drop: bool = False) -> dict[str, tuple[float, float]]:
    from nbjournal.store import Store, schema

    store = Store(url)
    try:
        started = time.perf_counter()
        _populate(store)
        fill_s = time.perf_counter() - started
        results = _measure(store)
        _print_table(store.backend, results, fill_s)
        return results
    finally:
        if drop:
            schema.metadata.drop_all(store.engine)
            with store.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        store.close()


def _populate(store: Any) -> None:
    from nbjournal.store import schema

    rng = random.Random(7)
    now = time.time() - EXPERIMENT_RUNS - OTHER_RUNS
    total = EXPERIMENT_RUNS + OTHER_RUNS
    with store.engine.begin() as connection:
        for first in range(1, total + 1, _CHUNK):
            ids = range(first, min(first + _CHUNK, total + 1))
            connection.execute(schema.runs.insert(), [_run_row(i, now, rng) for i in ids])
            connection.execute(
                schema.latest_metrics.insert(), [row for i in ids for row in _summary_rows(i, rng)]
            )
            connection.execute(
                schema.inferences.insert(),
                [
                    dict(
                        run_id=i,
                        text=f"run {i}: lr matters",
                        verdict=rng.choice(["supported", "refuted", None]),
                        created=now + i + 1,
                    )
                    for i in ids
                    if i % 5 == 0
                ],
            )


def _experiment(run_id: int) -> str:
    return NAME if run_id % 3 == 0 else f"other-{run_id % 40}"


def _run_row(run_id: int, now: float, rng: random.Random) -> dict[str, Any]:
    flat: dict[str, Any] = {
        "units": rng.choice([32, 64, 128, 256]),
        "lr": rng.choice([1e-2, 3e-3, 1e-3, 3e-4]),
        "dropout": rng.choice([0.0, 0.2, 0.5]),
        "act": rng.choice(["relu", "tanh", "gelu"]),
        "fit.epochs": 30,
        "fit.batch_size": rng.choice([16, 32, 64]),
        "fit.validation_split": 0.2,
        "fit.loss": "sparse_categorical_crossentropy",
        "fit.params_count": rng.randint(1_000, 100_000),
        "fit.optimizer.class": "Adam",
        "fit.optimizer.beta_1": 0.9,
        "fit.optimizer.beta_2": 0.999,
        "fit.optimizer.epsilon": 1e-7,
        "fit.optimizer.amsgrad": False,
        "fit.layers": '[{"type":"Dense","units":64,"activation":"relu"}]',
    }
    flat.update({f"fit.optimizer.extra_{k}": None for k in range(15)})
    text = json.dumps(flat)
    return {
        "id": run_id,
        "experiment": _experiment(run_id),
        "status": "failed" if run_id % 50 == 0 else "finished",
        "started": now + run_id,
        "ended": now + run_id + rng.uniform(5, 60),
        "updated": now + run_id + 60.0,
        "heartbeat": now + run_id + 60.0,
        "hypothesis": "a wider layer helps",
        "code": "model.fit(X, y)\n",
        "fingerprint": f"{run_id:064x}",
        "params": text,
        "params_flat": text,
        "data": "[]",
        "env": "{}",
        "tags": "[]",
        "diagnoses": "[]",
    }


def _summary_rows(run_id: int, rng: random.Random) -> list[dict[str, Any]]:
    accuracy = 0.8 + rng.random() * 0.19
    return [
        {"run_id": run_id, "name": name, "last": value, "last_epoch": 29, "best": value,
         "best_epoch": 29, "goal": goal, "count": 30}
        for name, value, goal in (
            ("loss", 0.3 * rng.random(), "min"), ("val_loss", 0.4 * rng.random(), "min"),
            ("accuracy", accuracy + 0.01, "max"), ("val_accuracy", accuracy, "max"),
        )
    ]  # fmt: skip


def _measure(store: Any) -> dict[str, tuple[float, float]]:
    from nbjournal.server import endpoints

    def table(**kwargs: Any) -> Callable[[], Any]:
        return lambda: endpoints.experiment_table(store, NAME, **kwargs)

    def groups(by: list[str], q: str | None = None) -> Callable[[], Any]:
        from nbjournal.server import answer_cache

        def computed() -> Any:  # as after a change: the server keeps no answer (answer_cache)
            answer_cache.forget()
            return endpoints.groups(store, NAME, by, q, None)

        return computed

    requests: dict[str, Callable[[], Any]] = {
        "table (first page, 100 rows)": table(),
        "table sort=val_accuracy desc": table(sort="val_accuracy", order="desc"),
        "table sort=lr asc (a param)": table(sort="lr", order="asc"),
        "table sort=verdict": table(sort="verdict", order="asc"),
        "table last page (offset 9900)": table(offset=9_900),
        "table q=lr=0.003 val_accuracy>0.9": table(q="lr=0.003 val_accuracy>0.9"),
        "table q=act=relu verdict:refuted": table(q="act=relu verdict:refuted", sort="units"),
        "table q=wider (free text)": table(q="wider"),
        "runs?q=units>=128 status:failed": lambda: endpoints.runs_page(
            store, limit=50, q="units>=128 status:failed"
        ),
        "table.csv (all 10,000 rows)": lambda: endpoints.experiment_csv(store, NAME),
        # the page's "group by": every run of the experiment read and grouped on the server
        "groups by=lr": groups(["lr"]),
        "groups by=lr,units,dropout": groups(["lr", "units", "dropout"]),
        "groups by configuration (repeats)": groups([]),
        "groups by=act q=units>=128": groups(["act"], "units>=128"),
        "groups by=lr, kept (journal unchanged)": lambda: endpoints.groups(
            store, NAME, ["lr"], None, None
        ),
    }
    return {name: medians_ms(request, REPEATS) for name, request in requests.items()}


def _print_table(backend: str, results: dict[str, tuple[float, float]], fill_s: float) -> None:
    print(
        f"Experiment page: {EXPERIMENT_RUNS:,} runs of one experiment in a journal of "
        f"{EXPERIMENT_RUNS + OTHER_RUNS:,} ({backend}; filled in {fill_s:.0f} s)"
    )
    print(f"{'request':40} {'wall ms':>8} {'cpu ms':>8}  goal (wall)")
    for name, (ms, cpu) in results.items():
        if name.startswith(("table", "groups")) and "csv" not in name:
            goal = f"< {GOAL_MS:.0f} ms {'ok' if ms < GOAL_MS else 'MISSED'}"
        else:
            goal = ""
        print(f"{name:40} {ms:8.1f} {cpu:8.1f}  {goal}")
    print(
        f"(medians of {REPEATS}; cpu: this process's, what a request costs where the wall also "
        f"waits for a core; cpu count {os.cpu_count()}; load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    run()
