"""The journal store's speed, beside what people would otherwise use.

(a) Ingest: metric points per second through ``Store.add_points`` in batches
    of 1,000 (one transaction each, summary folded in), against the floor of
    raw ``sqlite3`` ``executemany`` of the same points in one transaction into
    an equivalent table, same settings (WAL, ``synchronous=NORMAL``, the same
    index and foreign key). Goal: at least 0.7 of raw for per-batch points,
    0.55 for per-epoch ones (their summary is kept too). Wall and CPU time
    both: on a shared machine the CPU ratio is the steadier one.
(b) Listing: ``nbjournal.Journal().runs()`` (the DataFrame) on journals of
    10,000 and 100,000 runs, beside the naive pandas floor on the same tables
    in the same run (``pandas.read_sql`` of runs, summaries and inferences,
    ``json_normalize`` of the parameters, a pivot of the final metrics), and
    beside ``mlflow.search_runs`` on an MLflow SQLite store filled through
    ``MlflowClient.log_batch``. Three figures for the journal: the first listing
    in a process (every run read), a listing again with nothing changed, and a
    listing after one run changed (what a notebook that lists while runs go
    on sees), and the first listing of a new process, measured in new processes:
    with no copy of the listing on disk (the first process ever) and with the
    copy a process left (``nbjournal.store.listing_cache``; imports and opening
    the journal not counted). Goal: ≤ 300 ms at 100,000 runs and ≤ 60 ms at
    10,000, for a new process and after a change.
    With ``NBJOURNAL_BENCH_PG_URL`` set (an empty PostgreSQL database), the
    listing is measured there too.

MLflow takes about 30 ms a run to fill that way (create, log_batch,
terminate), so 10,000 runs cost about 5 minutes: by default MLflow gets
``NBJOURNAL_BENCH_MLFLOW_RUNS`` = 2,000 runs (about a minute) and both tools
are timed at that size; set it to 10000 for the full comparison, or 0 to skip.

Run with ``python -m benchmarks.bench_store``.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

POINTS = 100_000
BATCH = 1_000
REPEATS = 5
LIST_SIZES = (10_000, 100_000)
LIST_REPEATS = 3
MLFLOW_RUNS = int(os.environ.get("NBJOURNAL_BENCH_MLFLOW_RUNS", "2000"))
METRICS = ("loss", "accuracy", "val_loss", "val_accuracy")
_CHUNK = 5_000
#: Store.add_points against raw sqlite3, points per second (per-epoch points keep a summary).
INGEST_GOALS = {"batch": 0.7, "epoch": 0.55}


def run() -> dict[str, Any]:
    """Run every measurement in a temporary folder, print a table, return the figures."""
    home = os.environ.get("NBJOURNAL_HOME")
    with tempfile.TemporaryDirectory(prefix="nbjournal-bench-store-") as tmp:
        folder = Path(tmp)
        os.environ["NBJOURNAL_HOME"] = str(folder / "home")  # copies of listings go there
        ingest = {kind: _bench_ingest(folder, kind) for kind in ("batch", "epoch")}
        listing = {n: _bench_journal_listing(folder, n) for n in LIST_SIZES}
        pg_listing = (
            {n: _bench_journal_listing(folder, n, _pg_schema(n)) for n in LIST_SIZES}
            if PG_URL
            else {}
        )
        mlflow = _bench_mlflow(folder, MLFLOW_RUNS) if MLFLOW_RUNS else None
        if mlflow is not None and MLFLOW_RUNS not in listing:
            listing[MLFLOW_RUNS] = _bench_journal_listing(folder, MLFLOW_RUNS)
    if home is None:
        os.environ.pop("NBJOURNAL_HOME", None)
    else:
        os.environ["NBJOURNAL_HOME"] = home
    results = {"ingest": ingest, "listing_s": listing, "pg_listing_s": pg_listing, "mlflow": mlflow}
    _print_table(results)
    return results


def _pg_schema(runs: int) -> str:
    """A fresh schema on the PostgreSQL benchmark database (dropped first if left over)."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = f"nbjournal_bench_{runs}"
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    engine.dispose()
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"})
    return url.render_as_string(hide_password=False)


# -- (a) ingest ------------------------------------------------------------------


def _points(kind: str) -> list[Any]:
    """``POINTS`` points of four metrics: per-batch history, or per-epoch values."""
    from nbjournal.store import MetricPoint

    rng = random.Random(7)
    now = time.time()
    return [
        MetricPoint(
            name=METRICS[i % len(METRICS)],
            value=rng.random(),
            step=i // len(METRICS),
            kind=kind,
            epoch=i // len(METRICS) // 100 if kind == "batch" else i // len(METRICS),
            time=now + i * 1e-3,
        )
        for i in range(POINTS)
    ]


def _bench_ingest(folder: Path, kind: str) -> dict[str, float]:
    """Median points per second of the store and of raw sqlite3, on fresh files each time."""
    from nbjournal.store import Store

    points = _points(kind)
    batches = [points[i : i + BATCH] for i in range(0, len(points), BATCH)]
    store_times, raw_times, store_cpu, raw_cpu = [], [], [], []
    for repeat in range(REPEATS):
        store = Store(f"sqlite:///{folder / f'ingest-{kind}-{repeat}.db'}")
        run_id = store.create_run(experiment="bench", fingerprint=f"{kind}-{repeat}")
        started, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            store.add_points(run_id, batch)
        store_times.append(time.perf_counter() - started)
        store_cpu.append(time.process_time() - cpu)
        store.close()
        wall, cpu = _raw_insert(folder / f"raw-{kind}-{repeat}.db", run_id, points)
        raw_times.append(wall)
        raw_cpu.append(cpu)
    store_rate = POINTS / statistics.median(store_times)
    raw_rate = POINTS / statistics.median(raw_times)
    return {
        "store_points_per_s": round(store_rate),
        "raw_points_per_s": round(raw_rate),
        "ratio": round(store_rate / raw_rate, 2),
        "cpu_ratio": round(statistics.median(raw_cpu) / statistics.median(store_cpu), 2),
    }


def _raw_insert(path: Path, run_id: int, points: Sequence[Any]) -> tuple[float, float]:
    """Seconds (wall, CPU) for one ``executemany`` of the points in one transaction (the floor)."""
    import sqlalchemy as sa

    from nbjournal.store import schema

    engine = sa.create_engine(f"sqlite:///{path}")
    schema.metadata.create_all(engine)  # the same table, index and foreign key
    engine.dispose()
    rows = [(run_id, p.name, p.kind, p.part, p.step, p.epoch, p.value, p.time) for p in points]
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(
        "INSERT INTO runs (id, experiment, status, started, updated, heartbeat, hypothesis, code,"
        " fingerprint, params, params_flat, data, env, tags, diagnoses)"
        " VALUES (?, 'bench', 'running', 0, 0, 0, '', '', 'raw', '{}', '{}', '[]', '{}', '[]', '[]')",
        (run_id,),
    )
    started, cpu = time.perf_counter(), time.process_time()
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO metric_points (run_id, name, kind, part, step, epoch, value, time)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started, time.process_time() - cpu
    connection.close()
    return elapsed


# -- (b) listing -----------------------------------------------------------------


LIST_GOALS_S = {10_000: 0.060, 100_000: 0.300}
PG_URL = os.environ.get("NBJOURNAL_BENCH_PG_URL")


def _bench_journal_listing(folder: Path, runs: int, url: str | None = None) -> dict[str, float]:
    """Seconds of ``Journal(url).runs()`` on ``runs`` finished runs, beside the pandas floor."""
    import nbjournal
    from nbjournal.store import Store
    from nbjournal.store.listing import RunListing

    url = url or f"sqlite:///{folder / f'list-{runs}.db'}"
    store = Store(url)
    _populate(store, runs)
    store.close()
    journal = nbjournal.Journal(url)
    floor = _naive_listing(url)
    frame = journal.runs()
    assert len(frame) == runs == len(floor), (len(frame), runs, len(floor))
    assert sorted(frame.columns) == sorted(floor.columns), (frame.columns, floor.columns)

    def first() -> Any:
        journal.store._listing = RunListing()  # as in a process that never listed it
        return journal.runs()

    rng = random.Random(1)

    def after_a_change() -> Any:
        run_id = rng.randrange(1, runs + 1)
        journal.store.add_inference(run_id, "Checked again: holds.", verdict="supported")
        return journal.runs()

    cold, warm, warm_cpu = _first_in_new_processes(folder, url)
    return {
        "naive_pandas_s": _median_s(lambda: _naive_listing(url), LIST_REPEATS),
        "new_process_cold_s": cold,
        "new_process_s": warm,
        "new_process_cpu_s": warm_cpu,
        "first_s": _median_s(first, LIST_REPEATS),
        "unchanged_s": _median_s(journal.runs, LIST_REPEATS),
        "after_a_change_s": _median_s(after_a_change, LIST_REPEATS),
    }


_FIRST_LISTING = """
import sys, time
import nbjournal
journal = nbjournal.Journal(sys.argv[1])
started, cpu = time.perf_counter(), time.process_time()
journal.runs()
print(time.perf_counter() - started, time.process_time() - cpu, journal.store._listing.from_disk)
"""


def _first_in_new_processes(folder: Path, url: str) -> tuple[float, float, float]:
    """Seconds of the first ``Journal(url).runs()`` of a new process (imports and opening the
    journal not counted): with no copy of the listing on disk, and the median with one (wall
    and CPU)."""
    import shutil
    import subprocess
    import sys

    home = folder / f"home-{abs(hash(url))}"
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "NBJOURNAL_HOME": str(home), "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("NBJOURNAL_LISTING_CACHE", None)
    times, cpu, used = [], [], []
    for _ in range(1 + LIST_REPEATS):
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_LISTING, url],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        times.append(float(out[0]))
        cpu.append(float(out[1]))
        used.append(out[2] == "True")
    assert used == [False] + [True] * LIST_REPEATS, used
    return (
        round(times[0], 3),
        round(statistics.median(times[1:]), 3),
        round(statistics.median(cpu[1:]), 3),
    )


def _naive_listing(url: str) -> Any:
    """The floor: what a pandas user would write against the journal's tables."""
    import pandas as pd
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            runs = pd.read_sql(
                "SELECT id, experiment, status, started, ended, hypothesis, tags, repeat_of,"
                " params_flat FROM runs ORDER BY id DESC",
                connection,
            )
            finals = pd.read_sql("SELECT run_id, name, last FROM latest_metrics", connection)
            inferences = pd.read_sql(
                "SELECT run_id, text AS inference, verdict FROM inferences"
                " WHERE id IN (SELECT MAX(id) FROM inferences GROUP BY run_id)",
                connection,
            )
    finally:
        engine.dispose()
    params = pd.json_normalize([json.loads(text) for text in runs.pop("params_flat")])
    wide = finals.pivot(index="run_id", columns="name", values="last").add_prefix("metric.")
    frame = pd.concat([runs, params.add_prefix("param.")], axis=1)
    frame["duration"] = pd.to_timedelta(frame.pop("ended") - frame["started"], unit="s")
    frame["started"] = pd.to_datetime(frame["started"], unit="s", utc=True)
    frame = frame.merge(wide, left_on="id", right_index=True, how="left")
    return frame.merge(inferences, left_on="id", right_on="run_id", how="left").drop(
        columns="run_id"
    )


def _populate(store: Any, runs: int) -> None:
    """Runs, summaries, tags and inferences, written the fast way (Core executemany)."""
    from nbjournal.store import schema

    rng = random.Random(42)
    now = time.time() - runs
    with store.engine.begin() as connection:
        for first in range(1, runs + 1, _CHUNK):
            ids = range(first, min(first + _CHUNK, runs + 1))
            summaries = {i: _summary_rows(i, rng) for i in ids}
            connection.execute(
                schema.runs.insert(), [_run_row(i, now, rng, summaries[i]) for i in ids]
            )
            connection.execute(
                schema.latest_metrics.insert(), [row for i in ids for row in summaries[i]]
            )
            connection.execute(
                schema.tags.insert(), [{"run_id": i, "tag": "baseline"} for i in ids if i % 10 == 0]
            )
            connection.execute(
                schema.inferences.insert(),
                [
                    {"run_id": i, "text": f"run {i}: wider helps", "verdict": "supported",
                     "created": now + i + 1}
                    for i in ids
                    if i % 7 == 0
                ],
            )  # fmt: skip
        connection.execute(schema.change_counter.update().values(value=runs))
    if store.backend == "postgresql":
        # What autovacuum does within a minute or so of such a fill (it vacuums after inserts
        # too): without statistics the planner reads "runs changed since N" by scanning all
        # 100,000 runs, and without the visibility map it counts them from the table, not the
        # index. A journal in use has both.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


def _params(run_id: int, rng: random.Random) -> dict[str, Any]:
    return {
        "units": rng.choice([32, 64, 128]),
        "lr": rng.choice([1e-2, 1e-3, 1e-4]),
        "dropout": rng.choice([0.0, 0.2, 0.5]),
        "batch_size": rng.choice([32, 64]),
        "epochs": 30,
        "optimizer": "Adam",
    }


def _run_row(
    run_id: int, now: float, rng: random.Random, summaries: list[dict[str, Any]]
) -> dict[str, Any]:
    params = _params(run_id, rng)
    return {
        "id": run_id,
        "experiment": f"experiment-{run_id % 200}",
        "status": "failed" if run_id % 50 == 0 else "finished",
        "started": now + run_id,
        "ended": now + run_id + 30.0,
        "updated": now + run_id + 30.0,
        "heartbeat": now + run_id + 30.0,
        "hypothesis": f"{params['units']} units at lr {params['lr']} reach 95 %",
        "code": "units = 64\nmodel.fit(X_train, y_train, epochs=30)\n",
        "fingerprint": f"{run_id:064x}",
        "params": json.dumps(params),
        "params_flat": json.dumps(params),
        "data": "[]",
        "env": '{"python": "3.11"}',
        "tags": '["baseline"]' if run_id % 10 == 0 else "[]",
        "diagnoses": "[]",
        "change_seq": run_id,
        "final_metrics": json.dumps({row["name"]: row["last"] for row in summaries}),
    }


def _summary_rows(run_id: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for name in METRICS:
        value = rng.random()
        goal = "min" if "loss" in name else "max"
        rows.append(
            {"run_id": run_id, "name": name, "last": value, "last_epoch": 29, "best": value,
             "best_epoch": 29, "goal": goal, "count": 30}
        )  # fmt: skip
    return rows


def _bench_mlflow(folder: Path, runs: int) -> dict[str, float] | None:
    """Fill an MLflow SQLite store through ``log_batch``; time ``mlflow.search_runs`` on it."""
    try:
        import mlflow
        from mlflow.entities import Metric, Param, RunTag
    except ImportError:
        print("mlflow is not installed (pip install -e '.[bench]'): no MLflow comparison")
        return None
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    client = mlflow.MlflowClient(tracking_uri=uri)
    experiment = client.create_experiment("bench")
    rng = random.Random(42)
    started = time.perf_counter()
    for i in range(1, runs + 1):
        created = client.create_run(experiment)
        params = _params(i, rng)
        client.log_batch(
            created.info.run_id,
            metrics=[Metric(n, rng.random(), int(time.time() * 1000), 29) for n in METRICS],
            params=[Param(k, str(v)) for k, v in params.items()],
            tags=[RunTag("mlflow.note.content", f"{params['units']} units reach 95 %")],
        )
        client.set_terminated(created.info.run_id)
    fill_s = time.perf_counter() - started
    mlflow.set_tracking_uri(uri)

    def search() -> Any:
        frame = mlflow.search_runs(experiment_ids=[experiment], max_results=runs)
        assert len(frame) == runs, (len(frame), runs)
        return frame

    search()
    return {
        "runs": runs,
        "fill_s": round(fill_s, 1),
        "fill_ms_per_run": round(fill_s / runs * 1000, 1),
        "search_runs_s": round(_median_s(search, LIST_REPEATS), 3),
    }


def _median_s(call: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


# -- report ----------------------------------------------------------------------


def _print_table(results: dict[str, Any]) -> None:
    print(f"Store ingest: {POINTS:,} points in batches of {BATCH:,} (median of {REPEATS})")
    print(
        f"{'points':8} {'Store.add_points/s':>19} {'raw sqlite3/s':>14} {'ratio':>6} "
        f"{'CPU ratio':>10} {'goal':>5}"
    )
    for kind, row in results["ingest"].items():
        goal = INGEST_GOALS[kind]
        verdict = "ok" if row["ratio"] >= goal else "MISSED"
        print(
            f"{kind:8} {row['store_points_per_s']:>19,} {row['raw_points_per_s']:>14,} "
            f"{row['ratio']:>6.2f} {row['cpu_ratio']:>10.2f} {goal:>5}  {verdict}"
        )
    print()
    mlflow = results["mlflow"]
    for title, listing in (
        ("SQLite", results["listing_s"]),
        ("PostgreSQL", results["pg_listing_s"]),
    ):
        if not listing:
            continue
        print(f"Listing runs as a DataFrame on {title}, seconds (median of {LIST_REPEATS})")
        print(
            f"{'runs':>8} {'naive pandas':>13} {'new process':>12} {'(CPU)':>6} {'(no copy)':>10} "
            f"{'first listing':>14} {'unchanged':>10} {'after a change':>15} {'goal':>6}  "
            f"{'mlflow.search_runs':>19}"
        )
        for runs, row in sorted(listing.items()):
            goal = LIST_GOALS_S.get(runs)
            slowest = max(row["new_process_s"], row["after_a_change_s"])
            verdict = "" if goal is None else ("ok" if slowest <= goal else "MISSED")
            theirs = (
                mlflow["search_runs_s"]
                if mlflow and mlflow["runs"] == runs and title == "SQLite"
                else None
            )
            print(
                f"{runs:>8,} {row['naive_pandas_s']:>13.3f} {row['new_process_s']:>12.3f} "
                f"{row['new_process_cpu_s']:>6.3f} {row['new_process_cold_s']:>10.3f} {row['first_s']:>14.3f} "
                f"{row['unchanged_s']:>10.3f} {row['after_a_change_s']:>15.3f} "
                f"{'' if goal is None else goal:>6} {verdict:>3}  "
                f"{'' if theirs is None else f'{theirs:.3f}':>19}"
            )
        print()
    if mlflow:
        print(
            f"(MLflow filled through MlflowClient.log_batch: {mlflow['fill_ms_per_run']} ms a run, "
            f"{mlflow['fill_s']} s for {mlflow['runs']:,})"
        )
    print(
        "(new process: the first Journal().runs() of a fresh process, from the listing a process "
        "left on disk; (no copy): the same with none, its whole read; first listing: a fresh "
        "listing in this warm process; goal: new process and after a change)"
    )
    print(f"(cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    run()
