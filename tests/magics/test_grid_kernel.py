"""Grids in real kernels: a kernel killed mid-grid, and the cell re-run in a new kernel, runs
only the unfinished points. (A saved notebook's grid summary and chart: the executed 02_grids
example, tests/notebooks/test_examples.py.)"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.manager import KernelManager

pytestmark = pytest.mark.slow

SLOW_GRID = """%%experiment resumed --grid a=[1,2,3,4,5]
import time
time.sleep(0.6)
{"score": a * 10}
"""


def _kernel(home: Path) -> tuple[KernelManager, Any]:
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(env={**os.environ, "NBJOURNAL_HOME": str(home)}, extra_arguments=[])
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    return manager, client


def _finished(url: str) -> list[Any]:
    from nbjournal.store import Store

    store = Store(url)
    try:
        return [r for r in store.list_runs() if r.status == "finished"]
    finally:
        store.close()


def test_a_kernel_killed_mid_grid_resumes_with_only_the_unfinished_points(tmp_path):
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'journal.db'}"
    manager, client = _kernel(home)
    try:
        client.execute_interactive("%load_ext nbjournal", timeout=60)
        client.execute(SLOW_GRID)
        for _ in range(600):
            time.sleep(0.1)
            if home.joinpath("journal.db").exists() and len(_finished(url)) >= 2:
                break
        pid = manager.provisioner.pid
        os.kill(pid, signal.SIGKILL)  # mid-grid, with no clean-up of any kind
        os.waitpid(pid, 0)
    finally:
        client.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    done_before = {int(r.params["a"]) for r in _finished(url)}
    assert 2 <= len(done_before) < 5

    manager, client = _kernel(home)
    lines: list[str] = []
    try:
        client.execute_interactive("%load_ext nbjournal", timeout=60)
        reply = client.execute_interactive(
            SLOW_GRID,
            timeout=120,
            output_hook=lambda m: lines.append(m["content"].get("text", "")),
        )
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    from nbjournal.store import Store

    store = Store(url)
    runs = store.list_runs()
    finished = [r for r in runs if r.status == "finished"]
    assert sorted(int(r.params["a"]) for r in finished) == [1, 2, 3, 4, 5]  # each once
    assert {r.status for r in runs} <= {"finished", "crashed"}
    text = "".join(lines)
    assert f"5 points: {len(done_before)} done before" in text
    assert f"{5 - len(done_before)} to run" in text
    grids = store.list_grids()
    assert len(grids) == 1 and grids[0].done == 5  # the same grid record, resumed
    store.close()
