"""The journal store: every read and write of runs, metrics and inferences.

Each public method is one short block inside :meth:`Store._transaction`, which
commits, or rolls back and raises a domain error. Methods return the frozen
records of :mod:`.models`. The store knows nothing of IPython or Keras.
"""

from __future__ import annotations

import collections
import functools
import gc
import os
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..config import resolve_url
from ..errors import BadInput, JournalUnavailable, UnknownRun
from . import limits, metric_goals, rollups, schema
from .engine import WRITE, create_engine, migrate
from .records import (
    STATUSES,
    VERDICTS,
    ExperimentSummary,
    Inference,
    MetricPoint,
    MetricSummary,
    Run,
    RunSummary,
)
from .serialize import dumps, flatten, loads

#: A running run whose heartbeat is older than this is taken for crashed.
HEARTBEAT_TIMEOUT_S = 120.0
#: How often a store looks for crashed runs while it lists them.
REAP_INTERVAL_S = 5.0
_HOST = socket.gethostname()

#: One metric series as columns: steps, epochs, values (see :meth:`Store.metric_columns`).
MetricColumns = tuple[Sequence[int], Sequence[int | None], Sequence[float | None]]

R = schema.runs
LM = schema.latest_metrics
INF = schema.inferences
MP = schema.metric_points
TAGS = schema.tags

_SUMMARY_COLUMNS = (
    R.c.id, R.c.experiment, R.c.status, R.c.started, R.c.ended, R.c.updated, R.c.hypothesis,
    R.c.fingerprint, R.c.repeat_of, R.c.tags, R.c.params_flat, R.c.notebook,
    R.c.points_pending,
)  # fmt: skip


class Store:
    """One journal database, opened (and migrated) once per process and URL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = create_engine(self.url)
        self._last_reap = 0.0
        self._reap_lock = threading.Lock()
        self._experiments_cache: tuple[tuple[Any, ...], list[ExperimentSummary]] | None = None
        try:
            migrate(self.engine)
        except SQLAlchemyError as error:
            raise JournalUnavailable(_describe(error, self.url)) from None
        self.reap_crashed(force=True)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # -- plumbing -----------------------------------------------------------

    @contextmanager
    def _transaction(self, write: bool = False) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as connection:
                if write:
                    connection = connection.execution_options(**{WRITE: True})
                with connection.begin():
                    yield connection
        except (UnknownRun, BadInput):
            raise
        except (SQLAlchemyError, DBAPIError, OSError) as error:
            raise JournalUnavailable(_describe(error, self.url)) from None

    def _upsert(self, table: sa.Table, keys: Sequence[str]) -> Any:
        if self.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table)
        updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys}
        return statement.on_conflict_do_update(index_elements=list(keys), set_=updates)

    # -- writing runs -------------------------------------------------------

    def create_run(
        self,
        *,
        experiment: str,
        fingerprint: str,
        hypothesis: str = "",
        code: str = "",
        params: dict[str, Any] | None = None,
        data: list[dict[str, Any]] | None = None,
        env: dict[str, Any] | None = None,
        tags: Iterable[str] = (),
        notebook: str | None = None,
        repeat_of: int | None = None,
    ) -> int:
        """Record the start of a run; returns its id."""
        experiment = limits.name("the experiment's name", (experiment or "").strip())
        if not experiment:
            raise BadInput("an experiment needs a name")
        limits.text("the hypothesis", hypothesis or "", limits.HYPOTHESIS_MAX)
        now = time.time()
        tag_list = sorted({limits.name("a tag", t.strip()) for t in tags if t and t.strip()})
        if len(tag_list) > limits.TAGS_MAX:
            raise BadInput(f"{len(tag_list)} tags: a run takes {limits.TAGS_MAX} at most")
        params = params or {}
        with self._transaction(write=True) as connection:
            run_id = connection.execute(
                R.insert().values(
                    experiment=experiment,
                    status="running",
                    started=now,
                    updated=now,
                    heartbeat=now,
                    hypothesis=hypothesis or "",
                    code=code or "",
                    fingerprint=fingerprint,
                    repeat_of=repeat_of,
                    params=dumps(params),
                    params_flat=dumps(flatten(params)),
                    data=dumps(data or []),
                    env=dumps(env or {}),
                    tags=dumps(tag_list),
                    diagnoses="[]",
                    notebook=notebook,
                    host=_HOST,
                    pid=os.getpid(),
                )
            ).inserted_primary_key[0]
            if tag_list:
                connection.execute(TAGS.insert(), [{"run_id": run_id, "tag": t} for t in tag_list])
        return int(run_id)

    def update_run(
        self,
        run_id: int,
        *,
        params: dict[str, Any] | None = None,
        data: list[dict[str, Any]] | None = None,
        diagnoses: list[dict[str, Any]] | None = None,
    ) -> None:
        """Replace what a run learnt while it ran (parameters of ``fit``, its inputs, diagnoses)."""
        values: dict[str, Any] = {"updated": time.time()}
        if params is not None:
            values["params"] = dumps(params)
            values["params_flat"] = dumps(flatten(params))
        if data is not None:
            values["data"] = dumps(data)
        if diagnoses is not None:
            values["diagnoses"] = dumps(diagnoses)
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, values)

    def heartbeat(self, run_id: int) -> None:
        with self._transaction(write=True) as connection:
            connection.execute(
                R.update()
                .where(R.c.id == run_id, R.c.status == "running")
                .values(heartbeat=time.time())
            )

    def finish_run(
        self,
        run_id: int,
        status: str,
        error: str | None = None,
        *,
        pending: int = 0,
        ended: float | None = None,
    ) -> None:
        """End a run; ``pending`` points are kept locally and not in the journal yet.

        ``ended`` is when it ended, for an end written late from a local spool.
        """
        if status not in STATUSES or status == "running":
            raise BadInput(f"a run cannot finish as {status!r}")
        now = time.time()
        values = {
            "status": status,
            "ended": ended or now,
            "updated": now,
            "heartbeat": now,
            "error": None if error is None else error.replace("\x00", "\\x00"),
            "points_pending": pending,
        }
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, values)

    def _update(self, connection: sa.Connection, run_id: int, values: dict[str, Any]) -> None:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        result = connection.execute(R.update().where(R.c.id == run_id).values(**values))
        if result.rowcount == 0:
            raise UnknownRun(run_id)

    # -- metrics ------------------------------------------------------------

    def add_points(self, run_id: int, points: Sequence[MetricPoint]) -> list[str]:
        """Write a batch of points in one transaction and fold them into the run's summary.

        A point the journal cannot store (a name too long, a NUL, a step beyond
        64 bits) is left out, and why is returned: one bad value costs that value
        only, never the batch.

        The run's row is touched first: an unknown run fails as :class:`UnknownRun`
        before anything is written, and on PostgreSQL its row lock orders
        concurrent writers of the same run, so their summaries cannot interleave.
        Points go to the driver's ``executemany`` as plain tuples: SQLAlchemy's
        per-row parameter handling was two thirds of the cost of a batch.
        """
        rejected = []
        checked = []
        for point in points:
            problem = limits.point_problem(point.name, point.step, point.epoch)
            if problem is None:
                checked.append(point)
            else:
                rejected.append(problem)
        if not checked:
            return rejected
        now = time.time()
        rows = [_point_row(run_id, p, now) for p in checked]
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, {"updated": now, "heartbeat": now})
            rollups.fold(connection, self._upsert_rollup, run_id, rows)
            connection.exec_driver_sql(self._insert_points_sql, rows)
            summarised = [row for row in rows if row[2] != "batch"]
            if summarised:
                self._fold_summary(connection, run_id, summarised)
        return rejected

    @functools.cached_property
    def _insert_points_sql(self) -> str:
        """``INSERT INTO metric_points`` with positional parameters in this driver's style."""
        quote = self.engine.dialect.identifier_preparer.quote
        mark = "?" if self.engine.dialect.paramstyle in ("qmark", "numeric") else "%s"
        columns = ", ".join(quote(name) for name in _POINT_COLUMNS)
        marks = ", ".join([mark] * len(_POINT_COLUMNS))
        return f"INSERT INTO {quote(MP.name)} ({columns}) VALUES ({marks})"

    @functools.cached_property
    def _upsert_rollup(self) -> Any:
        return self._upsert(schema.metric_rollups, ("run_id", "name", "kind", "part", "bucket"))

    @functools.cached_property
    def _upsert_summary(self) -> Any:
        return self._upsert(LM, ("run_id", "name"))

    def _fold_summary(
        self, connection: sa.Connection, run_id: int, rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """Fold point rows (in :data:`_POINT_COLUMNS` order) into ``latest_metrics``.

        One pass per metric with the goal looked up once: the summary of a
        batch costs about what its insert costs.
        """
        series: dict[str, list[tuple[Any, ...]]] = {}
        for row in rows:
            series.setdefault(row[1], []).append(row)
        known = {
            name: (best, best_epoch, goal, count)
            for name, best, best_epoch, goal, count in connection.execute(
                sa.select(LM.c.name, LM.c.best, LM.c.best_epoch, LM.c.goal, LM.c.count).where(
                    LM.c.run_id == run_id, LM.c.name.in_(series)
                )
            )
        }
        summaries = []
        for name, points in series.items():
            goal = metric_goals.goal(name)
            best, best_epoch, stored_goal, count = known.get(name, (None, None, goal, 0))
            for _, _, _, _, _, epoch, value, _ in points:
                if value is not None and _better(goal, value, best):
                    best, best_epoch = value, epoch
            last = points[-1]
            summaries.append(
                {
                    "run_id": run_id,
                    "name": name,
                    "last": last[6],
                    "last_epoch": last[5],
                    "best": best,
                    "best_epoch": best_epoch,
                    "goal": stored_goal,
                    "count": count + len(points),
                }
            )
        connection.execute(self._upsert_summary, summaries)

    def metric_points(
        self, run_id: int, names: Iterable[str] | None = None, kinds: Iterable[str] | None = None
    ) -> list[MetricPoint]:
        query = sa.select(MP).where(MP.c.run_id == run_id)
        if names is not None:
            query = query.where(MP.c.name.in_(list(names)))
        if kinds is not None:
            query = query.where(MP.c.kind.in_(list(kinds)))
        query = query.order_by(MP.c.name, MP.c.kind, MP.c.part, MP.c.step)
        with self._transaction() as connection:
            self._require(connection, run_id)
            rows = connection.execute(query)
            return [
                MetricPoint(r.name, r.value, r.step, r.kind, r.epoch, r.part, r.time) for r in rows
            ]

    def metric_sample(
        self, run_id: int, budget: int
    ) -> dict[tuple[str, str, int], tuple[int, MetricColumns]]:
        """What a chart of at most ``budget`` points a series needs: ``key -> (total, columns)``.

        A long series comes as the candidates its roll-ups keep (:mod:`.rollups`),
        a few thousand rows for a million points; the others as all their points.
        """
        with self._transaction() as connection:
            self._require(connection, run_id)
            long, others = rollups.candidates(connection, run_id, budget)
        if not long:
            return {key: (len(cols[2]), cols) for key, cols in self.metric_columns(run_id).items()}
        found: dict[tuple[str, str, int], tuple[int, MetricColumns]] = {}
        for key, (total, points) in long.items():
            found[key] = (total, tuple(list(c) for c in zip(*points, strict=True)))  # type: ignore[misc]
        if others:
            for key, cols in self.metric_columns(run_id, others).items():
                found[key] = (len(cols[2]), cols)
        return dict(sorted(found.items()))

    def metric_columns(
        self, run_id: int, only: set[tuple[str, str]] | None = None
    ) -> dict[tuple[str, str, int], MetricColumns]:
        """Each series of a run by ``(name, kind, part)``, as ``(steps, epochs, values)`` columns.

        What charts read. The driver's tuples are used as they come, with no
        record per point, so the 100,000 batch points of a long run load
        several times faster than through :meth:`metric_points`.
        """
        with self._transaction() as connection:
            self._require(connection, run_id)
            keys = (
                sorted(only)
                if only is not None
                else connection.execute(
                    sa.select(MP.c.name, MP.c.kind)
                    .where(MP.c.run_id == run_id)
                    .group_by(MP.c.name, MP.c.kind)
                    .order_by(MP.c.name, MP.c.kind)
                ).all()
            )
            found: dict[tuple[str, str, int], MetricColumns] = {}
            for name, kind in keys:
                result = connection.execute(
                    sa.select(MP.c.part, MP.c.step, MP.c.epoch, MP.c.value)
                    .where(MP.c.run_id == run_id, MP.c.name == name, MP.c.kind == kind)
                    .order_by(MP.c.step)  # the index's order: no sort
                )
                for part, columns in _columns_by_part(result.cursor.fetchall()).items():
                    found[(name, kind, part)] = columns
        return found

    # -- inferences ---------------------------------------------------------

    def add_inference(
        self, run_id: int, text: str, verdict: str | None = None, author: str | None = None
    ) -> Inference:
        text = limits.text("the inference", (text or "").strip(), limits.INFERENCE_MAX)
        if not text:
            raise BadInput("an inference needs some text")
        if verdict is not None:
            verdict = verdict.strip().lower() or None
        if verdict is not None and verdict not in VERDICTS:
            raise BadInput(f"unknown verdict {verdict!r}: use one of {', '.join(VERDICTS)}")
        now = time.time()
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, {"updated": now})
            inference_id = connection.execute(
                INF.insert().values(
                    run_id=run_id, text=text, verdict=verdict, created=now, author=author
                )
            ).inserted_primary_key[0]
        return Inference(int(inference_id), run_id, text, verdict, now, author)

    # -- reading ------------------------------------------------------------

    def _require(self, connection: sa.Connection, run_id: int) -> None:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        if connection.execute(sa.select(R.c.id).where(R.c.id == run_id)).first() is None:
            raise UnknownRun(run_id)

    def get_run(self, run_id: int) -> Run:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        self.reap_crashed()
        with self._transaction() as connection:
            row = connection.execute(sa.select(R).where(R.c.id == run_id)).first()
            if row is None:
                raise UnknownRun(run_id)
            metrics = self._metric_summaries(connection, [run_id]).get(run_id, {})
            inferences = tuple(
                _inference(r)
                for r in connection.execute(
                    sa.select(INF).where(INF.c.run_id == run_id).order_by(INF.c.id)
                )
            )
        return Run(
            **_summary_fields(row, metrics, inferences[-1] if inferences else None),
            inference_count=len(inferences),
            code=row.code,
            full_params=loads(row.params, {}),
            data=loads(row.data, []),
            env=loads(row.env, {}),
            diagnoses=loads(row.diagnoses, []),
            error=row.error,
            inferences=inferences,
            host=row.host,
            pid=row.pid,
        )

    def list_runs(
        self,
        *,
        experiment: str | None = None,
        status: str | None = None,
        tag: str | None = None,
        q: str | None = None,
        fingerprint: str | None = None,
        ids: Iterable[int] | None = None,
        before: int | None = None,
        limit: int | None = None,
    ) -> list[RunSummary]:
        """Run summaries, newest first. ``before`` is the paging cursor (a run id)."""
        self.reap_crashed()
        query = sa.select(*_SUMMARY_COLUMNS).order_by(R.c.id.desc())
        query = _filtered(query, experiment, status, tag, q, fingerprint, ids, before)
        if limit is not None:
            query = query.limit(limit)
        with self._transaction() as connection:
            rows = connection.execute(query).all()
            run_ids = [r.id for r in rows]
            metrics = self._metric_summaries(connection, run_ids)
            latest, counts = self._latest_inferences(connection, run_ids)
        return [
            RunSummary(
                **_summary_fields(row, metrics.get(row.id, {}), latest.get(row.id)),
                inference_count=counts.get(row.id, 0),
            )
            for row in rows
        ]

    def _metric_summaries(
        self, connection: sa.Connection, run_ids: list[int]
    ) -> dict[int, dict[str, MetricSummary]]:
        found: dict[int, dict[str, MetricSummary]] = {}
        for chunk in _chunks(run_ids):
            for r in connection.execute(sa.select(LM).where(LM.c.run_id.in_(chunk))):
                found.setdefault(r.run_id, {})[r.name] = MetricSummary(
                    r.name, r.last, r.last_epoch, r.best, r.best_epoch, r.goal, r.count
                )
        return found

    def _latest_inferences(
        self, connection: sa.Connection, run_ids: list[int]
    ) -> tuple[dict[int, Inference], dict[int, int]]:
        latest: dict[int, Inference] = {}
        counts: dict[int, int] = {}
        for chunk in _chunks(run_ids):
            for r in connection.execute(
                sa.select(INF).where(INF.c.run_id.in_(chunk)).order_by(INF.c.id)
            ):
                latest[r.run_id] = _inference(r)
                counts[r.run_id] = counts.get(r.run_id, 0) + 1
        return latest, counts

    def runs_table(
        self,
        *,
        experiment: str | None = None,
        status: str | None = None,
        tag: str | None = None,
    ) -> tuple[list[Any], list[Any], list[Any]]:
        """Raw rows for a DataFrame listing: (runs, final metrics, latest inferences).

        A columnar path for :class:`nbjournal.Journal`: no per-run objects, so
        100,000 runs list in well under a second. Rows are named tuples, not
        SQLAlchemy ``Row`` objects: pandas probes each row for attributes
        (``dtype``), and a ``Row`` answers a missing attribute by building an
        exception, which cost seconds on 100,000 runs.
        """
        self.reap_crashed()
        base = _filtered(
            sa.select(
                R.c.id, R.c.experiment, R.c.status, R.c.started, R.c.ended, R.c.hypothesis,
                R.c.params_flat, R.c.tags, R.c.repeat_of, R.c.fingerprint,
            ),
            experiment, status, tag, None, None, None, None,
        ).order_by(R.c.id.desc())  # fmt: skip
        selected = base.subquery()
        last_inference = sa.select(sa.func.max(INF.c.id)).group_by(INF.c.run_id).scalar_subquery()
        with self._transaction() as connection, _gc_paused():
            runs = _named_rows(connection.execute(base))
            metrics = _named_rows(
                connection.execute(
                    sa.select(LM.c.run_id, LM.c.name, LM.c.last).join(
                        selected, selected.c.id == LM.c.run_id
                    )
                )
            )
            inferences = _named_rows(
                connection.execute(
                    sa.select(INF.c.run_id, INF.c.text, INF.c.verdict)
                    .join(selected, selected.c.id == INF.c.run_id)
                    .where(INF.c.id.in_(last_inference))
                )
            )
        return runs, metrics, inferences

    def experiments(self) -> list[ExperimentSummary]:
        """Experiments, newest activity first; recomputed only when a run changed or was added."""
        self.reap_crashed()
        with self._transaction() as connection:
            token = connection.execute(sa.select(sa.func.max(R.c.updated), sa.func.count())).one()
            cached = self._experiments_cache
            if cached is not None and cached[0] == tuple(token):
                return cached[1]
            groups = connection.execute(
                sa.select(
                    R.c.experiment,
                    sa.func.count(R.c.id),
                    sa.func.sum(sa.case((R.c.status == "running", 1), else_=0)),
                    sa.func.max(R.c.updated),
                ).group_by(R.c.experiment)
            ).all()
            # One row per (experiment, metric): the listing never reads per-run summaries.
            extremes = connection.execute(
                sa.select(
                    R.c.experiment,
                    LM.c.name,
                    LM.c.goal,
                    sa.func.min(LM.c.best),
                    sa.func.max(LM.c.best),
                )
                .join(R, R.c.id == LM.c.run_id)
                .group_by(R.c.experiment, LM.c.name, LM.c.goal)
            ).all()
            best_by_experiment = _best_per_experiment(extremes)
            for experiment, best in best_by_experiment.items():
                best["best_run"] = connection.execute(
                    sa.select(sa.func.min(LM.c.run_id))
                    .join(R, R.c.id == LM.c.run_id)
                    .where(
                        R.c.experiment == experiment,
                        LM.c.name == best["best_metric"],
                        LM.c.best == best["best_value"],
                    )
                ).scalar()
        summaries = [
            ExperimentSummary(
                name=name,
                runs=int(count),
                running=int(running or 0),
                last_activity=float(last),
                **best_by_experiment.get(
                    name, {"best_metric": None, "best_value": None, "best_run": None}
                ),
            )
            for name, count, running, last in groups
        ]
        ordered = sorted(summaries, key=lambda e: e.last_activity, reverse=True)
        self._experiments_cache = (tuple(token), ordered)
        return ordered

    def changes(self, since: float | None) -> tuple[float, list[RunSummary]]:
        """Runs changed after ``since`` (a token from an earlier call), and the next token."""
        self.reap_crashed()
        with self._transaction() as connection:
            token = connection.execute(sa.select(sa.func.max(R.c.updated))).scalar() or 0.0
            if since is None:
                return float(token), []
            ids = [
                r.id
                for r in connection.execute(
                    sa.select(R.c.id).where(R.c.updated > since).order_by(R.c.id.desc())
                )
            ]
        return float(token), (self.list_runs(ids=ids) if ids else [])

    # -- crashed kernels ----------------------------------------------------

    def reap_crashed(self, force: bool = False) -> list[int]:
        """Mark ``crashed`` the running runs whose kernel is gone.

        A run's kernel is gone when it ran on this host and its process no longer
        exists, or when its heartbeat is older than :data:`HEARTBEAT_TIMEOUT_S`.
        """
        now = time.time()
        with self._reap_lock:
            if not force and now - self._last_reap < REAP_INTERVAL_S:
                return []
            self._last_reap = now
        try:
            with self._transaction() as connection:
                running = connection.execute(
                    sa.select(R.c.id, R.c.host, R.c.pid, R.c.heartbeat).where(
                        R.c.status == "running"
                    )
                ).all()
            dead = [
                r.id
                for r in running
                if r.heartbeat < now - HEARTBEAT_TIMEOUT_S
                or (r.host == _HOST and r.pid is not None and not _process_alive(r.pid))
            ]
            if dead:
                with self._transaction(write=True) as connection:
                    connection.execute(
                        R.update()
                        .where(R.c.id.in_(dead), R.c.status == "running")
                        .values(status="crashed", updated=now, ended=R.c.heartbeat)
                    )
            return dead
        except JournalUnavailable:
            return []  # a read-only journal is still readable


#: Columns of ``metric_points`` in the order :func:`_point_row` fills them.
_POINT_COLUMNS = ("run_id", "name", "kind", "part", "step", "epoch", "value", "time")


def _point_row(run_id: int, point: MetricPoint, now: float) -> tuple[Any, ...]:
    """A point as driver parameters: numbers made plain ``int``/``float``.

    User code hands over numpy scalars (``log_metric(np.mean(x))``); sqlite3
    would store a numpy integer as a blob of bytes, silently.
    """
    try:
        return (
            run_id,
            point.name,
            point.kind,
            int(point.part),
            int(point.step),
            None if point.epoch is None else int(point.epoch),
            None if point.value is None else float(point.value),
            float(point.time or now),
        )
    except (TypeError, ValueError):
        raise BadInput(
            f"metric {point.name!r} at step {point.step!r}: {point.value!r} is not a number"
        ) from None


def _better(goal: str, candidate: float, incumbent: float | None) -> bool:
    """:func:`metric_goals.is_better` with the goal looked up once per metric: NaN is never best."""
    if incumbent is None or incumbent != incumbent:
        return candidate == candidate
    if candidate != candidate:
        return False
    return candidate < incumbent if goal == "min" else candidate > incumbent


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while hundreds of thousands of row tuples are built.

    Every 700 new tuples wake the collector, which then walks all of them
    again: half the time of listing 100,000 runs. Rows hold no cycles, so
    nothing is lost by collecting once afterwards instead.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _named_rows(result: Any) -> list[Any]:
    """The rows of a result as named tuples, straight from the driver's tuples."""
    row_type = collections.namedtuple("Row", list(result.keys()), rename=True)  # type: ignore[misc]
    return list(map(row_type._make, result.cursor.fetchall()))


def _filtered(
    query: Any,
    experiment: str | None,
    status: str | None,
    tag: str | None,
    q: str | None,
    fingerprint: str | None,
    ids: Iterable[int] | None,
    before: int | None,
) -> Any:
    if experiment:
        query = query.where(R.c.experiment == experiment)
    if status:
        if status not in STATUSES:
            raise BadInput(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        query = query.where(R.c.status == status)
    if tag:
        query = query.where(R.c.id.in_(sa.select(TAGS.c.run_id).where(TAGS.c.tag == tag)))
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(
                R.c.experiment.ilike(pattern, escape="\\"),
                R.c.hypothesis.ilike(pattern, escape="\\"),
                R.c.id.in_(sa.select(TAGS.c.run_id).where(TAGS.c.tag.ilike(pattern, escape="\\"))),
                R.c.id.in_(sa.select(INF.c.run_id).where(INF.c.text.ilike(pattern, escape="\\"))),
            )
        )
    if fingerprint:
        query = query.where(R.c.fingerprint == fingerprint)
    if ids is not None:
        query = query.where(R.c.id.in_(list(ids)))
    if before is not None:
        query = query.where(R.c.id < before)
    return query


def _summary_fields(
    row: Any, metrics: dict[str, MetricSummary], inference: Inference | None
) -> dict[str, Any]:
    return {
        "id": row.id,
        "experiment": row.experiment,
        "status": row.status,
        "started": row.started,
        "ended": row.ended,
        "updated": row.updated,
        "hypothesis": row.hypothesis,
        "fingerprint": row.fingerprint,
        "repeat_of": row.repeat_of,
        "tags": tuple(loads(row.tags, [])),
        "params": loads(row.params_flat, {}),
        "metrics": metrics,
        "inference": inference,
        "notebook": row.notebook,
        "points_pending": row.points_pending or 0,
    }


def _inference(row: Any) -> Inference:
    return Inference(row.id, row.run_id, row.text, row.verdict, row.created, row.author)


def _best_per_experiment(rows: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """From (experiment, metric, goal, min, max) rows: each experiment's key metric and its best."""
    by_experiment: dict[str, dict[str, Any]] = {}
    for experiment, name, goal, smallest, largest in rows:
        best = smallest if goal == "min" else largest
        if best is not None:
            by_experiment.setdefault(experiment, {})[name] = best
    chosen: dict[str, dict[str, Any]] = {}
    for experiment, metrics in by_experiment.items():
        name = metric_goals.key_metric(metrics)
        if name is not None:
            chosen[experiment] = {
                "best_metric": name,
                "best_value": metrics[name],
                "best_run": None,
            }
    return chosen


def _columns_by_part(rows: Sequence[Any]) -> dict[int, MetricColumns]:
    """``(part, step, epoch, value)`` rows in step order, split into columns per part."""
    if not rows:
        return {}
    # One column at a time: zip(*rows) is several times slower on 100,000 rows.
    parts, steps, epochs, values = (list(map(itemgetter(i), rows)) for i in range(4))
    if parts.count(parts[0]) == len(parts):  # the common case: one fit, one part
        return {parts[0]: (steps, epochs, values)}
    split: dict[int, MetricColumns] = {}
    for part in sorted(set(parts)):
        kept = [i for i, p in enumerate(parts) if p == part]
        split[part] = (
            [steps[i] for i in kept],
            [epochs[i] for i in kept],
            [values[i] for i in kept],
        )
    return split


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(error: BaseException, url: str) -> str:
    from sqlalchemy.engine import make_url

    safe = make_url(url).render_as_string(hide_password=True)
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return f"journal {safe} unavailable: {reason}"
