"""The run listing kept on local disk: a new process lists a big journal without reading it all.

Reading every run of a journal of 100,000 runs costs about a second, most of
it the database driver handing over a million values one at a time. So a
process that has listed a journal leaves the listing's columns in
``NBJOURNAL_HOME/cache/listing-<hash of the journal URL>.pickle``; the first
listing of the next process loads them and reads only the runs changed since
(:class:`~nbjournal.store.listing.RunListing` checks what it loaded before
trusting it: the journal's id, the change number, the runs' count and the sum
of their change numbers).

A copy that cannot be used (another journal's, another nbjournal version's,
cut short, not a listing at all) is ignored and the journal read as before; a
copy that cannot be written (a read-only home, a full disk) is skipped. Copies
are written to a temporary file and renamed over the old one, so two processes
saving at once leave one whole copy, never a mix. Only builtin values are ever
unpickled (:class:`_Builtins`): the file is data, not code.

A copy is sealed with an HMAC-SHA256 under a key of this home
(``cache/listing.key``, readable by its owner only) and checked before a byte
of it is unpickled: someone who can write the cache folder but not read that
key cannot forge a copy (a planted hypothesis, planted metrics); a copy with no
valid seal is ignored. The owner of the home can, of course, forge their own.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from ..config import journal_home

#: Bumped when what is saved changes shape; with the nbjournal version, in every copy's header.
FORMAT = 2  # 2: sealed (HMAC) copies
#: ``NBJOURNAL_LISTING_CACHE=0`` keeps no copy (every process reads the journal in full).
ENV = "NBJOURNAL_LISTING_CACHE"

_log = logging.getLogger(__name__)


class DiskCopy:
    """Where one journal's listing is kept, and its loading and saving."""

    def __init__(self, url: str) -> None:
        self.key = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.path = journal_home() / "cache" / f"listing-{self.key}.pickle"

    @classmethod
    def for_url(cls, url: str) -> DiskCopy | None:
        """The copy of ``url``'s listing, or ``None`` when copies are turned off."""
        if os.environ.get(ENV, "1").strip().lower() in ("0", "false", "no", "off"):
            return None
        return cls(url)

    def header(self) -> dict[str, Any]:
        from .._version import __version__

        return {"format": FORMAT, "version": __version__, "key": self.key}

    def load(self) -> dict[str, Any] | None:
        """The saved state, or ``None`` when there is none this version can trust."""
        try:
            with open(self.path, "rb") as file:
                size = int.from_bytes(file.read(8), "big")
                if size > 4096 or _Builtins(io.BytesIO(file.read(size))).load() != self.header():
                    return None
                seal, body = file.read(32), file.read()
            expected = self._seal(body, create=False)
            if expected is None or not hmac.compare_digest(seal, expected):
                _log.debug("nbjournal: listing copy %s has no valid seal: ignored", self.path)
                return None
            state = _Builtins(io.BytesIO(body)).load()
        except FileNotFoundError:
            return None
        except Exception as error:  # a copy cut short or not ours: read the journal instead
            _log.debug("nbjournal: listing copy %s unusable: %s", self.path, error)
            return None
        return state if isinstance(state, dict) else None

    def save(self, state: dict[str, Any]) -> None:
        """Replace the copy with ``state`` in one rename; any failure leaves things as they were."""
        temporary: Path | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=self.path.parent, prefix=f".{self.path.name}.", delete=False
            ) as file:
                temporary = Path(file.name)
                header = pickle.dumps(self.header(), protocol=pickle.HIGHEST_PROTOCOL)
                body = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
                file.write(len(header).to_bytes(8, "big") + header)
                seal = self._seal(body, create=True)
                if seal is None:
                    return
                file.write(seal + body)
            os.replace(temporary, self.path)
            temporary = None
        except Exception as error:  # a read-only home, a full disk: list without a copy
            _log.debug("nbjournal: listing copy %s not saved: %s", self.path, error)
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink()

    def _seal(self, body: bytes, *, create: bool) -> bytes | None:
        """HMAC-SHA256 of ``body`` under this home's key (made, owner-only, when ``create``);
        ``None`` when there is no key to read (then no copy is trusted)."""
        key_path = self.path.parent / "listing.key"
        try:
            key = key_path.read_bytes()
        except FileNotFoundError:
            if not create:
                return None
            key = os.urandom(32)
            descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(key)
        if len(key) < 32:
            return None
        return hmac.new(key + self.key.encode(), body, hashlib.sha256).digest()


class _Builtins(pickle.Unpickler):
    """Unpickles lists, dicts, tuples, strings and numbers only: no class, no function."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(
            f"a listing copy holds only builtin values, not {module}.{name}"
        )
