"""The store's reads for similar data sets: which finished runs say what their data is like.

A run recorded before meta-features existed (or whose fit could not be read)
has none; it still counts when another run on the same data (the same
``data_fingerprint``) has them: it gets them lazily, at read time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from . import schema
from .serialize import loads

R = schema.runs


@dataclass(frozen=True)
class MetaRow:
    """A finished run and what its data is like (borrowed from a run on the same data when
    it has none of its own)."""

    id: int
    experiment: str
    data_fingerprint: str | None
    meta_features: dict[str, Any]


class SimilarQueries:
    """Mixed into :class:`~nbjournal.store.store.Store` (it provides ``_transaction``)."""

    _transaction: Any

    def meta_feature_rows(self, *, exclude_experiment: str | None = None) -> list[MetaRow]:
        """Every finished run (not in the trash) with meta-features, its own or its data's,
        oldest first."""
        known = sa.select(R.c.data_fingerprint).where(
            R.c.meta_features.is_not(None), R.c.data_fingerprint.is_not(None), schema.KEPT
        )
        query = (
            sa.select(R.c.id, R.c.experiment, R.c.data_fingerprint, R.c.meta_features)
            .where(
                R.c.status == "finished",
                schema.KEPT,  # a run in the trash is no one's history
                sa.or_(R.c.meta_features.is_not(None), R.c.data_fingerprint.in_(known)),
            )
            .order_by(R.c.id)
        )
        if exclude_experiment is not None:
            query = query.where(R.c.experiment != exclude_experiment)
        with self._transaction() as connection:
            rows = connection.execute(query).all()
        by_data: dict[str, dict[str, Any]] = {}
        parsed = []
        for row in rows:
            meta = loads(row.meta_features, None)
            if meta and row.data_fingerprint:
                by_data.setdefault(row.data_fingerprint, meta)
            parsed.append((row, meta))
        found = []
        for row, meta in parsed:
            meta = meta or by_data.get(row.data_fingerprint or "")
            if meta:
                found.append(MetaRow(row.id, row.experiment, row.data_fingerprint, meta))
        return found
