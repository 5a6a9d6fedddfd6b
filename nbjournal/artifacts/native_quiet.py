"""Keep what native libraries write to the process's stderr out of the cell, while nbjournal
loads them on the person's behalf (TensorFlow's start-up notes)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def native_stderr_quiet() -> Iterator[None]:
    """The process's standard error (file descriptor 2) sent nowhere for a while.

    TensorFlow writes a dozen start-up notes there from C++ as it loads and first
    looks for devices ("oneDNN custom operations are on", "failed call to cuInit"),
    which no setting silences. A kernel forwards what reaches that descriptor into the
    running cell, and a local cluster's workers share it: the notes would land in the
    cell whenever nbjournal loads a library for the person (a worker readied for a
    grid, a restored Keras model); they can do nothing about them. Python's own
    ``sys.stderr`` in a kernel is not that descriptor: warnings still show.
    """
    try:
        saved = os.dup(2)
        nowhere = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    try:
        sys.stderr.flush()
        os.dup2(nowhere, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(nowhere)


def start_tensorflow() -> None:
    """Let an imported TensorFlow look for its devices now (its last start-up note)."""
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is None:
        return
    with contextlib.suppress(Exception):  # whoever uses it meets it again, and reports it
        tensorflow.config.list_physical_devices()
