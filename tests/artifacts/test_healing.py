"""Artifacts heal (issue 19.5): a damaged shared blob is rewritten, a full disk leaves nothing.

Planted: a blob whose bytes were flipped in place (same size, so the old
size-only check kept it for good and every cell sharing it failed to restore);
a disk that fills during the write (a real ``RLIMIT_FSIZE`` in a child process:
the OS refuses the write with EFBIG, as a full disk refuses with ENOSPC); a
DataFrame whose pickle would pass the size limit (estimated, never pickled).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from nbjournal.artifacts import ArtifactUnavailable, BlobStore, snapshot


@pytest.fixture(params=["local", "memory"])
def blobs(request, tmp_path):
    if request.param == "local":
        return BlobStore(str(tmp_path / "artifacts"))
    return BlobStore(f"memory://nbj-{uuid.uuid4().hex}")


def test_a_flipped_byte_blob_is_rewritten_by_the_next_put(blobs):
    data = bytes(range(256)) * 40
    digest, _ = blobs.put(data)
    damaged = bytearray(data)
    damaged[1234] ^= 0x01
    blobs.fs.pipe_file(blobs.path(digest), bytes(damaged))  # same size, wrong content
    with pytest.raises(ArtifactUnavailable, match="corrupt"):
        blobs.get(digest)
    again, written = blobs.put(data)  # the value is at hand again (the cell ran)
    assert (again, written) == (digest, True)
    assert blobs.get(digest) == data
    assert blobs.put(data) == (digest, False)  # intact now: not written again


_FULL_DISK = """
import resource, signal, sys
from nbjournal.artifacts import ArtifactUnavailable, BlobStore
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill, as ENOSPC would be
blobs = BlobStore(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    blobs.put(b"x" * 1_000_000)
except ArtifactUnavailable as error:
    print("refused:", error)
"""


def test_no_partial_file_survives_a_full_disk(tmp_path: Path):
    root = tmp_path / "artifacts"
    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(root)], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("refused: cannot write to"), done.stdout + done.stderr
    left = [p.name for p in root.rglob("*") if p.is_file()]
    assert left == []


class _Pickled:
    """Counts how often it is pickled: a value past the limit must never be."""

    times: ClassVar[list[int]] = []

    def __reduce__(self):
        _Pickled.times.append(1)
        return (_Pickled, ())


def test_a_frame_past_the_limit_is_refused_before_it_is_pickled():
    frame = pd.DataFrame({"thing": [_Pickled() for _ in range(20_000)], "n": range(20_000)})
    _Pickled.times.clear()
    taken = snapshot({"frame": frame, "small": np.arange(3)}, None, limit=100_000)
    statuses = {r.name: r.status for r in taken.records if r.name != "Out"}
    assert statuses == {"frame": "too-large", "small": "stored"}
    (record,) = [r for r in taken.records if r.name == "frame"]
    assert "would pass the limit" in (record.reason or "")
    assert _Pickled.times == []  # estimated (memory_usage(deep=True)), never serialised
