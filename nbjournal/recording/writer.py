"""A run's persistence: the journal while it answers, the local spool when it does not.

The writer is a thread that writes what the recorder buffered, one transaction
per batch of points, and beats the run's heartbeat. It reads the recorder
through a narrow interface (:class:`Recorded`): the points it hands over, the
state to persist, and where to say what went wrong. When the journal fails, the
writer starts the run's spool (:mod:`.spool`) and keeps everything there from
then on; at the run's end it writes the spool if the journal answers again.
"""

from __future__ import annotations

import atexit
import contextlib
import queue
import threading
import time
from collections.abc import Mapping
from typing import Protocol

from ..config import timeout
from ..errors import JournalError, JournalUnavailable
from ..store import MetricPoint, Store, check_available, mark_unavailable
from .spool import Spool, replay

HEARTBEAT_INTERVAL_S = 15.0
#: What the writer persists besides points, by the recorder's attribute of that name.
STATE = ("params", "data", "diagnoses", "checks", "meta_features")


class Recorded(Protocol):
    """What the writer reads of a run in progress."""

    store: Store | None
    run_id: int | None
    url: str

    @property
    def label(self) -> str: ...
    def take_pending(self) -> list[MetricPoint]: ...
    def warn(self, message: str) -> None: ...


class Writer(threading.Thread):
    """Writes a recorder's buffered state to the store, off the training thread."""

    def __init__(self, recorder: Recorded, spool: Spool | None = None) -> None:
        super().__init__(name=f"nbjournal-writer-{recorder.run_id}", daemon=True)
        self.recorder = recorder
        self.requests: queue.Queue[str | None] = queue.Queue()
        self.done = threading.Event()
        self.end: tuple[str, str | None] = ("finished", None)
        #: Points taken for the write under way: kept at exit if that write never ends.
        self.in_flight: list[MetricPoint] = []
        #: Where what the journal did not take is kept; set on the first failure.
        self.spool = spool
        self._spool_lock = threading.Lock()
        self._abandoned = False  # ``finish`` stopped waiting for the writer

    def request(self, what: str) -> None:
        """Ask for a write of ``points``, one of :data:`STATE`, or a ``heartbeat``."""
        self.requests.put(what)

    def close(self, status: str, error: str | None) -> None:
        """Ask for the last write and the run's end; :attr:`done` is set when they are done."""
        self.end = (status, error)
        self.requests.put(None)

    def abandon(
        self,
        points: list[MetricPoint],
        updates: Mapping[str, object],
        reason: str,
        end: tuple[str, str | None],
    ) -> None:
        """The run's end stopped waiting for this writer: what it holds goes to the spool."""
        with self._spool_lock:
            self._abandoned = True
        spool = self.keep(points, updates, reason, end=end)
        if spool is not None:
            spool.close()
        _abandoned_writers.append(self)

    def keep(
        self,
        points: list[MetricPoint],
        updates: Mapping[str, object],
        reason: str,
        end: tuple[str, str | None] | None = None,
    ) -> Spool | None:
        """Append what the journal did not take to the spool (started on the first failure)."""
        recorder = self.recorder
        with self._spool_lock:
            first = self.spool is None
            if first or self.spool.closed:  # type: ignore[union-attr]
                self.spool = Spool(recorder.url, recorder.run_id)
            spool = self.spool
        assert spool is not None
        if first:
            recorder.warn(
                f"{reason}; training goes on, and what the journal does not take is kept in "
                f"{spool.path} and written to it when it answers again"
            )
        try:
            if points:
                spool.add_points(points)
            if updates:
                spool.update(**updates)
            if end is not None:
                spool.finish(*end)
        except OSError as failure:
            recorder.warn(
                f"could not keep {len(points)} points of {recorder.label} locally ({failure}): "
                "they are lost"
            )
        return spool

    def run(self) -> None:
        try:
            self._loop()
            self._write({"points", *STATE})  # whatever is left
            self._finish(*self.end)
        except Exception as failure:  # the writer must never die silently
            self.recorder.warn(f"could not record the end of {self.recorder.label}: {failure!r}")
        finally:
            self.done.set()

    def _loop(self) -> None:
        last_beat = time.monotonic()
        while True:
            try:
                first = self.requests.get(timeout=HEARTBEAT_INTERVAL_S)
            except queue.Empty:
                first = "heartbeat"
            wanted = {first}
            while not self.requests.empty():  # coalesce what piled up while we wrote
                wanted.add(self.requests.get_nowait())
            if None in wanted:
                return
            if "heartbeat" in wanted and time.monotonic() - last_beat < HEARTBEAT_INTERVAL_S:
                wanted.discard("heartbeat")
            self._write(wanted)  # type: ignore[arg-type]
            last_beat = time.monotonic()

    def _write(self, wanted: set[str]) -> None:
        recorder = self.recorder
        points = recorder.take_pending() if "points" in wanted else []
        self.in_flight = points
        updates = {key: getattr(recorder, key) for key in STATE if key in wanted}
        store = recorder.store
        if self.spool is None and store is not None and recorder.run_id is not None:
            try:
                if points:
                    for problem in store.add_points(recorder.run_id, points):
                        recorder.warn(f"{problem}; that value is not recorded")
                    points = []
                if updates:
                    store.update_run(recorder.run_id, **updates)
                    updates = {}
                if "heartbeat" in wanted and not points:
                    store.heartbeat(recorder.run_id)
                return
            except JournalError as failure:
                if isinstance(failure, JournalUnavailable):
                    mark_unavailable(recorder.url, str(failure))
                reason = str(failure)
        else:
            reason = "the journal is unavailable"
            if "heartbeat" in wanted:
                self._beat_while_spooling()
        spool = self.keep(points, updates, reason)
        if self._abandoned and spool is not None:
            spool.close()

    def _beat_while_spooling(self) -> None:
        """Keep the run ``running`` (not reaped as crashed) once the journal answers again."""
        recorder = self.recorder
        if recorder.store is None or recorder.run_id is None:
            return
        try:
            check_available(recorder.url)
            recorder.store.heartbeat(recorder.run_id)
        except JournalError as failure:
            if isinstance(failure, JournalUnavailable):
                mark_unavailable(recorder.url, str(failure))

    def _finish(self, status: str, error: str | None) -> None:
        """Record the run's end; with a spool, try to write the spool first."""
        recorder = self.recorder
        store = recorder.store
        if self._abandoned:
            return
        if self.spool is None and store is not None and recorder.run_id is not None:
            try:
                store.finish_run(recorder.run_id, status, error)
                return
            except JournalError as failure:
                if isinstance(failure, JournalUnavailable):
                    mark_unavailable(recorder.url, str(failure))
                self.keep([], {}, str(failure))
        spool = self.spool
        assert spool is not None
        with self._spool_lock:
            if self._abandoned:
                return
            spool.finish(status, error)
            spool.close()
        _write_spool(recorder, spool, store, self.end)


def _write_spool(
    recorder: Recorded, spool: Spool, store: Store | None, end: tuple[str, str | None]
) -> None:
    """At the run's end, write its spool if the journal answers again; else say what is pending."""
    if store is None:
        return
    try:
        replay(store, recorder.url)
    except JournalError:
        if recorder.run_id is not None:
            # The end may get through where the points did not: say the record is incomplete.
            with contextlib.suppress(JournalError):
                store.finish_run(recorder.run_id, *end, pending=spool.points)
        return
    if spool.points:
        recorder.warn(
            f"the journal answers again: the {spool.points} points of {recorder.label} kept "
            "locally are written to it"
        )
    spool.points = 0


_abandoned_writers: list[Writer] = []


@atexit.register
def _keep_in_flight_points() -> None:
    """At exit, a write that never ended keeps its points in the spool (it will not commit now)."""
    for writer in _abandoned_writers:
        writer.join(timeout())
        if writer.is_alive() and writer.in_flight:
            spool = Spool(writer.recorder.url, writer.recorder.run_id)
            with contextlib.suppress(OSError):
                spool.add_points(writer.in_flight)
            spool.close()
