"""Saving what a cell made: turned into bytes on the kernel's thread, written on another.

The bytes are taken right after the cell's body, on the thread that ran it, so
they are the values the cell left (a later cell may change the model). Writing
blobs and their records, the slow part on a remote store, happens on a
background thread; the next ``%%experiment`` cell (and :func:`Journal.load`)
waits for it with :func:`wait_for_saves` before it looks for a run to restore.
A failure is reported once, as a warning, and the run stays recorded without
restore (DESIGN §4.1).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..errors import JournalError
from ..store import Artifact, Store
from .blobs import BlobStore, content_hash
from .codecs import Encoded, encode, type_name
from .signing import Signature, Signer, own_signer, verify

#: The name of the cell's value among its artifacts (``role='result'``).
RESULT = "Out"


@dataclass
class Snapshot:
    """A run's artifacts as records (without ``run_id`` yet) and the bytes of the stored ones."""

    records: list[Artifact] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)

    @property
    def stored_bytes(self) -> int:
        return sum(len(b) for b in self.blobs.values())


def snapshot(
    values: Mapping[str, object],
    result: object,
    *,
    limit: int,
    secrets: Collection[str] = (),
    forbidden: Sequence[bytes] = (),
) -> Snapshot:
    """Encode ``values`` (name → value, in the cell's order) and the cell's ``result``.

    Values beyond ``limit`` bytes in all are listed ``too-large`` and not kept. The
    names in ``secrets`` (``Out`` for the result), and any value whose bytes contain one
    of ``forbidden`` (secret environment values), are listed ``secret`` and never stored.
    """
    keras_models = {id(v): n for n, v in values.items() if _is_keras_model(v)}
    taken = Snapshot()
    items = [*((name, value, "name") for name, value in values.items()), (RESULT, result, "result")]
    first: dict[int, Artifact] = {}  # id(value) → its record: one object, stored once
    for position, (name, value, role) in enumerate(items):
        if name in secrets:
            taken.records.append(_secret(name, role, position, type_name(value)))
            continue
        if id(value) in first and value is not None:
            # ``best = model``: restored as one object under both names again
            original = first[id(value)]
            extra = {**original.extra, "position": position, "same_as": original.name}
            taken.records.append(replace(original, name=name, role=role, extra=extra))
            continue
        estimate = estimated_bytes(value)  # a value past the limit is never copied or pickled
        if estimate is not None and taken.stored_bytes + estimate > limit:
            reason = f"{estimate / 1e6:.4g} MB would pass the limit of {limit / 1e6:.4g} MB a run"
            kind = type_name(value)
            extra = {"position": position}
            taken.records.append(
                Artifact(0, name, "none", kind, estimate, None, "too-large", reason, role, extra)
            )
            continue
        encoded = encode(value, keras_models)
        if encoded.data is not None and any(secret in encoded.data for secret in forbidden):
            taken.records.append(_secret(name, role, position, encoded.type))
            continue
        taken.records.append(_record(name, role, position, encoded, taken, limit))
        first[id(value)] = taken.records[-1]
    return taken


def estimated_bytes(value: object) -> int | None:
    """What ``value`` takes in memory, cheaply, when it says (arrays: ``nbytes``; pandas:
    ``memory_usage(deep=True)``, which counts the text of object columns); else ``None``."""
    usage = getattr(value, "memory_usage", None)
    if callable(usage) and type(value).__module__.startswith("pandas"):
        try:
            total = usage(deep=True)
            return int(total.sum() if hasattr(total, "sum") else total)
        except (TypeError, ValueError):
            return None
    estimate = getattr(value, "nbytes", None)
    return estimate if isinstance(estimate, int) else None


def _secret(name: str, role: str, position: int, kind: str) -> Artifact:
    reason = "a secret: never stored"
    return Artifact(0, name, "none", kind, 0, None, "secret", reason, role, {"position": position})


def _record(
    name: str, role: str, position: int, encoded: Encoded, taken: Snapshot, limit: int
) -> Artifact:
    extra = {**encoded.extra, "position": position}
    data = encoded.data
    if data is None:
        return Artifact(0, name, encoded.kind, encoded.type, 0, None, "unsaveable",
                        encoded.reason, role, extra)  # fmt: skip
    digest = content_hash(data)
    if digest not in taken.blobs and taken.stored_bytes + len(data) > limit:
        reason = f"{len(data) / 1e6:.4g} MB would pass the limit of {limit / 1e6:.4g} MB a run"
        return Artifact(0, name, encoded.kind, encoded.type, len(data), None, "too-large",
                        reason, role, extra)  # fmt: skip
    taken.blobs[digest] = data
    return Artifact(0, name, encoded.kind, encoded.type, len(data), digest, "stored", None,
                    role, extra)  # fmt: skip


def save_snapshot(
    store: Store, blobs: BlobStore, run_id: int, taken: Snapshot, fingerprint: str | None = None
) -> int:
    """Write the blobs, then the records, each signed with the user's key over the run's
    ``fingerprint`` (read from the journal when not given), in one transaction; returns the
    bytes written anew."""
    if fingerprint is None:
        fingerprint = store.get_run(run_id).fingerprint
    signer = own_signer()
    written = 0
    for digest, data in taken.blobs.items():
        _, new = blobs.put(data, digest)
        written += len(data) if new else 0
    records = [_signed(replace(r, run_id=run_id), fingerprint, signer) for r in taken.records]
    store.add_artifacts(run_id, records)
    return written


def _signed(record: Artifact, fingerprint: str, signer: Signer) -> Artifact:
    if not record.stored or record.hash is None:
        return record
    signature = signer.sign(fingerprint, record.role, record.name, record.kind, record.hash)
    return replace(record, extra={**record.extra, "signature": signature.as_extra()})


def adopt(store: Store, run_id: int, worker_key: str) -> int:
    """Sign with the user's key the artifacts a worker of the user's own grid signed with
    ``worker_key`` (the key its task reported): the kernel sent that code, so what it made
    restores here as the user's own. A row not validly signed by that key stays as it is.
    Returns the rows adopted."""
    signer = own_signer()
    if worker_key == signer.public:
        return 0
    fingerprint = store.get_run(run_id).fingerprint
    records, adopted = [], 0
    for record in store.artifacts(run_id):
        found = Signature.from_extra(record.extra)
        if (
            found is not None and found.key == worker_key and record.hash is not None
            and verify(found, fingerprint, record.role, record.name, record.kind, record.hash)
        ):  # fmt: skip
            record, adopted = _signed(record, fingerprint, signer), adopted + 1
        records.append(record)
    if adopted:
        store.add_artifacts(run_id, records)
    return adopted


# -- in the background ---------------------------------------------------------------------

_pending: list[threading.Thread] = []
_failures: list[str] = []
_lock = threading.Lock()


def save_in_background(
    store: Store, blobs: BlobStore, run_id: int, taken: Snapshot
) -> threading.Thread:
    """Start writing ``taken``; not a daemon, so a script's exit waits for it."""

    def work() -> None:
        try:
            save_snapshot(store, blobs, run_id, taken)
        except (JournalError, OSError) as failure:
            with _lock:
                _failures.append(f"run #{run_id}'s artifacts were not saved: {failure}")

    thread = threading.Thread(target=work, name=f"nbjournal-artifacts-{run_id}")
    with _lock:
        _pending.append(thread)
    thread.start()
    return thread


def wait_for_saves(
    report: Callable[[str], None] | None = None, within: float | None = None
) -> list[str]:
    """Wait for every background save (at most ``within`` seconds in all, when given: a save
    still running then reports later); return (and ``report``) the failures, once each."""
    with _lock:
        threads = list(_pending)
    deadline = None if within is None else time.monotonic() + within
    for thread in threads:
        thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
    with _lock:
        _pending[:] = [t for t in _pending if t.is_alive()]
        failures = list(_failures)
        _failures.clear()
    for failure in failures:
        if report is not None:
            report(failure)
    return failures


def _is_keras_model(value: object) -> bool:
    import sys

    keras = sys.modules.get("keras")
    return keras is not None and isinstance(value, keras.Model)
