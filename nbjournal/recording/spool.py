"""What the journal did not take, kept in a local file until it answers again.

When the journal fails (a server down or frozen, a full disk), a run's
recorder appends what it could not write — the run itself when even its start
could not be recorded, its points, its parameters, its end — to a file of JSON
lines under ``NBJOURNAL_HOME/spool/<journal>/``, one file per run. The next
time a kernel opens that journal (the next cell, or another kernel), the files
no live recorder holds are written to it in order and deleted, with one line
saying so. Nothing recorded is lost (DESIGN §4.2).

A recorder holds an exclusive ``flock`` on its file while the run lives, so
a replay never takes the file of a run still recording; a killed kernel's lock
goes with it. A file is rewritten after each event that reached the journal,
so a replay cut short resumes where it stopped and writes nothing twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..config import journal_home
from ..errors import BadInput, JournalError, UnknownRun

if TYPE_CHECKING:
    from ..store import MetricPoint, Store


def folder(url: str) -> Path:
    """The spool folder of one journal (named by a hash: no URL or password on disk)."""
    return journal_home() / "spool" / hashlib.sha256(url.encode()).hexdigest()[:16]


class Spool:
    """One run's spool file, created on the first event and locked while the run lives."""

    def __init__(self, url: str, run_id: int | None) -> None:
        self.url = url
        self.run_id = run_id
        self.path = folder(url) / f"{os.getpid()}-{uuid.uuid4().hex[:12]}.jsonl"
        self.points = 0
        #: Released: another kernel may be writing it to the journal; append to a new spool.
        self.closed = False
        self._file: IO[str] | None = None
        self._lock = threading.Lock()

    def create(self, spec: Mapping[str, object]) -> None:
        """The run itself could not be created: it is created when the spool is replayed."""
        self._append({"op": "create", "spec": spec})

    def add_points(self, points: list[MetricPoint]) -> None:
        rows = [[p.name, p.value, p.step, p.kind, p.epoch, p.part, p.time] for p in points]
        self._append({"op": "points", "run": self.run_id, "points": rows})
        self.points += len(points)

    def update(self, **fields: object) -> None:
        self._append({"op": "update", "run": self.run_id, **fields})

    def finish(self, status: str, error: str | None) -> None:
        event = {"op": "finish", "run": self.run_id, "status": status, "error": error}
        self._append({**event, "ended": time.time()})

    def close(self) -> None:
        """Release the file: from now on any kernel may replay it."""
        with self._lock:
            self.closed = True
            if self._file is not None:
                self._file.close()  # closing releases the flock
                self._file = None

    def _append(self, event: dict[str, object]) -> None:
        line = json.dumps(event, default=repr) + "\n"
        with self._lock:
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (held open)
                fcntl.flock(self._file, fcntl.LOCK_EX)
            self._file.write(line)
            self._file.flush()


def pending_files(url: str) -> list[Path]:
    base = folder(url)
    return sorted(base.glob("*.jsonl")) if base.is_dir() else []


def replay(store: Store, url: str) -> tuple[int, int]:
    """Write every spool file of this journal that no live run holds; ``(runs, points)`` written.

    Stops at the first failure of the journal (raised), keeping what was not written.
    """
    runs = points = 0
    for path in pending_files(url):
        written = _replay_file(store, path)
        if written is not None:
            runs += 1
            points += written
    return runs, points


def _replay_file(store: Store, path: Path) -> int | None:
    try:
        handle = open(path, "r+", encoding="utf-8")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # a run still recording holds it
        try:
            if os.stat(path).st_ino != os.fstat(handle.fileno()).st_ino:
                return None  # replayed and removed by another kernel meanwhile
        except FileNotFoundError:
            return None
        events = []
        for line in handle.read().splitlines():
            with contextlib.suppress(ValueError):  # a line torn by a kill: nothing after it counts
                events.append(json.loads(line))
        written = _apply(store, events, handle)
        os.unlink(path)
        return written


def _apply(store: Store, events: list[dict[str, Any]], handle: IO[str]) -> int:
    """Apply ``events`` in order; after each, rewrite ``handle`` with those left."""
    from ..store import MetricPoint

    run_id: int | None = None
    created = finished = False
    written = 0
    for index, event in enumerate(events):
        op = event.get("op")
        target = event.get("run") or run_id
        try:
            if op == "create":
                run_id = store.create_run(**event["spec"])
                created = True
            elif target is None:
                continue
            elif op == "points":
                batch = [MetricPoint(*row) for row in event["points"]]
                store.add_points(target, batch)
                written += len(batch)
            elif op == "update":
                fields = {k: event.get(k) for k in ("params", "data", "diagnoses", "meta_features")}
                store.update_run(target, **fields)
            elif op == "finish":
                store.finish_run(
                    target, event["status"], event.get("error"), ended=event.get("ended")
                )
                finished = True
        except (UnknownRun, BadInput):
            continue  # a run deleted meanwhile, a value refused: that event only
        except JournalError:
            _rewrite(handle, events[index:], run_id)
            raise
        _rewrite(handle, events[index + 1 :], run_id)
    if created and not finished and run_id is not None:
        store.finish_run(run_id, "crashed", "the kernel ended before the run did")
    return written


def _rewrite(handle: IO[str], left: list[dict[str, Any]], run_id: int | None) -> None:
    """Keep only the events not yet written (a created run's events now name its id)."""
    handle.seek(0)
    handle.truncate()
    for event in left:
        if event.get("op") == "create" and run_id is not None:
            continue
        if run_id is not None and event.get("run") is None:
            event = {**event, "run": run_id}
        handle.write(json.dumps(event, default=repr) + "\n")
    handle.flush()
