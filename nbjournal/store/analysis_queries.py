"""The queries analysis reads: nearest earlier runs, history of an experiment, the
experiment table (and what its query box may name), refuted inferences.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..errors import BadInput
from . import query, schema, vocabulary
from . import table as runs_table_page
from .base import (
    INF,
    LM,
    R,
    StoreBase,
    inference_record,
)
from .grid_inference_edits import grid_inference_record
from .listing import gc_paused
from .records import (
    GridConclusion,
    History,
    HistoryRow,
    Inference,
)

if TYPE_CHECKING:
    from .sql_types import Condition

GI = schema.grid_inferences
GR = schema.grid_runs


class AnalysisQueries(StoreBase):
    """Reads for :mod:`nbjournal.analysis` (nearest run, insights, the experiment page)."""

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
                .where(source, R.c.status == "finished", schema.KEPT)
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
            rows: list[tuple[int, str, str]] = list(connection.execute(query).cursor.fetchall())
        return rows

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
            .where(R.c.experiment == experiment, R.c.status == "finished", schema.KEPT)
            .order_by(R.c.id.desc())
            .limit(window)
        )
        query = sa.select(*columns).where(R.c.id.in_(latest.scalar_subquery()))
        with self._transaction() as connection:
            return [int(v) for v in connection.execute(query).one()]

    def _holds(self, fragments: Sequence[str]) -> Condition:
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
            .where(R.c.experiment == experiment, INF.c.verdict == "refuted", schema.KEPT)
            .where(*(self._holds(s) for s in holding))
            .order_by(INF.c.id.desc())
            .limit(limit)
        )
        with self._transaction() as connection:
            return [inference_record(r) for r in connection.execute(query)]

    def history(self, experiment: str, *, same_data: bool = False) -> History:
        """Every finished run of ``experiment`` (with ``same_data``: of every experiment on
        the data its runs used), oldest first, with final metric values and all inferences."""
        runs_query = sa.select(
            R.c.id, R.c.experiment, R.c.ended, R.c.params_flat, R.c.data_fingerprint
        ).where(R.c.status == "finished", schema.KEPT)
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
                inference_record(r)
                for r in connection.execute(
                    sa.select(INF)
                    .join(selected, selected.c.id == INF.c.run_id)
                    .order_by(INF.c.id.desc())
                )
            ]
            grid_inferences = _grid_conclusions(connection, selected)
        return History(runs, [tuple(m) for m in metrics], inferences, grid_inferences)

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

    def revision(self, experiment: str | None = None) -> tuple[object, ...]:
        """What an analysis reads, summed up: equal only while none of it changed, so an
        answer kept under it is current (the server's cached insights and groups).

        Every write of a run (its points, tags, inferences, trash) stamps it with the next
        change number: with ``experiment``, the largest stamp of its runs, with their count
        and largest id (rows written around the store, a purge), is its runs' revision, and
        training in another experiment changes nothing here; without, the whole journal's.
        Inferences, grids and chosen metrics are counted journal-wide, and the journal's id
        is part of it (a journal replaced under the same URL). A few index reads
        (~10 ms at 10,000 runs of 30,000), each one row.
        """
        grids, choices, links = schema.grids, schema.experiment_choices, schema.grid_runs
        counter = schema.change_counter
        runs = [
            # the counter: the journal's newest stamp, without reading every run's
            sa.select(sa.func.count(), sa.func.max(R.c.id)),
            sa.select(sa.func.max(counter.c.value)),
        ]
        if experiment is not None:
            runs = [
                sa.select(sa.func.count(), sa.func.max(R.c.id), sa.func.max(R.c.change_seq)).where(
                    R.c.experiment == experiment
                )
            ]
        parts = [
            # a journal replaced (a new file, every row deleted) has a new id
            sa.select(sa.func.max(schema.journal_meta.c.value)).where(
                schema.journal_meta.c.key == "id"
            ),
            *runs,
            sa.select(sa.func.count(), sa.func.max(INF.c.id)),
            sa.select(sa.func.count()).select_from(links),
            sa.select(sa.func.max(grids.c.updated), sa.func.max(grids.c.id)),
            sa.select(sa.func.max(schema.grid_inferences.c.id)),
            sa.select(sa.func.max(choices.c.updated)),
        ]
        with self._transaction() as connection:
            return tuple(value for part in parts for value in connection.execute(part).one())

    def vocabulary(self, experiment: str | None) -> vocabulary.Vocabulary:
        """What a query on ``experiment`` (None: the journal) can name, with its tags."""
        with self._transaction() as connection:
            return vocabulary.with_tags(connection, vocabulary.read(connection, experiment))

    def query_error(self, q: str | None, experiment: str | None = None) -> str | None:
        """Why the table would refuse ``q`` (one line), or None: the page asks this first, so
        a query being typed is not a failed request."""
        with self._transaction() as connection:
            try:
                parsed = vocabulary.check(connection, q, experiment)
                if parsed.words:  # a bare value is an error only when nothing matches
                    where = [query.scope(q)]
                    if experiment is not None:
                        where.append(R.c.experiment == experiment)
                    base = query.apply(sa.select(R.c.id).where(*where), q)
                    if connection.execute(sa.select(base.exists())).scalar() is False:
                        vocabulary.explain_empty(connection, parsed, experiment)
            except BadInput as error:
                return str(error)
        return None


def _grid_conclusions(connection: sa.Connection, selected: sa.Subquery) -> list[GridConclusion]:
    """Inferences on the grids that hold any of the ``selected`` runs, newest first, each with
    its grid's spec and how many of those runs are the grid's."""
    held = (
        sa.select(GR.c.grid_id, sa.func.count().label("runs"))
        .join(selected, selected.c.id == GR.c.run_id)
        .group_by(GR.c.grid_id)
        .subquery()
    )
    rows = connection.execute(
        sa.select(GI, schema.grids.c.spec, held.c.runs)
        .join(held, held.c.grid_id == GI.c.grid_id)
        .join(schema.grids, schema.grids.c.id == GI.c.grid_id)
        .order_by(GI.c.id.desc())
    )
    return [
        GridConclusion(grid_inference_record(r), json.loads(r.spec or "{}"), int(r.runs))
        for r in rows
    ]
