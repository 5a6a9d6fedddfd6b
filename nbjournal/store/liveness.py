"""Liveness: a run's heartbeat and the reaping of runs whose kernel is gone.

Shared by runs and grid claims (:mod:`.grid_queries`): a process on this host is
alive while its pid exists; elsewhere, while its heartbeat is recent.
"""

from __future__ import annotations

import os
import socket
import time

import sqlalchemy as sa

from ..errors import JournalUnavailable
from .base import (
    R,
    StoreBase,
)

#: A running run whose heartbeat is older than this is taken for crashed.
HEARTBEAT_TIMEOUT_S = 120.0
#: This host's name, recorded on runs and claims (a process here can be checked by pid).
HOST = socket.gethostname()


class Liveness(StoreBase):
    """Heartbeats and reaping (at open time and on the server's timer, never in a read)."""

    def heartbeat(self, run_id: int) -> None:
        with self._transaction(write=True) as connection:
            connection.execute(
                R.update()
                .where(R.c.id == run_id, R.c.status == "running")
                .values(heartbeat=time.time())
            )

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
                or (r.host == HOST and r.pid is not None and not process_alive(r.pid))
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


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
