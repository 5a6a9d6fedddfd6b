"""Grids in real kernels: a kernel killed mid-grid, and the cell re-run in a new kernel, runs
only the unfinished points; a notebook keeps the grid's summary and chart when saved."""

from __future__ import annotations

import base64
import os
import re
import signal
import time
from pathlib import Path
from typing import Any

import nbformat
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


CELLS = [
    "%load_ext nbjournal",
    "import numpy as np\nrng = np.random.RandomState(0)\nX = rng.rand(120, 8).astype('float32')\n"
    "y = (X.sum(axis=1) > 4).astype('int32')",
    """%%experiment saved-grid --grid units=[4,8] --grid lr=[0.01,0.1]
# Hypothesis: the grid's summary survives the notebook being saved.
import keras
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(units, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.Adam(lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, validation_split=0.25, epochs=2, batch_size=32, verbose=0);""",
    "units, lr, len(model.layers)",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from nbclient import NotebookClient

    tmp_path = tmp_path_factory.mktemp("grid-notebook")
    saved = dict(os.environ)
    os.environ.update(NBJOURNAL_HOME=str(tmp_path / "home"), TF_CPP_MIN_LOG_LEVEL="3")
    os.environ.pop("NBJOURNAL_URL", None)
    os.environ.pop("NBJOURNAL_LIVE", None)
    try:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        NotebookClient(notebook, timeout=600, kernel_name="python3").execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    path = tmp_path / "executed.ipynb"
    nbformat.write(notebook, path)
    return nbformat.read(path, as_version=4)


def test_the_saved_notebook_keeps_the_grid_view_summary_and_chart(executed: Any) -> None:
    outputs = executed.cells[2].outputs
    texts = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "4 points to run" in texts
    data = [o.data for o in outputs if o.output_type == "display_data"]
    widget = "application/vnd.jupyter.widget-view+json"
    # the live grid view comes first, replaced at the end by the summary (every point): no
    # widget is saved, and no empty output left behind
    assert "nbj-grid-summary" in data[0]["text/html"]
    assert not any(widget in d for d in data)
    assert all(d.get("text/html") or d.get("image/png") for d in data)
    summary = data[0]["text/html"]
    assert sum("nbj-grid-summary" in d.get("text/html", "") for d in data) == 1
    assert "saved-grid" in summary and "units" in summary and "lr" in summary
    assert summary.count("<tr") == 5  # a header and the 4 points
    chart = next(d for d in data if "image/svg+xml" in d)
    assert 'data-role="nbj-grid-chart"' in chart["image/svg+xml"] and "image/png" in chart
    # the namespace holds the last point's values, as a loop would leave it
    assert executed.cells[3].outputs[0].data["text/plain"] == "(8, 0.1, 2)"


def test_nbconvert_html_shows_the_grid_summary_without_a_kernel(executed: Any) -> None:
    from nbconvert import HTMLExporter

    executed.metadata.pop("widgets", None)
    body, _ = HTMLExporter().from_notebook_node(executed)
    assert "nbj-grid-summary" in body
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', body)
    assert any('data-role="nbj-grid-chart"' in base64.b64decode(i).decode() for i in images)
