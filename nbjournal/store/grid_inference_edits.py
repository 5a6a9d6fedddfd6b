"""Editing and deleting a grid's inference, the old version kept, as a run's inference is
(:mod:`.inference_edits`): the REST API and the Python API change a grid's conclusion only here.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..errors import UnknownInference
from . import limits, schema
from .base import StoreBase, checked_inference
from .inference_edits import KEEP, keep_version, version_of
from .records import GridInference, InferenceVersion

if TYPE_CHECKING:
    from .sql_types import Query, TableRow

GI = schema.grid_inferences
GHIST = schema.grid_inference_history
_MAX_ID = 2**63 - 1


class GridInferenceEdits(StoreBase):
    """Change or withdraw a grid's conclusion; the journal keeps what it said before."""

    def edit_grid_inference(
        self,
        inference_id: int,
        text: str,
        verdict: str | None = KEEP,
        *,
        grid_id: int | None = None,
        author: str | None = None,
    ) -> GridInference:
        """The grid's inference with a new text (and verdict, unless ``KEEP``); the old
        version goes to the history. The same text and verdict change nothing."""
        with self._transaction(write=True) as connection:
            row = _current(connection, inference_id, grid_id)
            text, checked = checked_inference(text, row.verdict if verdict == KEEP else verdict)
            if (text, checked) == (row.text, row.verdict):
                return grid_inference_record(row)
            now = time.time()
            keep_version(connection, GHIST, "grid_id", row, now, "edited")
            connection.execute(
                GI.update()
                .where(GI.c.id == row.id)
                .values(text=text, verdict=checked, edited=now, author=author or row.author)
            )
            _touch(connection, row.grid_id, now)
            self._changed(connection, grid_run_ids(row.grid_id))
            updated = connection.execute(sa.select(GI).where(GI.c.id == row.id)).one()
        return grid_inference_record(updated)

    def delete_grid_inference(
        self, inference_id: int, *, grid_id: int | None = None
    ) -> InferenceVersion:
        """Withdraw a grid's inference: its text stays in the history as ``deleted``."""
        with self._transaction(write=True) as connection:
            row = _current(connection, inference_id, grid_id)
            now = time.time()
            kept = keep_version(connection, GHIST, "grid_id", row, now, "deleted")
            connection.execute(GI.delete().where(GI.c.id == row.id))
            _touch(connection, row.grid_id, now)
            self._changed(connection, grid_run_ids(row.grid_id))
        return kept


def grid_run_ids(grid_id: int) -> Query:
    """The runs of a grid, as a query: an inference on the grid changes what each of them
    shows (its ``grid_inference``), so a write stamps them all changed (the change feed)."""
    return sa.select(schema.grid_runs.c.run_id).where(schema.grid_runs.c.grid_id == grid_id)


def grid_inference_record(row: TableRow) -> GridInference:
    return GridInference(
        row.id, row.grid_id, row.text, row.verdict, row.created, row.author,
        getattr(row, "edited", None),
    )  # fmt: skip


def grid_histories(
    connection: sa.Connection, grid_ids: Sequence[int]
) -> dict[int, list[InferenceVersion]]:
    """Each grid's replaced and deleted inference versions, oldest first (for ``get_grids``)."""
    found: dict[int, list[InferenceVersion]] = {}
    rows = connection.execute(
        sa.select(GHIST).where(GHIST.c.grid_id.in_(grid_ids)).order_by(GHIST.c.replaced, GHIST.c.id)
    )
    for r in rows:
        found.setdefault(r.grid_id, []).append(version_of(r))
    return found


def _current(connection: sa.Connection, inference_id: int, grid_id: int | None) -> TableRow:
    if not isinstance(inference_id, int) or not 0 < inference_id <= _MAX_ID:
        raise UnknownInference(inference_id, grid_id, on="grid")
    query = sa.select(GI).where(GI.c.id == inference_id)
    if grid_id is not None:
        query = query.where(GI.c.grid_id == grid_id)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownInference(inference_id, grid_id, on="grid")
    return row


def _touch(connection: sa.Connection, grid_id: int, now: float) -> None:
    """The grid's ``updated`` moves, as adding an inference moves it (listings re-read it)."""
    connection.execute(
        schema.grids.update().where(schema.grids.c.id == grid_id).values(updated=now)
    )


def grid_inferences_of(
    connection: sa.Connection, run_ids: Sequence[int]
) -> dict[int, GridInference]:
    """Each run's newest inference on a grid it is a point of (runs of no such grid: absent)."""
    found: dict[int, GridInference] = {}
    links = schema.grid_runs
    for chunk in limits.in_lists(list(run_ids)):
        rows = connection.execute(
            sa.select(links.c.run_id, GI)
            .join(GI, GI.c.grid_id == links.c.grid_id)
            .where(links.c.run_id.in_(chunk))
            .order_by(GI.c.id)
        )
        for row in rows:  # oldest first: the newest stays
            found[row.run_id] = grid_inference_record(row)
    return found
