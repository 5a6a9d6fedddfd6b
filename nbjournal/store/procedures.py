"""Reading and writing a run's procedure (its upstream cells) and its replays.

Functions over a :class:`~nbjournal.store.store.Store` rather than methods on it:
the procedure is one small concern beside the run, kept in its own table.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import UnknownRun
from .schema import procedures as P
from .serialize import dumps, loads

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True)
class ProcedureRecord:
    """What the journal keeps of a run's procedure (plain data, never a row)."""

    run_id: int
    #: ``{"cell": {...}, "cells": [{execution_count, cell_id, code_hash, code, bound,
    #: names}...], "hidden": [...]}``
    slice: dict[str, Any]
    replay_of: int | None = None
    comparison: dict[str, Any] | None = None
    reproduced: float | None = None
    #: the runs that replay this one, oldest first
    replays: tuple[int, ...] = ()


def save_procedure(store: Store, run_id: int, record: Mapping[str, object]) -> None:
    """Keep a run's upstream cells (written once, as the run starts)."""
    with store._transaction(write=True) as connection:
        store._require(connection, run_id)
        connection.execute(P.delete().where(P.c.run_id == run_id))
        connection.execute(P.insert().values(run_id=run_id, slice=dumps(record)))
        store._changed(connection, [run_id])


def procedure(store: Store, run_id: int) -> ProcedureRecord | None:
    """The run's procedure, or ``None`` when the run recorded none (an older journal, a
    plain script, a grid point). An unknown run raises :class:`UnknownRun`."""
    with store._transaction() as connection:
        store._require(connection, run_id)
        row = connection.execute(sa.select(P).where(P.c.run_id == run_id)).first()
        replays = connection.execute(
            sa.select(P.c.run_id).where(P.c.replay_of == run_id).order_by(P.c.run_id)
        ).scalars()
        replayed_by = tuple(int(r) for r in replays)
    if row is None:
        return None
    return ProcedureRecord(
        run_id=run_id,
        slice=loads(row.slice, {}),
        replay_of=row.replay_of,
        comparison=loads(row.comparison, None) if row.comparison else None,
        reproduced=row.reproduced,
        replays=replayed_by,
    )


def record_replay(
    store: Store, replay_id: int, of: int, comparison: Mapping[str, object], matched: bool
) -> None:
    """Mark ``replay_id`` as a replay of ``of`` with how it compared; when it matched,
    ``of`` is marked reproduced now."""
    now = time.time()
    with store._transaction(write=True) as connection:
        for run_id in (replay_id, of):
            store._require(connection, run_id)
        exists = connection.execute(sa.select(P.c.run_id).where(P.c.run_id == replay_id)).first()
        values = {"replay_of": of, "comparison": dumps(comparison)}
        if exists:
            connection.execute(P.update().where(P.c.run_id == replay_id).values(**values))
        else:
            connection.execute(P.insert().values(run_id=replay_id, slice="{}", **values))
        if matched:
            if connection.execute(sa.select(P.c.run_id).where(P.c.run_id == of)).first() is None:
                connection.execute(P.insert().values(run_id=of, slice="{}"))
            connection.execute(P.update().where(P.c.run_id == of).values(reproduced=now))
        store._changed(connection, [replay_id, of])


__all__ = ["ProcedureRecord", "UnknownRun", "procedure", "record_replay", "save_procedure"]
