"""A kernel killed with SIGKILL mid-fit leaves its run ``crashed``, never ``running`` forever."""

from __future__ import annotations

import os
import signal
import sys
import time

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


def test_a_killed_kernel_leaves_a_crashed_run(tmp_path, monkeypatch):
    from nbjournal.store import Store

    home = tmp_path / "home"
    monkeypatch.setenv("NBJOURNAL_HOME", str(home))
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(
        env={**os.environ, "NBJOURNAL_HOME": str(home), "TF_CPP_MIN_LOG_LEVEL": "3"},
        extra_arguments=[],
    )
    try:
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=120)
        client.execute("%load_ext nbjournal")
        client.execute(CELL)
        url = f"sqlite:///{home / 'journal.db'}"
        points = 0
        for _ in range(600):  # wait until the run has recorded an epoch
            time.sleep(0.5)
            if (home / "journal.db").exists():
                store = Store(url)
                runs = store.list_runs()
                if runs and runs[0].metrics.get("loss"):
                    points = runs[0].metrics["loss"].count
                    assert runs[0].status == "running"
                    store.close()
                    break
                store.close()
        assert points > 0, "the run never recorded an epoch"
        pid = manager.provisioner.pid
        os.kill(pid, signal.SIGKILL)  # as when a kernel dies
        os.waitpid(pid, 0)
        client.stop_channels()
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    # When the journal is next opened
    store = Store(url)
    run = store.list_runs()[0]
    assert run.status == "crashed"
    assert run.metrics["loss"].count >= points
    assert sys.modules.get("nbjournal")
