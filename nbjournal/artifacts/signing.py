"""Each user's Ed25519 key, and the signature that says who stored an artifact.

A journal row is writable by everyone who records into a shared journal, so
the blob's hash (checked on every read) says only that a blob was not damaged,
not who put it there. Every stored artifact row therefore carries a signature
over what decides how it loads: its run's fingerprint, its role and name, its
kind (the codec) and its hash (the bytes). Values whose loading can run code
(pickle, cloudpickle, a module imported by name) load only when that signature
is from a key the user trusts (:mod:`.trust`); a tampered row (another hash,
another kind, moved to another run) fails the check before a byte is read.

The key is made on first use under ``NBJOURNAL_HOME/keys/`` (the private half
readable by its owner only). Signatures come from ``cryptography``'s Ed25519,
imported when an artifact is first signed or checked.
"""

from __future__ import annotations

import base64
import getpass
import json
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import journal_home
from ..errors import JournalError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

#: How a public key is written for people and for ``nbjournal trust add``.
KEY_PREFIX = "ed25519:"
_CONTEXT = b"nbjournal-artifact-v1\0"
_lock = threading.Lock()
_cache: dict[Path, Signer] = {}


class KeyUnavailable(JournalError):
    """The user's signing key could not be read or made."""


@dataclass(frozen=True)
class Signature:
    """Who signed a row (``key``, ``by``: a name the signer gave, not checked) and the bytes."""

    key: str
    signature: str
    by: str

    def as_extra(self) -> dict[str, str]:
        return {"key": self.key, "sig": self.signature, "by": self.by}

    @classmethod
    def from_extra(cls, extra: dict[str, object]) -> Signature | None:
        found = extra.get("signature")
        if not isinstance(found, dict):
            return None
        key, sig, by = found.get("key"), found.get("sig"), found.get("by")
        if not isinstance(key, str) or not isinstance(sig, str):
            return None
        return cls(key, sig, by if isinstance(by, str) else "someone")


def keys_folder() -> Path:
    return journal_home() / "keys"


def message(fingerprint: str, role: str, name: str, kind: str, digest: str) -> bytes:
    """The signed bytes: canonical JSON of what decides how a row loads."""
    fields = [fingerprint, role, name, kind, digest]
    return _CONTEXT + json.dumps(fields, ensure_ascii=True, separators=(",", ":")).encode()


def encode_key(raw: bytes) -> str:
    return KEY_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_key(text: str) -> bytes:
    """The 32 raw bytes of a public key written ``ed25519:…``; :class:`ValueError` otherwise."""
    text = text.strip()
    if not text.startswith(KEY_PREFIX):
        raise ValueError(f"not a key: {text[:40]!r} (expected {KEY_PREFIX}…)")
    body = text[len(KEY_PREFIX) :]
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
    except (ValueError, TypeError):
        raise ValueError(f"not a key: {text[:40]!r} (bad base64)") from None
    if len(raw) != 32:
        raise ValueError(f"not a key: {text[:40]!r} (an Ed25519 key has 32 bytes)")
    return raw


class Signer:
    """The user's key pair: signs rows, names itself ``user@host`` in them."""

    def __init__(self, private: Ed25519PrivateKey, by: str) -> None:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        self._private = private
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public = encode_key(raw)
        self.by = by

    def sign(self, fingerprint: str, role: str, name: str, kind: str, digest: str) -> Signature:
        signed = self._private.sign(message(fingerprint, role, name, kind, digest))
        return Signature(self.public, base64.b64encode(signed).decode(), self.by)


def own_signer() -> Signer:
    """This user's key, made on first use under ``NBJOURNAL_HOME/keys``."""
    folder = keys_folder()
    with _lock:
        signer = _cache.get(folder)
        if signer is None:
            signer = _cache[folder] = _load_or_create(folder)
        return signer


def own_key() -> str:
    """This user's public key, as ``nbjournal trust add`` takes it on a teammate's machine."""
    return own_signer().public


def verify(signature: Signature, fingerprint: str, role: str, name: str, kind: str,
           digest: str) -> bool:  # fmt: skip
    """Whether ``signature`` is valid for these fields under its own key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        public = Ed25519PublicKey.from_public_bytes(decode_key(signature.key))
        public.verify(
            base64.b64decode(signature.signature, validate=True),
            message(fingerprint, role, name, kind, digest),
        )
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _load_or_create(folder: Path) -> Signer:
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:
        raise KeyUnavailable(
            "signing artifacts needs cryptography: pip install 'nbjournal[artifacts]'"
        ) from None
    path = folder / "signing_key.pem"
    try:
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            partial = folder / f".signing_key.{os.getpid()}.partial"
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
            try:
                os.link(partial, path)  # two kernels starting at once keep one key
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(partial, path)
            finally:
                partial.unlink(missing_ok=True)
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise KeyUnavailable(f"cannot read or make the signing key {path}: {error}") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyUnavailable(f"{path} is not an Ed25519 key")
    return Signer(private, _who())


def _who() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "someone"
    return f"{user}@{socket.gethostname()}"[:120]


def forget_keys() -> None:
    """Drop cached keys (tests move ``NBJOURNAL_HOME``)."""
    with _lock:
        _cache.clear()
