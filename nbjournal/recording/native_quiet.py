"""Keep what native libraries write to the process's stderr out of the cell, while nbjournal
loads them on the person's behalf (TensorFlow's start-up notes)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from .import_hook import ImportHook


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


#: Loads ``tensorflow`` (whoever imports it: the person's ``import keras``) with its C++
#: start-up notes kept out of the cell, then lets it look for devices (the last note,
#: ``failed call to cuInit``) the same way; once it is loaded the hook stands aside, so every
#: later message, an error of the person's model included, reaches the cell.
_FINDER = ImportHook(
    lambda name: name == "tensorflow" and "tensorflow" not in sys.modules,
    lambda module: start_tensorflow(),
    around=native_stderr_quiet,
)


def quiet_tensorflow_start(on: bool = True) -> None:
    """While nbjournal is loaded, TensorFlow's start-up notes (ten lines ending in a cuInit
    error on a machine without a GPU) stay out of the first cell that imports Keras, as they
    do when nbjournal loads TensorFlow itself (issue 21.14)."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    if on and "tensorflow" not in sys.modules:
        sys.meta_path.insert(0, _FINDER)
