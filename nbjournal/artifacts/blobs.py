"""A content-addressed blob store over fsspec: the bytes of artifacts, each stored once.

A blob's name is the xxh3-128 hash of its bytes, so the same array saved by ten
runs is one file, and a blob that no longer matches its name (a truncated or
edited file) is found out when it is read. Any fsspec URL works: a local folder
(the default, beside the SQLite journal), ``memory://`` in tests, ``s3://`` or
``gcs://`` for a team. fsspec is imported here, when artifacts are first used.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import TYPE_CHECKING

import xxhash

from ..errors import JournalError

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem


class ArtifactUnavailable(JournalError):
    """A blob is missing, corrupt, or the artifact store cannot be reached."""


def content_hash(data: bytes | memoryview) -> str:
    return xxhash.xxh3_128_hexdigest(data)


class BlobStore:
    """Blobs under ``<url>/blobs/<2 hex>/<hash>``."""

    def __init__(self, url: str) -> None:
        try:
            import fsspec
        except ImportError:
            raise ArtifactUnavailable(
                "saving artifacts needs fsspec and cloudpickle: pip install 'nbjournal[artifacts]'"
            ) from None
        self.url = url
        try:
            self.fs, self.root = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError, OSError) as error:
            raise ArtifactUnavailable(f"cannot open the artifact store {url!r}: {error}") from None
        self.root = self.root.rstrip("/")
        self._local = "file" in _protocols(self.fs)

    def path(self, digest: str) -> str:
        return f"{self.root}/blobs/{digest[:2]}/{digest}"

    def put(self, data: bytes, digest: str | None = None) -> tuple[str, bool]:
        """Store ``data``; returns its hash and whether it was written (False: already there).

        A blob already there counts only when its bytes still match its name: a
        damaged one (a flipped byte, same size) is rewritten, so the next save of
        the same value heals what every cell sharing it reads. A write that fails
        (a full disk) leaves no ``.partial`` file behind.
        """
        digest = digest or content_hash(data)
        path = self.path(digest)
        partial: str | None = None
        try:
            if self._intact(path, digest, len(data)):
                return digest, False
            self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            if self._local:
                # write beside, then rename: a reader never sees half a blob
                partial = f"{path}.{uuid.uuid4().hex}.partial"
                self.fs.pipe_file(partial, data)
                self.fs.mv(partial, path)
                partial = None
            else:
                self.fs.pipe_file(path, data)
        except OSError as error:
            raise ArtifactUnavailable(f"cannot write to {self.url}: {error}") from None
        finally:
            if partial is not None:
                self._remove(partial)
        return digest, True

    def _intact(self, path: str, digest: str, size: int) -> bool:
        """Whether ``path`` holds exactly the blob named ``digest`` (read and hashed)."""
        if not self.fs.exists(path) or self.fs.size(path) != size:
            return False
        try:
            return content_hash(self.fs.cat_file(path)) == digest
        except OSError:
            return False

    def _remove(self, path: str) -> None:
        with contextlib.suppress(OSError):  # never written, or the disk is gone
            self.fs.rm_file(path)

    def get(self, digest: str) -> bytes:
        """The blob's bytes, checked against its name."""
        try:
            data = self.fs.cat_file(self.path(digest))
        except FileNotFoundError:
            raise ArtifactUnavailable(f"blob {digest[:12]}… is missing from {self.url}") from None
        except OSError as error:
            raise ArtifactUnavailable(f"cannot read {self.url}: {error}") from None
        if content_hash(data) != digest:
            raise ArtifactUnavailable(f"blob {digest[:12]}… in {self.url} is corrupt")
        return data

    def remove(self, digest: str) -> bool:
        """Delete a blob (``nbjournal purge``, once no run names it); whether it was there."""
        path = self.path(digest)
        try:
            if not self.fs.exists(path):
                return False
            self.fs.rm_file(path)
        except OSError as error:
            raise ArtifactUnavailable(
                f"cannot remove {digest[:12]}… from {self.url}: {error}"
            ) from None
        return True

    def total_bytes(self) -> int:
        """What the store holds on disk (for the benchmarks)."""
        try:
            found = self.fs.find(f"{self.root}/blobs", detail=True)
        except FileNotFoundError:
            return 0
        return sum(int(info.get("size") or 0) for info in found.values())


def _protocols(fs: AbstractFileSystem) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)
