"""The store's grid methods: grid records, the runs linked to them, and point claims.

A claim is a row keyed by the point's fingerprint, so two kernels (or Dask
workers) asking for the same point, in the same grid or in two grids of the same
cell, contend for one row; the database decides who wins. A claim whose claimant
stopped beating (or whose process on this host is gone) is taken over.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import UnknownGrid
from ..rules.secrets import redact_code
from . import schema
from .base import StoreBase, checked_inference
from .grid_inference_edits import grid_histories, grid_inference_record, grid_run_ids
from .limits import in_lists
from .liveness import HOST, process_alive
from .records import (
    Grid,
    GridInference,
    GridPoint,
    GridSummary,
    InferenceVersion,
    MetricSummary,
)
from .serialize import dumps, loads

if TYPE_CHECKING:
    from .sql_types import TableRow

G = schema.grids
GR = schema.grid_runs
CL = schema.grid_claims
GI = schema.grid_inferences
R = schema.runs
LM = schema.latest_metrics

#: A claim whose claimant has not beaten for this long is taken for abandoned.
CLAIM_TIMEOUT_S = 60.0

CLAIMED, DONE, BUSY = "claimed", "done", "busy"


class GridQueries(StoreBase):
    """Grids, their points and inferences, and the claims that keep two workers off one point."""

    _transaction: Any
    backend: str

    # -- grids --------------------------------------------------------------

    def open_grid(
        self,
        *,
        experiment: str,
        fingerprint: str,
        spec_key: str,
        spec: Mapping[str, object],
        total: int,
        hypothesis: str = "",
        code: str = "",
        notebook: str | None = None,
    ) -> tuple[int, dict[str, object]]:
        """The grid record of this cell and spec: the earlier one (resumed) or a new one.

        Returns its id and its recorded spec (a resumed sample keeps its seed).
        """
        now = time.time()
        with self._transaction(write=True) as connection:
            # one grid per (cell, spec), even when several kernels open it at once
            connection.execute(
                self._insert_ignoring(G, ("fingerprint", "spec_key")).values(
                    experiment=experiment,
                    created=now,
                    updated=now,
                    hypothesis=hypothesis or "",
                    code=redact_code(code or ""),  # never store a secret
                    spec=dumps(spec),
                    fingerprint=fingerprint,
                    spec_key=spec_key,
                    total=int(total),
                    notebook=notebook,
                )
            )
            row = connection.execute(
                sa.select(G.c.id, G.c.spec).where(
                    G.c.fingerprint == fingerprint, G.c.spec_key == spec_key
                )
            ).one()
            connection.execute(G.update().where(G.c.id == row.id).values(updated=now))
        return int(row.id), loads(row.spec, {})

    def link_grid_runs(
        self, grid_id: int, links: Sequence[tuple[int, int, Mapping[str, object]]]
    ) -> None:
        """Link runs ``(run_id, point, values)`` to the grid (a link already there is kept)."""
        if not links:
            return
        with self._transaction(write=True) as connection:
            known = {
                r.run_id
                for r in connection.execute(
                    sa.select(GR.c.run_id).where(
                        GR.c.grid_id == grid_id, GR.c.run_id.in_([run for run, _, _ in links])
                    )
                )
            }
            rows = _new_links(grid_id, links, known)
            if rows:
                connection.execute(GR.insert(), rows)
            connection.execute(G.update().where(G.c.id == grid_id).values(updated=time.time()))

    def finished_fingerprints(self, fingerprints: Iterable[str]) -> dict[str, list[int]]:
        """For each fingerprint that has finished runs, their ids (oldest first): one query
        per 500 fingerprints, on the fingerprint index."""
        wanted = list(dict.fromkeys(fingerprints))
        found: dict[str, list[int]] = {}
        with self._transaction() as connection:
            for chunk in in_lists(wanted):
                for fingerprint, run_id in connection.execute(
                    sa.select(R.c.fingerprint, R.c.id)
                    .where(R.c.fingerprint.in_(chunk), R.c.status == "finished", schema.KEPT)
                    .order_by(R.c.id)
                ):
                    found.setdefault(fingerprint, []).append(int(run_id))
        return found

    def final_metrics(self, run_ids: Sequence[int]) -> dict[int, dict[str, float | None]]:
        """Each run's final value of each metric, from the summary table (what a grid row shows)."""
        found: dict[int, dict[str, float | None]] = {}
        with self._transaction() as connection:
            for chunk in in_lists(run_ids):
                for run_id, name, last in connection.execute(
                    sa.select(LM.c.run_id, LM.c.name, LM.c.last).where(LM.c.run_id.in_(chunk))
                ):
                    found.setdefault(run_id, {})[name] = last
        return found

    def grids_of_runs(self, run_ids: Sequence[int]) -> dict[int, list[int]]:
        """The grids each of ``run_ids`` is linked to (runs of no grid are absent)."""
        found: dict[int, list[int]] = {}
        with self._transaction() as connection:
            for chunk in in_lists(run_ids):
                for run_id, grid_id in connection.execute(
                    sa.select(GR.c.run_id, GR.c.grid_id)
                    .where(GR.c.run_id.in_(chunk))
                    .order_by(GR.c.grid_id)
                ):
                    found.setdefault(int(run_id), []).append(int(grid_id))
        return found

    def list_grids(self, experiment: str | None = None) -> list[GridSummary]:
        """Grids, newest first, with their runs counted by status."""
        query = sa.select(G).order_by(G.c.id.desc())
        if experiment:
            query = query.where(G.c.experiment == experiment)
        counts = (
            sa.select(GR.c.grid_id, R.c.status, sa.func.count())
            .join(R, R.c.id == GR.c.run_id)
            .where(schema.KEPT)
            .group_by(GR.c.grid_id, R.c.status)
        )
        with self._transaction() as connection:
            rows = connection.execute(query).all()
            by_grid: dict[int, dict[str, int]] = {}
            for grid_id, status, count in connection.execute(counts):
                by_grid.setdefault(grid_id, {})[status] = int(count)
        return [_grid_summary(row, by_grid.get(row.id, {})) for row in rows]

    def get_grid(self, grid_id: int) -> Grid:
        """The grid with each of its runs (values, status, final metrics), in the grid's order."""
        found = self.get_grids([grid_id])
        if not found:
            raise UnknownGrid(grid_id)
        return found[0]

    def get_grids(self, grid_ids: Sequence[int]) -> list[Grid]:
        """Several whole grids in one transaction, in the order asked (unknown ids left out).

        A listing of grids shows each one's best point, which needs all its runs:
        one read for them all rather than a round trip per grid.
        """
        wanted = list(dict.fromkeys(grid_ids))
        rows: dict[int, Any] = {}
        links: dict[int, list[Any]] = {}
        metrics: dict[int, dict[str, MetricSummary]] = {}
        inferences: dict[int, list[GridInference]] = {}
        histories: dict[int, tuple[InferenceVersion, ...]] = {}
        with self._transaction() as connection:
            for chunk in in_lists(wanted):
                for row in connection.execute(sa.select(G).where(G.c.id.in_(chunk))):
                    rows[row.id] = row
                for link in connection.execute(
                    sa.select(
                        GR.c.grid_id, GR.c.run_id, GR.c.point, GR.c.point_values, R.c.status,
                        R.c.started, R.c.ended, R.c.error,
                    )
                    .join(R, R.c.id == GR.c.run_id)
                    .where(GR.c.grid_id.in_(chunk), schema.KEPT)
                    .order_by(GR.c.grid_id, GR.c.point, GR.c.run_id)
                ):  # fmt: skip
                    links.setdefault(link.grid_id, []).append(link)
                for r in connection.execute(
                    sa.select(GI).where(GI.c.grid_id.in_(chunk)).order_by(GI.c.id)
                ):
                    inferences.setdefault(r.grid_id, []).append(grid_inference_record(r))
                for grid_id, versions in grid_histories(connection, chunk).items():
                    histories[grid_id] = tuple(versions)
            run_ids = list({link.run_id for found in links.values() for link in found})
            for chunk in in_lists(run_ids):
                for r in connection.execute(sa.select(LM).where(LM.c.run_id.in_(chunk))):
                    metrics.setdefault(r.run_id, {})[r.name] = MetricSummary(
                        r.name, r.last, r.last_epoch, r.best, r.best_epoch, r.goal, r.count
                    )
        return [
            _grid(
                rows[i],
                links.get(i, []),
                metrics,
                tuple(inferences.get(i, ())),
                histories.get(i, ()),
            )
            for i in wanted
            if i in rows
        ]

    def add_grid_inference(
        self, grid_id: int, text: str, verdict: str | None = None, author: str | None = None
    ) -> GridInference:
        """A conclusion about the grid as a whole (each run keeps its own inferences too)."""
        text, verdict = checked_inference(text, verdict)
        now = time.time()
        with self._transaction(write=True) as connection:
            found = connection.execute(G.update().where(G.c.id == grid_id).values(updated=now))
            if found.rowcount == 0:
                raise UnknownGrid(grid_id)
            inference_id = connection.execute(
                GI.insert().values(
                    grid_id=grid_id, text=text, verdict=verdict, created=now, author=author
                )
            ).inserted_primary_key[0]
            self._changed(connection, grid_run_ids(grid_id))
        return GridInference(int(inference_id), grid_id, text, verdict, now, author)

    # -- claims -------------------------------------------------------------

    def claim_point(
        self,
        fingerprint: str,
        claimant: str,
        *,
        grid_id: int | None = None,
        force: bool = False,
        timeout: float = CLAIM_TIMEOUT_S,
        live_here: Collection[str] | None = None,
    ) -> tuple[str, int | None]:
        """Claim the point ``fingerprint`` for ``claimant``, atomically.

        ``("claimed", None)``: run it, then :meth:`release_claim`. ``("done", id)``:
        a finished run has this fingerprint (not with ``force``). ``("busy", None)``:
        someone alive is running it now. ``live_here``: the claimants of this process that
        are still running; a claim of this process by any other claimant was abandoned (a
        grid stopped between claiming and releasing) and is taken over at once.
        """
        now = time.time()
        mine = {"claimant": claimant, "host": HOST, "pid": os.getpid(), "heartbeat": now}
        with self._transaction(write=True) as connection:
            inserted = connection.execute(
                self._insert_ignoring(CL, ("fingerprint",))
                .values(fingerprint=fingerprint, grid_id=grid_id, **mine)
                .returning(CL.c.fingerprint)
            ).first()
            if inserted is None:
                holder = connection.execute(
                    sa.select(CL).where(CL.c.fingerprint == fingerprint).with_for_update()
                ).first()
                if holder is None:
                    return BUSY, None  # released just now: ask again
                here = holder.host == HOST and holder.pid is not None
                abandoned = (
                    holder.heartbeat < now - timeout
                    or (here and holder.pid != os.getpid() and not process_alive(holder.pid))
                    or (
                        here
                        and holder.pid == os.getpid()
                        and live_here is not None
                        and holder.claimant not in live_here
                    )
                )
                if holder.claimant != claimant and not abandoned:
                    return BUSY, None
                connection.execute(
                    CL.update()
                    .where(CL.c.fingerprint == fingerprint)
                    .values(grid_id=grid_id, **mine)
                )
            if not force:
                done = connection.execute(
                    sa.select(sa.func.min(R.c.id)).where(
                        R.c.fingerprint == fingerprint, R.c.status == "finished", schema.KEPT
                    )
                ).scalar()
                if done is not None:
                    connection.execute(CL.delete().where(CL.c.fingerprint == fingerprint))
                    return DONE, int(done)
        return CLAIMED, None

    def beat_claims(self, claimant: str) -> None:
        """Keep this claimant's claims alive (called while its points run)."""
        with self._transaction(write=True) as connection:
            connection.execute(
                CL.update().where(CL.c.claimant == claimant).values(heartbeat=time.time())
            )

    def release_claim(self, fingerprint: str, claimant: str) -> None:
        with self._transaction(write=True) as connection:
            connection.execute(
                CL.delete().where(CL.c.fingerprint == fingerprint, CL.c.claimant == claimant)
            )


def _new_links(
    grid_id: int, links: Sequence[tuple[int, int, Mapping[str, object]]], known: set[int]
) -> list[dict[str, object]]:
    rows: dict[int, dict[str, object]] = {}
    for run, point, values in links:
        if run not in known and run not in rows:
            rows[run] = {
                "grid_id": grid_id,
                "run_id": run,
                "point": point,
                "point_values": dumps(values),
            }
    return list(rows.values())


def _grid(
    row: TableRow,
    links: Sequence[TableRow],
    metrics: dict[int, dict[str, MetricSummary]],
    inferences: tuple[GridInference, ...],
    history: tuple[InferenceVersion, ...],
) -> Grid:
    points = tuple(
        GridPoint(
            run_id=link.run_id,
            point=link.point,
            values=loads(link.point_values, {}),
            status=link.status,
            started=link.started,
            ended=link.ended,
            metrics=metrics.get(link.run_id, {}),
            error=link.error,
        )
        for link in links
    )
    counts: dict[str, int] = {}
    for p in points:
        counts[p.status] = counts.get(p.status, 0) + 1
    summary = _grid_summary(row, counts)
    return Grid(
        **vars(summary), code=row.code, points=points, inferences=inferences,
        inference_history=history,
    )  # fmt: skip


def _grid_summary(row: TableRow, counts: dict[str, int]) -> GridSummary:
    return GridSummary(
        id=row.id,
        experiment=row.experiment,
        created=row.created,
        updated=row.updated,
        hypothesis=row.hypothesis,
        spec=loads(row.spec, {}),
        total=row.total,
        runs=sum(counts.values()),
        done=counts.get("finished", 0),
        failed=counts.get("failed", 0) + counts.get("crashed", 0),
        running=counts.get("running", 0),
        notebook=row.notebook,
    )
