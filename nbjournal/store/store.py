"""The journal store: every read and write of runs, metrics and inferences.

Each public method is one short block inside :meth:`Store._transaction`, which
commits, or rolls back and raises a domain error. Methods return the frozen
records of :mod:`.models`. The store knows nothing of IPython or Keras.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..config import resolve_url
from ..errors import BadInput, JournalUnavailable, UnknownGrid, UnknownRun
from ..rules import metric_goals
from . import ingest, limits, rollups, schema
from . import query as search
from . import table as runs_table_page
from .engine import WRITE, create_engine, migrate
from .grid_queries import GridQueries
from .listing import ListingColumns, ListingDelta, RunListing, gc_paused
from .listing_cache import DiskCopy
from .records import (
    ARTIFACT_STATUSES,
    STATUSES,
    VERDICTS,
    Artifact,
    ExperimentSummary,
    History,
    HistoryRow,
    Inference,
    MetricPoint,
    MetricSummary,
    Run,
    RunSummary,
    error_summary,
)
from .serialize import dumps, listing_params, loads
from .similar_queries import SimilarQueries

#: A running run whose heartbeat is older than this is taken for crashed.
HEARTBEAT_TIMEOUT_S = 120.0
_HOST = socket.gethostname()
_log = logging.getLogger(__name__)

#: One metric series as columns: steps, epochs, values (see :meth:`Store.metric_columns`).
MetricColumns = tuple[Sequence[int], Sequence[int | None], Sequence[float | None]]

R = schema.runs
LM = schema.latest_metrics
INF = schema.inferences
MP = schema.metric_points
TAGS = schema.tags
ART = schema.artifacts
COUNTER = schema.change_counter
META = schema.journal_meta
#: The newest change number, as a value in an UPDATE of runs.
_CURRENT_CHANGE = sa.select(COUNTER.c.value).where(COUNTER.c.id == 1).scalar_subquery()

_SUMMARY_COLUMNS = (
    R.c.id, R.c.experiment, R.c.status, R.c.started, R.c.ended, R.c.updated, R.c.hypothesis,
    R.c.fingerprint, R.c.repeat_of, R.c.tags, R.c.params_flat, R.c.notebook,
    R.c.points_pending, R.c.error,
)  # fmt: skip


class Store(GridQueries, SimilarQueries):
    """One journal database, opened (and migrated) once per process and URL.

    Reads never write: crashed runs are reaped when a store is opened (a kernel's
    first cell) and on the Jupyter server's timer, never inside a query, so a
    journal this process may only read can still be browsed.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = create_engine(self.url)
        self._experiments_cache: tuple[int, list[ExperimentSummary]] | None = None
        self._listing = RunListing(DiskCopy.for_url(self.url))
        self._table_columns = runs_table_page.Columns()
        try:
            ran = migrate(self.engine)
        except SQLAlchemyError as error:
            raise JournalUnavailable(_describe(error, self.url)) from None
        if ran and self.backend != "sqlite":  # a team journal: its keepers want to know
            _log.warning(
                "nbjournal: journal %s now at schema %s (ran %s)",
                _safe_url(self.url), ran[-1].split()[0], ", ".join(ran),
            )  # fmt: skip
        self.reap_crashed()

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
        except (UnknownRun, UnknownGrid, BadInput):
            raise
        except (SQLAlchemyError, DBAPIError, OSError, self._driver_error) as error:
            raise JournalUnavailable(_describe(error, self.url)) from None

    @functools.cached_property
    def _driver_error(self) -> type[Exception]:
        """The driver's own error: statements run on its cursor (:mod:`.ingest`) raise it."""
        return self.engine.dialect.loaded_dbapi.Error  # type: ignore[no-any-return]

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
        nearest: dict[str, Any] | None = None,
        data_fingerprint: str | None = None,
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
                    params_flat=dumps(listing_params(params)),
                    data=dumps(data or []),
                    env=dumps(env or {}),
                    tags=dumps(tag_list),
                    diagnoses="[]",
                    checks="{}",
                    notebook=notebook,
                    host=_HOST,
                    pid=os.getpid(),
                    nearest=None if nearest is None else dumps(nearest),
                    data_fingerprint=data_fingerprint,
                )
            ).inserted_primary_key[0]
            if tag_list:
                connection.execute(TAGS.insert(), [{"run_id": run_id, "tag": t} for t in tag_list])
            self._changed(connection, [run_id])
        return int(run_id)

    def update_run(
        self,
        run_id: int,
        *,
        params: dict[str, Any] | None = None,
        data: list[dict[str, Any]] | None = None,
        diagnoses: list[dict[str, Any]] | None = None,
        checks: dict[str, Any] | None = None,
        meta_features: dict[str, Any] | None = None,
    ) -> None:
        """Replace what a run learnt while it ran (parameters of ``fit``, its inputs, diagnoses,
        the findings of the checks before ``fit``, what its fit's data is like)."""
        values: dict[str, Any] = {"updated": time.time()}
        if params is not None:
            values["params"] = dumps(params)
            values["params_flat"] = dumps(listing_params(params))
        if data is not None:
            values["data"] = dumps(data)
        if diagnoses is not None:
            values["diagnoses"] = dumps(diagnoses)
        if checks is not None:
            values["checks"] = dumps(checks)
        if meta_features is not None:
            values["meta_features"] = dumps(meta_features)
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, values)
            self._changed(connection, [run_id])

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
            self._changed(connection, [run_id])

    def _update(self, connection: sa.Connection, run_id: int, values: dict[str, Any]) -> None:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        result = connection.execute(R.update().where(R.c.id == run_id).values(**values))
        if result.rowcount == 0:
            raise UnknownRun(run_id)

    def _changed(self, connection: sa.Connection, run_ids: Sequence[int], **values: Any) -> None:
        """Stamp runs changed in this transaction with the journal's next change number.

        The last statement of every transaction that changes a run (``values``
        are set on the runs in the same statement): on PostgreSQL the counter's
        row lock orders the writers, so change numbers follow commit order (a
        reader that saw number N has seen every change up to N), and taken
        last, that lock is held only until the commit. Two statements, the
        first as plain driver SQL: a batch of points pays little for it.
        """
        bumped = connection.exec_driver_sql(self._bump_sql)
        if not bumped.rowcount:  # a database made from schema.metadata, not by the migrations
            start = connection.execute(sa.select(sa.func.max(R.c.change_seq))).scalar() or 0
            connection.execute(COUNTER.insert().values(id=1, value=start + 1))
        connection.execute(
            R.update().where(R.c.id.in_(list(run_ids))).values(change_seq=_CURRENT_CHANGE, **values)
        )

    @functools.cached_property
    def _bump_sql(self) -> str:
        quote = self.engine.dialect.identifier_preparer.quote
        return f"UPDATE {quote(COUNTER.name)} SET value = value + 1 WHERE id = 1"

    def _counter(self, connection: sa.Connection) -> int:
        """The newest change number (0 in a journal that never changed)."""
        value = connection.execute(sa.select(COUNTER.c.value).where(COUNTER.c.id == 1)).scalar()
        return int(value or 0)

    # -- metrics ------------------------------------------------------------

    def add_points(self, run_id: int, points: Sequence[MetricPoint]) -> list[str]:
        """Write a batch of points in one transaction and fold them into the run's summary
        and roll-ups.

        A point the journal cannot store (a name too long, a NUL, a step beyond
        64 bits) is left out, and why is returned: one bad value costs that value
        only, never the batch.

        The run's row is touched first: an unknown run fails as :class:`UnknownRun`
        before anything is written, and on PostgreSQL its row lock orders
        concurrent writers of the same run, so their summaries cannot interleave.
        The statements are plain SQL on the driver's cursor (:mod:`.ingest`):
        SQLAlchemy's per-statement work cost as much as inserting the points.
        """
        now = time.time()
        rows, rejected = ingest.point_rows(run_id, points, now)
        if not rows:
            return rejected
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        with self._transaction(write=True) as connection:
            cursor = connection.connection.cursor()
            try:
                self._points_writer.write(cursor, run_id, rows, now)
            finally:
                cursor.close()
        return rejected

    @functools.cached_property
    def _points_writer(self) -> ingest.PointWriter:
        return ingest.PointWriter(self.engine.dialect)

    def metric_points(
        self,
        run_id: int,
        names: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        *,
        after_step: int | None = None,
    ) -> list[MetricPoint]:
        """A run's points; with ``after_step``, only those of later steps (what a view that
        follows a running run has not read yet)."""
        query = sa.select(MP).where(MP.c.run_id == run_id)
        if after_step is not None:
            query = query.where(MP.c.step > after_step)
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
        text, verdict = checked_inference(text, verdict)
        now = time.time()
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, {"updated": now})
            inference_id = connection.execute(
                INF.insert().values(
                    run_id=run_id, text=text, verdict=verdict, created=now, author=author
                )
            ).inserted_primary_key[0]
            self._changed(connection, [run_id])
        return Inference(int(inference_id), run_id, text, verdict, now, author)

    # -- artifacts ----------------------------------------------------------

    def add_artifacts(self, run_id: int, artifacts: Sequence[Artifact]) -> None:
        """Record what a run's cell made, replacing any earlier record, in one transaction
        (so a reader sees all of a run's artifacts or none)."""
        for artifact in artifacts:
            if artifact.status not in ARTIFACT_STATUSES or artifact.role not in ("name", "result"):
                raise BadInput(f"bad artifact record {artifact.name!r}: {artifact.status}")
        now = time.time()
        rows = [
            {
                "run_id": run_id,
                "role": a.role,
                "name": a.name,
                "kind": a.kind,
                "type": a.type[:200],
                "size": int(a.size),
                "hash": a.hash,
                "status": a.status,
                "reason": a.reason,
                "extra": dumps(a.extra),
                "created": now,
            }
            for a in artifacts
        ]
        with self._transaction(write=True) as connection:
            self._require(connection, run_id)
            connection.execute(ART.delete().where(ART.c.run_id == run_id))
            if rows:
                connection.execute(ART.insert(), rows)

    def artifacts(self, run_id: int) -> list[Artifact]:
        """A run's artifacts: the names its cell bound (in the cell's order), then its value."""
        with self._transaction() as connection:
            self._require(connection, run_id)
            return self._artifacts(connection, run_id)

    def _artifacts(self, connection: sa.Connection, run_id: int) -> list[Artifact]:
        rows = connection.execute(sa.select(ART).where(ART.c.run_id == run_id))
        found = [_artifact(r) for r in rows]
        return sorted(found, key=lambda a: (a.role == "result", a.extra.get("position", 0), a.name))

    # -- reading ------------------------------------------------------------

    def _require(self, connection: sa.Connection, run_id: int) -> None:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        if connection.execute(sa.select(R.c.id).where(R.c.id == run_id)).first() is None:
            raise UnknownRun(run_id)

    def get_run(self, run_id: int) -> Run:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
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
            artifacts = tuple(self._artifacts(connection, run_id))
        return Run(
            **_summary_fields(row, metrics, inferences[-1] if inferences else None),
            inference_count=len(inferences),
            verdict=_latest_verdict(inferences),
            code=row.code,
            full_params=loads(row.params, {}),
            data=loads(row.data, []),
            env=loads(row.env, {}),
            diagnoses=loads(row.diagnoses, []),
            checks=loads(row.checks, {}),
            error=row.error,
            inferences=inferences,
            host=row.host,
            pid=row.pid,
            nearest=loads(row.nearest, None),
            data_fingerprint=row.data_fingerprint,
            artifacts=artifacts,
            meta_features=loads(row.meta_features, None),
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
        query = sa.select(*_SUMMARY_COLUMNS).order_by(R.c.id.desc())
        query = _filtered(query, experiment, status, tag, q, fingerprint, ids, before)
        if limit is not None:
            query = query.limit(limit)
        with self._transaction() as connection:
            rows = connection.execute(query).all()
            run_ids = [r.id for r in rows]
            metrics = self._metric_summaries(connection, run_ids)
            latest, counts, verdicts = self._latest_inferences(connection, run_ids)
        return [
            RunSummary(
                **_summary_fields(row, metrics.get(row.id, {}), latest.get(row.id)),
                inference_count=counts.get(row.id, 0),
                verdict=verdicts.get(row.id),
            )
            for row in rows
        ]

    def _metric_summaries(
        self, connection: sa.Connection, run_ids: list[int]
    ) -> dict[int, dict[str, MetricSummary]]:
        found: dict[int, dict[str, MetricSummary]] = {}
        for chunk in limits.in_lists(run_ids):
            for r in connection.execute(sa.select(LM).where(LM.c.run_id.in_(chunk))):
                found.setdefault(r.run_id, {})[r.name] = MetricSummary(
                    r.name, r.last, r.last_epoch, r.best, r.best_epoch, r.goal, r.count
                )
        return found

    def _latest_inferences(
        self, connection: sa.Connection, run_ids: list[int]
    ) -> tuple[dict[int, Inference], dict[int, int], dict[int, str]]:
        latest: dict[int, Inference] = {}
        counts: dict[int, int] = {}
        verdicts: dict[int, str] = {}
        for chunk in limits.in_lists(run_ids):
            for r in connection.execute(
                sa.select(INF).where(INF.c.run_id.in_(chunk)).order_by(INF.c.id)
            ):
                latest[r.run_id] = _inference(r)
                counts[r.run_id] = counts.get(r.run_id, 0) + 1
                if r.verdict is not None:
                    verdicts[r.run_id] = r.verdict
        return latest, counts, verdicts

    def runs_table(
        self,
        *,
        experiment: str | None = None,
        status: str | None = None,
        tag: str | None = None,
    ) -> ListingColumns:
        """The runs of the DataFrame listing as columns, newest first (see :mod:`.listing`).

        The store keeps every run's values and reads only what changed since
        the last call, so listing a journal of 100,000 runs again costs a
        refresh, not a read of every run.
        """
        if status and status not in STATUSES:
            raise BadInput(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        with gc_paused():
            return self._listing.columns(self._listing_delta, experiment, status, tag)

    def _listing_delta(self, since: int | None, check: bool = False) -> ListingDelta:
        """Runs changed after change number ``since`` (all runs when ``None``), as raw tuples;
        with ``check``, the sum of every run's change number too (see :mod:`.listing`)."""
        with self._transaction() as connection:
            token = self._counter(connection)
            if check:
                count, seq_sum = connection.execute(
                    sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(R.c.change_seq), 0))
                ).one()
                seq_sum = int(seq_sum)
            else:
                count = connection.execute(sa.select(sa.func.count()).select_from(R)).scalar()
                seq_sum = None
            journal = connection.execute(sa.select(META.c.value).where(META.c.key == "id")).scalar()
            complete = since is None or since > token
            runs = sa.select(
                R.c.id, R.c.experiment, R.c.status, R.c.started, R.c.ended, R.c.hypothesis,
                R.c.tags, R.c.repeat_of, R.c.params_flat, R.c.final_metrics, R.c.change_seq,
            )  # fmt: skip
            latest = sa.select(sa.func.max(INF.c.id)).group_by(INF.c.run_id)
            if not complete:
                runs = runs.where(R.c.change_seq > since)
                latest = latest.where(
                    INF.c.run_id.in_(sa.select(R.c.id).where(R.c.change_seq > since))
                )
            given = INF.alias("given")  # the run's verdict: its latest inference that gave one
            verdict = (
                sa.select(given.c.verdict)
                .where(given.c.run_id == INF.c.run_id, given.c.verdict.is_not(None))
                .order_by(given.c.id.desc())
                .limit(1)
                .scalar_subquery()
            )
            inferences = sa.select(INF.c.run_id, INF.c.text, verdict.label("verdict")).where(
                INF.c.id.in_(latest.scalar_subquery())
            )
            return ListingDelta(
                token,
                int(count or 0),
                complete,
                connection.execute(runs).cursor.fetchall(),
                connection.execute(inferences).cursor.fetchall(),
                journal,
                seq_sum,
            )

    def nearest_candidates(
        self, experiment: str, data_fingerprint: str | None, window: int = 1000
    ) -> list[tuple[int, str, str]]:
        """``(id, experiment, params_flat)`` of the latest ``window`` finished runs of
        ``experiment`` and of those on the same data, newest first.

        What the nearest-run search compares a new cell with: one statement over
        two indexed reads, plain driver tuples (no record per row: they are read
        as every cell starts).
        """
        sources = [R.c.experiment == experiment]
        if data_fingerprint:
            sources.append(R.c.data_fingerprint == data_fingerprint)
        latest = [
            R.c.id.in_(
                sa.select(R.c.id)
                .where(source, R.c.status == "finished")
                .order_by(R.c.id.desc())
                .limit(window)
                .scalar_subquery()
            )
            for source in sources
        ]
        query = (
            sa.select(R.c.id, R.c.experiment, R.c.params_flat)
            .where(sa.or_(*latest))
            .order_by(R.c.id.desc())
        )
        with self._transaction() as connection:
            return connection.execute(query).cursor.fetchall()  # type: ignore[no-any-return]

    def runs_missing(
        self, experiment: str, settings: Sequence[Sequence[str]], window: int = 1000
    ) -> list[int]:
        """For each setting, how many of the latest ``window`` finished runs of ``experiment``
        miss it (one scan).

        Each setting is a few alternative fragments of ``params_flat`` text (as
        :func:`.serialize.setting_fragments` writes them); a run misses a
        setting when its text holds none of them.
        """
        if not settings:
            return []
        columns = [
            sa.func.coalesce(sa.func.sum(sa.case((self._holds(s), 0), else_=1)), 0)
            for s in settings
        ]
        latest = (
            sa.select(R.c.id)
            .where(R.c.experiment == experiment, R.c.status == "finished")
            .order_by(R.c.id.desc())
            .limit(window)
        )
        query = sa.select(*columns).where(R.c.id.in_(latest.scalar_subquery()))
        with self._transaction() as connection:
            return [int(v) for v in connection.execute(query).one()]

    def _holds(self, fragments: Sequence[str]) -> Any:
        """``params_flat`` holds one of ``fragments`` (a case-sensitive substring test)."""
        find = sa.func.strpos if self.backend == "postgresql" else sa.func.instr
        return sa.or_(*(find(R.c.params_flat, f) > 0 for f in fragments))

    def refuted_inferences(
        self, experiment: str, holding: Sequence[Sequence[str]] = (), limit: int = 50
    ) -> list[Inference]:
        """The latest inferences with the verdict ``refuted`` on runs of ``experiment``
        whose parameters hold every one of the settings ``holding`` (see :meth:`runs_missing`)."""
        query = (
            sa.select(INF)
            .join(R, R.c.id == INF.c.run_id)
            .where(R.c.experiment == experiment, INF.c.verdict == "refuted")
            .where(*(self._holds(s) for s in holding))
            .order_by(INF.c.id.desc())
            .limit(limit)
        )
        with self._transaction() as connection:
            return [_inference(r) for r in connection.execute(query)]

    def history(self, experiment: str, *, same_data: bool = False) -> History:
        """Every finished run of ``experiment`` (with ``same_data``: of every experiment on
        the data its runs used), oldest first, with final metric values and all inferences."""
        runs_query = sa.select(
            R.c.id, R.c.experiment, R.c.ended, R.c.params_flat, R.c.data_fingerprint
        ).where(R.c.status == "finished")
        if same_data:
            fingerprints = (
                sa.select(R.c.data_fingerprint)
                .where(R.c.experiment == experiment, R.c.data_fingerprint.is_not(None))
                .distinct()
            )
            runs_query = runs_query.where(
                sa.or_(R.c.experiment == experiment, R.c.data_fingerprint.in_(fingerprints))
            )
        else:
            runs_query = runs_query.where(R.c.experiment == experiment)
        runs_query = runs_query.order_by(R.c.id)
        selected = runs_query.subquery()
        with self._transaction() as connection, gc_paused():
            runs = [HistoryRow(*row) for row in connection.execute(runs_query).cursor.fetchall()]
            metrics = connection.execute(
                sa.select(LM.c.run_id, LM.c.name, LM.c.last).join(
                    selected, selected.c.id == LM.c.run_id
                )
            ).cursor.fetchall()
            inferences = [
                _inference(r)
                for r in connection.execute(
                    sa.select(INF)
                    .join(selected, selected.c.id == INF.c.run_id)
                    .order_by(INF.c.id.desc())
                )
            ]
        return History(runs, [tuple(m) for m in metrics], inferences)

    def experiment_table(
        self,
        experiment: str,
        *,
        q: str | None = None,
        sort: str | None = None,
        order: str | None = None,
        offset: int = 0,
        limit: int | None = 100,
    ) -> runs_table_page.ExperimentTable:
        """A page of the experiment page's table (:mod:`.table`); ``q`` in :mod:`.query`'s grammar."""
        with self._transaction() as connection:
            return runs_table_page.read(
                connection, self._table_columns, experiment,
                q=q, sort=sort, order=order, offset=offset, limit=limit,
            )  # fmt: skip

    def experiments(self) -> list[ExperimentSummary]:
        """Experiments, newest activity first; recomputed only when a run changed or was added."""
        with self._transaction() as connection:
            token = self._counter(connection)
            cached = self._experiments_cache
            if cached is not None and cached[0] == token:
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
                    sa.func.max(sa.case((LM.c.last_epoch.is_(None), 1), else_=0)),
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
        self._experiments_cache = (token, ordered)
        return ordered

    def changes(self, since: int | None) -> tuple[int, list[RunSummary]]:
        """Runs changed after ``since`` (a token from an earlier call), and the next token.

        Tokens are change numbers (see :meth:`_changed`), so hosts whose clocks
        disagree cannot hide a change. A token larger than any this journal gave
        (one from before its change counter, or from another journal) reports
        nothing and hands over the current token.
        """
        with self._transaction() as connection:
            token = self._counter(connection)
            if since is None or since > token:
                return token, []
            ids = [
                r.id
                for r in connection.execute(
                    sa.select(R.c.id).where(R.c.change_seq > since).order_by(R.c.id.desc())
                )
            ]
        return token, (self.list_runs(ids=ids) if ids else [])

    # -- crashed kernels ----------------------------------------------------

    def reap_crashed(self) -> list[int]:
        """Mark ``crashed`` the running runs whose kernel is gone; returns their ids.

        A run's kernel is gone when it ran on this host and its process no longer
        exists, or when its heartbeat is older than :data:`HEARTBEAT_TIMEOUT_S`.
        Called when a store is opened and on the server's timer, never by a read.
        A journal this process cannot write is left as it is.
        """
        now = time.time()
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
            if not dead:
                return []
            with self._transaction(write=True) as connection:
                reaped = list(
                    connection.execute(
                        sa.select(R.c.id)
                        .where(R.c.id.in_(dead), R.c.status == "running")
                        .with_for_update()  # a kernel finishing one now waits, or wins
                    ).scalars()
                )
                if reaped:
                    connection.execute(
                        R.update()
                        .where(R.c.id.in_(reaped))
                        .values(status="crashed", updated=now, ended=R.c.heartbeat)
                    )
                    self._changed(connection, reaped)
            return sorted(reaped)
        except JournalUnavailable:
            return []  # a read-only journal is still readable


def checked_inference(text: str | None, verdict: str | None) -> tuple[str, str | None]:
    """An inference's text (stripped, not empty, within the size limit) and verdict
    (normalised, one of VERDICTS)."""
    text = limits.text("the inference", (text or "").strip(), limits.INFERENCE_MAX)
    if not text:
        raise BadInput("an inference needs some text")
    if verdict is not None:
        verdict = verdict.strip().lower() or None
    if verdict is not None and verdict not in VERDICTS:
        raise BadInput(f"unknown verdict {verdict!r}: use one of {', '.join(VERDICTS)}")
    return text, verdict


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
        query = search.apply(query, q)
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
        "error_summary": error_summary(row.error) if row.error else None,
    }


def _artifact(row: Any) -> Artifact:
    return Artifact(
        run_id=row.run_id,
        name=row.name,
        kind=row.kind,
        type=row.type,
        size=int(row.size),
        hash=row.hash,
        status=row.status,
        reason=row.reason,
        role=row.role,
        extra=loads(row.extra, {}),
        created=row.created,
    )


def _latest_verdict(inferences: Sequence[Inference]) -> str | None:
    """A run's verdict: the latest one given; a note without a verdict does not erase it."""
    return next((i.verdict for i in reversed(inferences) if i.verdict is not None), None)


def _inference(row: Any) -> Inference:
    return Inference(row.id, row.run_id, row.text, row.verdict, row.created, row.author)


def _best_per_experiment(rows: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """From (experiment, metric, goal, min, max, reported) rows: each experiment's key metric
    and its best (``reported``: some run recorded the metric as a final value, see
    :func:`metric_goals.key_metric`)."""
    by_experiment: dict[str, dict[str, Any]] = {}
    reported: dict[str, list[str]] = {}
    for experiment, name, goal, smallest, largest, final in rows:
        best = smallest if goal == "min" else largest
        if best is not None:
            by_experiment.setdefault(experiment, {})[name] = best
            if final:
                reported.setdefault(experiment, []).append(name)
    chosen: dict[str, dict[str, Any]] = {}
    for experiment, metrics in by_experiment.items():
        name = metric_goals.key_metric(metrics, reported=reported.get(experiment, ()))
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


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _describe(error: BaseException, url: str) -> str:
    safe = _safe_url(url)
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return f"journal {safe} unavailable: {reason}"
