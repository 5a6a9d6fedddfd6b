"""Editing and deleting an inference, the old version kept: one rule for every caller.

The magic, the Python API and the REST API change a conclusion only here. A
replaced or deleted version goes to ``inference_history`` in the same
transaction, so what a run was once said to show is never lost; ``inferences``
holds the current conclusions only, and every reader of verdicts stays as it was.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final

import sqlalchemy as sa

from ..errors import UnknownInference
from . import schema
from .base import INF, StoreBase, checked_inference, inference_record
from .records import Inference, InferenceVersion

if TYPE_CHECKING:
    from .sql_types import TableRow

HIST = schema.inference_history
#: ``edit_inference(..., verdict=KEEP)``: the verdict stays as it was.
KEEP: Final = "keep"
_MAX_ID = 2**63 - 1


class InferenceEdits(StoreBase):
    """Change or withdraw a conclusion; the journal keeps what it said before."""

    def edit_inference(
        self,
        inference_id: int,
        text: str,
        verdict: str | None = KEEP,
        *,
        run_id: int | None = None,
        author: str | None = None,
    ) -> Inference:
        """The inference with a new text (and verdict, unless ``KEEP``); the old version
        goes to the history. The same text and verdict change nothing. ``run_id``: the run
        it must belong to (a URL names both)."""
        with self._transaction(write=True) as connection:
            row = self._current(connection, inference_id, run_id)
            text, checked = checked_inference(text, row.verdict if verdict == KEEP else verdict)
            if (text, checked) == (row.text, row.verdict):
                return inference_record(row)
            now = time.time()
            self._keep(connection, row, now, "edited")
            connection.execute(
                INF.update()
                .where(INF.c.id == row.id)
                .values(text=text, verdict=checked, edited=now, author=author or row.author)
            )
            self._update(connection, row.run_id, {"updated": now})
            self._changed(connection, [row.run_id])
            updated = connection.execute(sa.select(INF).where(INF.c.id == row.id)).one()
        return inference_record(updated)

    def delete_inference(self, inference_id: int, *, run_id: int | None = None) -> InferenceVersion:
        """Withdraw an inference: it leaves the run (and its verdict), its text stays in
        the history as ``deleted``."""
        with self._transaction(write=True) as connection:
            row = self._current(connection, inference_id, run_id)
            now = time.time()
            kept = self._keep(connection, row, now, "deleted")
            connection.execute(INF.delete().where(INF.c.id == row.id))
            self._update(connection, row.run_id, {"updated": now})
            self._changed(connection, [row.run_id])
        return kept

    def inference_history(self, run_id: int) -> tuple[InferenceVersion, ...]:
        """Every earlier version of the run's inferences, oldest first."""
        with self._transaction() as connection:
            return history_of(connection, run_id)

    def _current(
        self, connection: sa.Connection, inference_id: int, run_id: int | None
    ) -> TableRow:
        if not isinstance(inference_id, int) or not 0 < inference_id <= _MAX_ID:
            raise UnknownInference(inference_id, run_id)
        query = sa.select(INF).where(INF.c.id == inference_id)
        if run_id is not None:
            query = query.where(INF.c.run_id == run_id)
        row = connection.execute(query).first()
        if row is None:
            raise UnknownInference(inference_id, run_id)
        return row

    def _keep(
        self, connection: sa.Connection, row: TableRow, now: float, action: str
    ) -> InferenceVersion:
        return keep_version(connection, HIST, "run_id", row, now, action)


def keep_version(
    connection: sa.Connection, history: sa.Table, owner: str, row: TableRow, now: float, action: str
) -> InferenceVersion:
    """The current text of ``row`` (an inference of a run or a grid, whose id is its
    ``owner`` column) kept in ``history`` as replaced ``now`` by ``action``."""
    version = InferenceVersion(
        row.id, row.text, row.verdict, row.edited or row.created, now, action, row.author
    )
    row_values = {
        "inference_id": version.inference_id, owner: getattr(row, owner), "text": version.text,
        "verdict": version.verdict, "created": version.created, "replaced": now,
        "action": action, "author": version.author,
    }  # fmt: skip
    connection.execute(history.insert().values(**row_values))
    return version


def version_of(row: TableRow) -> InferenceVersion:
    """A row of ``inference_history`` or ``grid_inference_history`` as its record."""
    return InferenceVersion(
        row.inference_id, row.text, row.verdict, row.created, row.replaced, row.action, row.author
    )


def history_of(connection: sa.Connection, run_id: int) -> tuple[InferenceVersion, ...]:
    """The run's replaced and deleted inference versions, oldest first (for ``get_run``)."""
    rows = connection.execute(
        sa.select(HIST).where(HIST.c.run_id == run_id).order_by(HIST.c.replaced, HIST.c.id)
    )
    return tuple(version_of(r) for r in rows)
