"""A kernel killed with SIGKILL mid-fit leaves its run ``crashed``, never ``running`` forever."""

from __future__ import annotations

import os
import signal
import sys
import time
import warnings

import pytest
from jupyter_client.manager import KernelManager

pytestmark = pytest.mark.slow

CELL = """%%experiment killed
import numpy as np, keras
X = np.random.rand(2000, 16).astype("float32"); y = (X.sum(1) > 8).astype("int32")
model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(32, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy")
model.fit(X, y, epochs=10000, batch_size=8, verbose=0)
"""


def _running_kernel(home):
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(
        env={**os.environ, "NBJOURNAL_HOME": str(home), "TF_CPP_MIN_LOG_LEVEL": "3"},
        extra_arguments=[],
    )
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    client.execute("%load_ext nbjournal")
    return manager, client, client.execute(CELL)


def _reply_to(client, cell: str, wait: float):
    """The cell's execute reply, or None when none came within ``wait`` seconds."""
    import queue

    deadline = time.monotonic() + wait
    while (left := deadline - time.monotonic()) > 0:
        try:
            reply = client.get_shell_msg(timeout=left)
        except queue.Empty:
            return None
        if reply["parent_header"].get("msg_id") == cell:
            return reply
    return None


def _wait_for_an_epoch(url: str) -> int:
    from nbjournal.store import Store

    for _ in range(600):
        time.sleep(0.5)
        try:
            store = Store(url)
        except Exception:
            continue
        runs = store.list_runs()
        store.close()
        if runs and runs[0].metrics.get("loss"):
            assert runs[0].status == "running"
            return runs[0].metrics["loss"].count
    raise AssertionError("the run never recorded an epoch")


def test_the_stop_button_leaves_an_interrupted_run_with_its_epochs(tmp_path):
    from nbjournal.store import Store

    home = tmp_path / "home"
    manager, client, cell = _running_kernel(home)
    url = f"sqlite:///{home / 'journal.db'}"
    try:
        points = _wait_for_an_epoch(url)
        reply, presses = None, 0
        while reply is None and presses < 3:
            manager.interrupt_kernel()  # SIGINT, as the notebook's stop button sends
            presses += 1
            reply = _reply_to(client, cell, wait=60)
        assert reply is not None, "the cell never stopped: three SIGINTs went unanswered"
        if presses > 1:  # seen twice under load in full runs; never alone (see the note)
            warnings.warn(f"the stop button was pressed {presses} times", stacklevel=1)
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    run = Store(url).list_runs()[0]
    assert run.status == "interrupted"
    assert run.metrics["loss"].count >= points


def test_a_killed_kernel_leaves_a_crashed_run(tmp_path):
    from nbjournal.store import Store

    home = tmp_path / "home"
    manager, client, _ = _running_kernel(home)
    url = f"sqlite:///{home / 'journal.db'}"
    try:
        points = _wait_for_an_epoch(url)
        pid = manager.provisioner.pid
        os.kill(pid, signal.SIGKILL)  # as when a kernel dies
        os.waitpid(pid, 0)
    finally:
        client.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    # When the journal is next opened
    store = Store(url)
    run = store.list_runs()[0]
    assert run.status == "crashed"
    assert run.metrics["loss"].count >= points
    assert sys.modules.get("nbjournal")
