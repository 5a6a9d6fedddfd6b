"""Whose recorded code a replay may run: the same trust as artifacts that could run code.

A replay executes the upstream cells and the cell a run recorded. The procedure row is
as writable as any journal row, so a teammate (or anyone with the journal's access) could
plant code in it. The kernel therefore signs the code it records with the user's key
(:mod:`.signing`), bound to the run's id; a replay runs it only when the signature holds
and the key is trusted (the user's own, or one added with ``nbjournal trust add``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .signing import KeyUnavailable, Signature, own_signer, verify
from .trust import trusted_keys

ROLE, KIND = "procedure", "code"


def code_digest(record: dict[str, Any]) -> str:
    """A hash of every piece of code a replay of ``record`` would run, in order."""
    cells = [str(c.get("code", "")) for c in record.get("cells") or []]
    cell = record.get("cell") or {}
    text = json.dumps([*cells, str(cell.get("code", ""))], ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def signed(record: dict[str, Any], run_id: int) -> dict[str, object]:
    """``record`` with the user's signature of its code; unsigned when no key can be made."""
    try:
        signature = own_signer().sign("", ROLE, str(run_id), KIND, code_digest(record))
    except KeyUnavailable:
        return record
    return {**record, "signature": signature.as_extra()}


def code_refusal(record: dict[str, Any], run_id: int) -> str | None:
    """Why the code ``record`` holds must not run here, or ``None`` when its author is
    trusted."""
    signature = Signature.from_extra(record)
    if signature is None:
        return (
            f"run #{run_id}'s recorded code is not signed, so who wrote it cannot be told: "
            "replay runs only code recorded by you or a teammate you trust"
        )
    if not verify(signature, "", ROLE, str(run_id), KIND, code_digest(record)):
        return (
            f"run #{run_id}'s recorded code does not match its signature (changed since): not run"
        )
    if signature.key not in trusted_keys():
        return (
            f"run #{run_id}'s code was recorded by {signature.by} ({signature.key}), a key you do "
            f"not trust: read it with `nbjournal show {run_id}`, then `nbjournal trust add "
            f"{signature.key}` to replay it"
        )
    return None


def adopted(record: dict[str, Any], run_id: int, worker_key: str) -> dict[str, Any] | None:
    """``record`` signed with the user's key when a worker of the user's own grid signed it
    with ``worker_key`` (the kernel sent that code: its replay is the user's to run), or
    ``None`` when it is not validly signed by that key (it stays as it is)."""
    signature = Signature.from_extra(record)
    if (
        signature is None
        or signature.key != worker_key
        or not verify(signature, "", ROLE, str(run_id), KIND, code_digest(record))
    ):
        return None
    unsigned = {k: v for k, v in record.items() if k != "signature"}
    return signed(unsigned, run_id)
