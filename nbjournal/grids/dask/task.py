"""A grid point as a Dask task: the worker claims, runs and records the point itself.

Everything here runs in a Dask worker process. A task opens the journal by the
URL the notebook resolved, claims the point (so a point done anywhere is skipped
everywhere), runs it through :func:`.point.claim_and_run` (and so through
:mod:`nbjournal.runs.lifecycle`, like any other run) and returns a few plain
values; the notebook learns the rest from the journal.

The stop button reaches a running point through :func:`stop_grid`, which the
notebook runs on every worker (``Client.run``): it raises ``KeyboardInterrupt``
in the threads running that grid's bodies, so their runs end ``interrupted``
through the same lifecycle as a stopped cell, and tasks that start later do nothing.
"""

from __future__ import annotations

import ctypes
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from importlib import metadata
from typing import NotRequired, TypedDict, cast

from ...recording.native_quiet import native_stderr_quiet, start_tensorflow
from ...runs.body import execute
from ..point import LIVE_CLAIMANTS, PointJob, PointOutcome, claim_and_run, run_point


class TaskAnswer(TypedDict):
    """How a point's task ended, as plain values (the notebook reads the rest in the journal)."""

    index: int
    status: str
    run_id: int | None
    host: NotRequired[str]
    error: NotRequired[str | None]
    #: whose signature the point's artifacts carry
    signer: NotRequired[str | None]


class WorkerFacts(TypedDict):
    """What the notebook checks of a worker before a grid."""

    host: str
    versions: dict[str, str | None]


#: The name under which ``run_grid``'s function travels among the shipped inputs.
CALL = "__nbjournal_call__"
#: How long a task waits before asking again for a point someone else is running.
BUSY_POLL_S = 0.5
#: Packages whose versions must match between the notebook and the workers.
WATCHED_PACKAGES = ("nbjournal", "keras", "tensorflow")

_lock = threading.Lock()
_bodies: dict[str, set[int]] = {}  # grid token → threads running one of its bodies now
_stopped: set[str] = set()  # grid tokens stopped from the notebook


def run_task(
    job: PointJob,
    inputs: dict[str, object],
    journal_url: str,
    artifacts_url: str,
    token: str,
    force: bool = False,
) -> TaskAnswer:
    """Claim, run and record one point on this worker; how it ended, as plain values.

    ``status`` is ``finished``, ``failed``, ``interrupted``, ``done`` (a finished
    run has the point's fingerprint: ``run_id`` is it) or ``cancelled`` (the grid
    was stopped before this task started).
    """
    from ...runs.lifecycle import open_journal
    from ...runs.restore import settle_saves
    from ..runner import ClaimBeat

    host = socket.gethostname()
    if token in _stopped:
        return {"index": job.index, "status": "cancelled", "run_id": None, "host": host}
    # Artifacts go where the notebook's would: a later identical cell there restores them.
    os.environ["NBJOURNAL_ARTIFACTS"] = artifacts_url
    store = open_journal(journal_url)
    namespace = dict(inputs)  # the worker's copy of the inputs stays as shipped
    call = cast("Callable[..., object] | None", namespace.pop(CALL, None))
    body = _body(job, namespace, call, token)
    if store is None:
        outcome = _interruptible(lambda: run_point(job, namespace, sinks=[], execute=body))
        return _answer(job, outcome, host)
    claimant = f"{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    beating = ClaimBeat(store, claimant)
    try:
        while True:
            outcome = _interruptible(
                lambda: claim_and_run(
                    job, namespace, store=store, claimant=claimant, force=force, sinks=[],
                    execute=body,
                )
            )  # fmt: skip
            if outcome is None or outcome.status != "busy":
                break
            if token in _stopped:
                return {"index": job.index, "status": "cancelled", "run_id": None, "host": host}
            time.sleep(BUSY_POLL_S)
    finally:
        beating.stop()
        LIVE_CLAIMANTS.discard(claimant)
    settle_saves()
    return _answer(job, outcome, host)


def stop_grid(token: str) -> int:
    """Interrupt this worker's running bodies of the grid ``token``; later tasks do nothing.

    Run on every worker by the notebook's stop button (``Client.run``); the number of
    bodies interrupted here."""
    with _lock:
        _stopped.add(token)
        threads = list(_bodies.get(token, ()))
        for ident in threads:
            _raise_in(ident, KeyboardInterrupt)
    return len(threads)


def warm_worker(journal_url: str, modules: list[str]) -> list[str]:
    """Ready this worker for the grid's points while the notebook prepares them: open the
    journal (the process keeps it for every point) and import what the body imports, so the
    first point does not pay for them (TensorFlow alone takes seconds). The modules imported."""
    import importlib

    from ...runs.lifecycle import open_journal
    from ..runner import ClaimBeat  # noqa: F401  (what every task imports)

    open_journal(journal_url)
    imported = []
    with native_stderr_quiet():
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # the body meets the same error, and reports it
                continue
            imported.append(name)
        start_tensorflow()
    return imported


def worker_facts() -> WorkerFacts:
    """What the notebook checks before a grid: this worker's host and package versions."""
    return {"host": socket.gethostname(), "versions": package_versions()}


def package_versions() -> dict[str, str | None]:
    """Installed versions of :data:`WATCHED_PACKAGES`, read without importing them."""
    found: dict[str, str | None] = {}
    for name in WATCHED_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def _body(
    job: PointJob, namespace: dict[str, object], call: Callable[..., object] | None, token: str
) -> Callable[[], object]:
    """The point's body, registered while it runs so :func:`stop_grid` can interrupt it."""

    def body() -> object:
        ident = threading.get_ident()
        with _lock:
            if token in _stopped:
                raise KeyboardInterrupt
            _bodies.setdefault(token, set()).add(ident)
        try:
            if call is not None:
                return call(**job.bound)
            return execute(job.source, namespace)
        finally:
            with _lock:
                _bodies.get(token, set()).discard(ident)
                _raise_in(ident, None)  # a stop that came as the body ended is dropped

    return body


def _interruptible(step: Callable[[], PointOutcome]) -> PointOutcome | None:
    """``step()``, or ``None`` when the grid's stop interrupted it (the run is recorded
    ``interrupted`` by the lifecycle on the way out)."""
    try:
        return step()
    except KeyboardInterrupt:
        return None


def _answer(job: PointJob, outcome: PointOutcome | None, host: str) -> TaskAnswer:
    if outcome is None:
        return {"index": job.index, "status": "interrupted", "run_id": None, "host": host}
    return {
        "index": job.index,
        "status": outcome.status,
        "run_id": outcome.run_id,
        "error": outcome.error,
        "host": host,
        "signer": _own_key(),  # whose signature the point's artifacts carry
    }


def _own_key() -> str | None:
    from ...artifacts.signing import KeyUnavailable, own_key

    try:
        return own_key()
    except KeyUnavailable:
        return None


def _raise_in(ident: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in thread ``ident`` at its next Python instruction (``None``
    withdraws one not raised yet): how a worker's running body is stopped, since a Dask
    task cannot be cancelled once it runs."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(exception) if exception is not None else None
    )
