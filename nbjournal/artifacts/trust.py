"""Whose artifacts may run code here: the user's own key and the keys they added.

Data-only artifacts (numpy arrays, frames as ``.npy`` columns, Keras files in
safe mode, plain values as JSON) load from anyone: their formats cannot run
code. A pickle, a cloudpickle or a module not yet imported loads only when its
row is signed (:mod:`.signing`) by a trusted key; otherwise :func:`refusal`
says whose it was and how to trust them, before a byte of it is read. By
default a user trusts only their own key; ``nbjournal trust add KEY`` (or
``%journal trust add KEY``) adds a teammate's, kept one per line in
``NBJOURNAL_HOME/keys/trusted``. The ``nbjournal trust`` console command and
``%journal trust`` call :func:`trust_add`, :func:`trust_list` and
:func:`trust_remove`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from ..store import Artifact
from .blobs import content_hash
from .codecs import IMPORTED_KINDS
from .signing import KeyUnavailable, Signature, decode_key, keys_folder, own_signer, verify

#: Kinds whose bytes cannot run code when loaded (``keras`` loads in Keras' safe mode).
DATA_KINDS = frozenset({"numpy", "frame", "json", "keras", "keras-history", "none"})
TRUSTED_FILE = "trusted"


@dataclass(frozen=True)
class TrustedKey:
    """A key whose signed artifacts load here; ``mine`` for the user's own."""

    key: str
    name: str
    mine: bool = False


def trusted_file() -> Path:
    return keys_folder() / TRUSTED_FILE


def trust_list() -> list[TrustedKey]:
    """The user's own key first, then the added ones in the order they were added."""
    mine = own_signer()
    found = [TrustedKey(mine.public, f"{mine.by} (you)", mine=True)]
    return found + [k for k in _added() if k.key != mine.public]


def trust_add(key: str, name: str | None = None) -> TrustedKey:
    """Trust ``key`` (``ed25519:…``, as ``nbjournal trust`` prints it); ``name`` is a note."""
    try:
        decode_key(key)
    except ValueError as error:
        raise BadInput(str(error)) from None
    key = key.strip()
    label = " ".join((name or "").split())[:120] or "added by hand"
    kept = [k for k in _added() if k.key != key]
    _write([*kept, TrustedKey(key, label)])
    return TrustedKey(key, label)


def trust_remove(key: str) -> bool:
    """Stop trusting ``key``; ``False`` when it was not trusted (the own key cannot go)."""
    key = key.strip()
    if key == own_signer().public:
        raise BadInput("that is your own key: your own artifacts are always trusted")
    added = _added()
    kept = [k for k in added if k.key != key]
    if len(kept) == len(added):
        return False
    _write(kept)
    return True


def keys_text() -> str:
    """The trusted keys, the user's own first, with how a teammate adds it (for
    ``%journal trust`` and ``nbjournal trust``)."""
    keys = trust_list()
    lines = ["Keys whose signed pickles, cloudpickles and modules load here:"]
    lines += [f"  {k.key}  {k.name}" for k in keys]
    lines.append(f"A teammate trusts yours with: nbjournal trust add {keys[0].key}")
    return "\n".join(lines)


def trusted_keys() -> frozenset[str]:
    return frozenset(k.key for k in trust_list())


def needs_trust(artifact: Artifact) -> bool:
    """Whether loading ``artifact`` could run code: anything but data kinds, and modules
    (or classes and functions of modules) already imported in this process: importing
    those again runs nothing."""
    if artifact.kind in DATA_KINDS:
        return False
    return imported_module(artifact) is None


def imported_module(artifact: Artifact) -> str | None:
    """What a ``module`` or ``ref`` row names (``os``, ``fractions:Fraction``) when its module
    is already imported here; the name is in the row's ``extra`` and checked against the
    row's hash (the hash of the name's bytes), so a row cannot claim one and hold another."""
    name = artifact.extra.get("module")
    if artifact.kind not in IMPORTED_KINDS or not isinstance(name, str) or not artifact.hash:
        return None
    if content_hash(name.encode()) != artifact.hash:
        return None
    return name if name.partition(":")[0] in sys.modules else None


def refusal(artifact: Artifact, fingerprint: str) -> str | None:
    """``None`` when ``artifact`` may load here; else one line: whose it is, how to trust."""
    if not needs_trust(artifact) or not artifact.stored or artifact.hash is None:
        return None
    what = f"{'its value' if artifact.role == 'result' else artifact.name} ({artifact.kind})"
    signature = Signature.from_extra(artifact.extra)
    if signature is None:
        return (
            f"{what} is not signed, and a {artifact.kind} can run code: only artifacts "
            "signed by a key you trust load"
        )
    fields = (fingerprint, artifact.role, artifact.name, artifact.kind, artifact.hash)
    try:
        trusted = trusted_keys()
    except (ImportError, KeyUnavailable) as error:
        return f"{what} is signed, but its signature cannot be checked here ({error})"
    if signature.key not in trusted:
        return (
            f"{what} was stored by {signature.by!r} with key {signature.key}, which you do "
            f"not trust; if you trust them: nbjournal trust add {signature.key}"
        )
    if not verify(signature, *fields):
        return (
            f"{what} does not match its signature by {signature.by!r} (the row was changed "
            "after it was signed)"
        )
    return None


def _added() -> list[TrustedKey]:
    try:
        text = trusted_file().read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError:
        return []
    found: list[TrustedKey] = []
    for line in text.splitlines():
        key, _, name = line.strip().partition(" ")
        if not key or key.startswith("#"):
            continue
        try:
            decode_key(key)
        except ValueError:
            continue  # a damaged line trusts nobody
        found.append(TrustedKey(key, name.strip() or "added by hand"))
    return found


def _write(keys: list[TrustedKey]) -> None:
    path = trusted_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{TRUSTED_FILE}.{os.getpid()}.partial")
    lines = ["# keys whose signed artifacts may load here (nbjournal trust add|remove)"]
    lines += [f"{k.key} {k.name}" for k in keys]
    try:
        partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
