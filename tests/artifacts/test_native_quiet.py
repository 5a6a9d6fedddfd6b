"""What native libraries write to fd 2 while nbjournal loads them stays out of the cell."""

from __future__ import annotations

import os
import sys


def test_native_start_up_notes_are_kept_out_while_nbjournal_loads_a_library(capfd):
    """A kernel forwards fd 2 into the running cell, and a local cluster's workers share it:
    TensorFlow's C++ start-up notes would land there as a worker is readied or a model
    restored. Python's ``sys.stderr`` (a kernel's own stream) and later writes are heard."""
    from nbjournal.recording.native_quiet import native_stderr_quiet

    with native_stderr_quiet():
        os.write(2, b"I0000 oneDNN custom operations are on\n")
    os.write(2, b"after\n")
    print("a warning", file=sys.stderr)
    assert capfd.readouterr().err == "after\na warning\n"
