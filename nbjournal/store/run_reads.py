"""Reading runs: one run, the listing (and its delta), metrics, artifacts, experiments,
changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa

from ..errors import BadInput, UnknownRun
from ..rules import metric_goals
from ..rules.format import error_summary
from . import limits, rollups, schema, vocabulary
from . import query as search
from .base import (
    ART,
    INF,
    LM,
    META,
    MP,
    SUMMARY_COLUMNS,
    R,
    StoreBase,
    inference_record,
)
from .grid_inference_edits import grid_inferences_of
from .inference_edits import history_of
from .listing import ListingColumns, ListingDelta, gc_paused
from .records import (
    STATUSES,
    Artifact,
    ExperimentSummary,
    Inference,
    MetricColumns,
    MetricPoint,
    MetricSummary,
    Run,
    RunSummary,
)
from .serialize import loads

if TYPE_CHECKING:
    from .sql_types import Query, TableRow


class RunReads(StoreBase):
    """The reads of runs: what the sidebar, the views and the pandas API show."""

    def get_run(self, run_id: int) -> Run:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        with self._transaction() as connection:
            row = connection.execute(sa.select(R).where(R.c.id == run_id)).first()
            if row is None:
                raise UnknownRun(run_id)
            metrics = self._metric_summaries(connection, [run_id]).get(run_id, {})
            inferences = tuple(
                inference_record(r)
                for r in connection.execute(
                    sa.select(INF).where(INF.c.run_id == run_id).order_by(INF.c.id)
                )
            )
            artifacts = tuple(self._artifacts(connection, run_id))
            history = history_of(connection, run_id)
            on_grids = grid_inferences_of(connection, [run_id])
        return Run(
            **_summary_fields(row, metrics, inferences[-1] if inferences else None),
            inference_count=len(inferences),
            verdict=_latest_verdict(inferences),
            grid_inference=on_grids.get(run_id),
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
            inference_history=history,
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
        trashed: bool | None = False,
    ) -> list[RunSummary]:
        """Run summaries, newest first. ``before`` is the paging cursor (a run id).

        ``trashed``: ``False`` the kept runs (every listing), ``True`` the trash,
        ``None`` both (the change feed, which tells the sidebar a run left).
        """
        query: Query = sa.select(*SUMMARY_COLUMNS).order_by(R.c.id.desc())
        query = search.filtered(query, experiment, status, tag, q, fingerprint, ids, before)
        if trashed is not None:
            query = query.where(search.scope(q, trashed))
        if limit is not None:
            query = query.limit(limit)
        with self._transaction() as connection:
            parsed = vocabulary.check(connection, q, experiment) if q else None
            rows = connection.execute(query).all()
            if parsed is not None and not rows and before is None:
                vocabulary.explain_empty(connection, parsed, experiment)
            run_ids = [r.id for r in rows]
            metrics = self._metric_summaries(connection, run_ids)
            latest, counts, verdicts = self._latest_inferences(connection, run_ids)
            on_grids = grid_inferences_of(connection, run_ids)
        return [
            RunSummary(
                **_summary_fields(row, metrics.get(row.id, {}), latest.get(row.id)),
                inference_count=counts.get(row.id, 0),
                verdict=verdicts.get(row.id),
                grid_inference=on_grids.get(row.id),
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
                    r.name, r.last, r.last_epoch, r.best, r.best_epoch, r.goal, r._mapping["count"]
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
                latest[r.run_id] = inference_record(r)
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
                    sa.select(
                        sa.func.count(), sa.func.coalesce(sa.func.sum(R.c.change_seq), 0)
                    ).where(schema.KEPT)
                ).one()
                seq_sum = int(seq_sum)
            else:
                count = connection.execute(
                    sa.select(sa.func.count()).select_from(R).where(schema.KEPT)
                ).scalar()
                seq_sum = None
            journal = connection.execute(sa.select(META.c.value).where(META.c.key == "id")).scalar()
            complete = since is None or since > token
            # Kept runs only: a run sent to the trash changes the count, and a complete read follows.
            runs = sa.select(
                R.c.id, R.c.experiment, R.c.status, R.c.started, R.c.ended, R.c.hypothesis,
                R.c.tags, R.c.repeat_of, R.c.params_flat, R.c.final_metrics, R.c.change_seq,
            ).where(schema.KEPT)  # fmt: skip
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
        return token, (self.list_runs(ids=ids, trashed=None) if ids else [])

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
                )
                .where(schema.KEPT)
                .group_by(R.c.experiment)
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
                .where(schema.KEPT)
                .group_by(R.c.experiment, LM.c.name, LM.c.goal)
            ).all()
            best_by_experiment = _best_per_experiment(extremes)
            for experiment, best in best_by_experiment.items():
                best["best_run"] = connection.execute(
                    sa.select(sa.func.min(LM.c.run_id))
                    .join(R, R.c.id == LM.c.run_id)
                    .where(
                        schema.KEPT,
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
            found[key] = (total, cast(MetricColumns, tuple(map(list, zip(*points, strict=True)))))
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

    def artifacts(self, run_id: int) -> list[Artifact]:
        """A run's artifacts: the names its cell bound (in the cell's order), then its value."""
        with self._transaction() as connection:
            self._require(connection, run_id)
            return self._artifacts(connection, run_id)

    def _artifacts(self, connection: sa.Connection, run_id: int) -> list[Artifact]:
        rows = connection.execute(sa.select(ART).where(ART.c.run_id == run_id))
        found = [_artifact(r) for r in rows]
        return sorted(found, key=lambda a: (a.role == "result", a.extra.get("position", 0), a.name))


def _summary_fields(
    row: TableRow, metrics: dict[str, MetricSummary], inference: Inference | None
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
        "deleted_at": getattr(row, "deleted_at", None),
    }


def _artifact(row: TableRow) -> Artifact:
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


def _columns_by_part(rows: Sequence[TableRow]) -> dict[int, MetricColumns]:
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
