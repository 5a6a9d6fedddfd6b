"""Grids on a real Dask cluster: two worker processes recording into one journal."""

from __future__ import annotations

import _thread
import json
import os
import signal
import socket
import threading
import time
from typing import Any

import pytest

import nbjournal
from nbjournal.store import open_store


def _runs(url: str, experiment: str) -> Any:
    return nbjournal.Journal(url).runs(experiment=experiment)


def _wait_for_running(url: str, experiment: str, **params: Any) -> Any:
    """The first run of ``experiment`` seen running (with ``params``) and linked to its grid,
    read from the journal as the notebook reads it."""
    store = open_store(url)
    while True:
        linked = {
            p.run_id: p
            for g in store.list_grids(experiment)
            for p in store.get_grid(g.id).points
            if p.status == "running"
        }
        for run_id in sorted(linked):
            run = store.get_run(run_id)
            if all(run.params.get(k) == v for k, v in params.items()):
                return run
        time.sleep(0.05)


def test_six_points_run_once_each_across_the_workers_and_a_rerun_runs_nothing(
    cluster, journal_url, capsys
):
    def body(x, y):
        import time

        time.sleep(0.3)
        return {"score": x * 10 + y}

    grid = {"x": [1, 2, 3], "y": [1, 2]}
    frame = nbjournal.run_grid("on-dask", body, grid=grid, engine="dask", journal=journal_url)
    runs = _runs(journal_url, "on-dask")
    assert len(runs) == 6 and set(runs["status"]) == {"finished"}
    assert sorted(frame["metric.score"]) == [11, 12, 21, 22, 31, 32]
    store = open_store(journal_url)
    recorded = [store.get_run(int(i)) for i in runs["id"]]
    assert len({r.fingerprint for r in recorded}) == 6
    workers = set(cluster.run(os.getpid).values())
    assert {r.pid for r in recorded} <= workers and os.getpid() not in workers
    assert "6 points to run" in capsys.readouterr().out

    nbjournal.run_grid("on-dask", body, grid=grid, engine="dask", journal=journal_url)
    assert len(_runs(journal_url, "on-dask")) == 6
    assert "6 done before" in capsys.readouterr().out


def test_the_workers_import_what_the_body_imports_before_its_first_point(cluster, journal_url):
    def body(x):
        import sys

        ready = "wave" in sys.modules  # (a module nothing else here imports)
        import wave  # noqa: F401

        return {"ready": float(ready)}

    frame = nbjournal.run_grid("warmed", body, grid={"x": [1, 2, 3, 4]}, engine="dask",
                               journal=journal_url)  # fmt: skip
    assert list(frame["metric.ready"]) == [1.0] * 4  # imported while the grid was prepared
    assert set(_runs(journal_url, "warmed")["status"]) == {"finished"}


def test_a_cell_grid_ships_the_notebooks_inputs_and_records_keras_epochs_on_the_workers(
    cluster, shell, journal_url, capsys
):
    shell.run_cell(
        "import numpy as np\n"
        "rng = np.random.default_rng(0)\n"
        "X = rng.normal(size=(40, 4)).astype('float32')\n"
        "y = (X[:, 0] > 0).astype('int32')"
    )
    shell.run_cell(
        f"%%experiment keras-on-dask --grid units=[2,4] --engine dask --journal {journal_url}\n"
        "import keras\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, activation='relu'),"
        " keras.layers.Dense(2, activation='softmax')])\n"
        "model.compile('adam', 'sparse_categorical_crossentropy', metrics=['accuracy'])\n"
        "history = model.fit(X, y, epochs=2, batch_size=20, verbose=0)"
    )
    store = open_store(journal_url)
    runs = _runs(journal_url, "keras-on-dask")
    assert len(runs) == 2 and set(runs["status"]) == {"finished"}
    run = store.get_run(int(runs["id"][0]))
    assert run.pid in set(cluster.run(os.getpid).values())
    assert run.host == socket.gethostname()  # the worker's host
    epochs = nbjournal.Journal(journal_url).metrics(run.id)
    assert set(epochs[epochs["name"] == "loss"]["epoch"].dropna()) == {0, 1}
    assert {d["name"] for d in run.data} >= {"X", "y"}
    # the point's fingerprint is the one this notebook gives the same cell: a duplicate here
    shell.run_cell(
        f"%%experiment keras-on-dask -p units=4 --journal {journal_url} --no-restore\n"
        "import keras\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, activation='relu'),"
        " keras.layers.Dense(2, activation='softmax')])\n"
        "model.compile('adam', 'sparse_categorical_crossentropy', metrics=['accuracy'])\n"
        "history = model.fit(X, y, epochs=2, batch_size=20, verbose=0)"
    )
    assert len(_runs(journal_url, "keras-on-dask")) == 2
    assert "history" in shell.user_ns  # the last point's names come back, as after a loop


def test_a_worker_killed_mid_point_leaves_a_crashed_run_and_the_point_is_retried(
    cluster, journal_url, capsys
):
    def body(x):
        import time

        time.sleep(4 if x == 0 else 0.2)
        return {"score": x}

    thread = threading.Thread(
        target=nbjournal.run_grid,
        args=("killed", body),
        kwargs={"grid": {"x": [0, 1, 2]}, "engine": "dask", "journal": journal_url},
    )
    thread.start()
    victim = _wait_for_running(journal_url, "killed", x=0)
    os.kill(victim.pid, signal.SIGKILL)
    thread.join()
    runs = _runs(journal_url, "killed")
    by_x = {x: sorted(group["status"]) for x, group in runs.groupby("param.x")}
    assert by_x == {0: ["crashed", "finished"], 1: ["finished"], 2: ["finished"]}
    out = capsys.readouterr().out
    assert f"run #{victim.id} crashed (its worker died); Dask ran it again" in out


def test_stop_cancels_the_tasks_left_and_interrupts_the_running_points(
    cluster, journal_url, capsys, tmp_path
):
    started = str(tmp_path / "started")

    def body(x):
        import pathlib
        import time

        pathlib.Path(started).touch()  # the run is in the journal before its body runs
        for _ in range(200):
            time.sleep(0.05)
        return {"score": x}

    def stop_when_running() -> None:
        # A file, not the journal: a journal read that times out on a loaded machine would end
        # this thread without the stop (and mark the journal down for the grid as well).
        while not os.path.exists(started):
            time.sleep(0.05)
        time.sleep(0.3)
        _thread.interrupt_main()

    # A pytest-xdist worker ignores SIGINT (its controller handles Ctrl-C), and an ignored
    # SIGINT makes interrupt_main() do nothing: give the stop Python's handler, as a kernel has.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=stop_when_running, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            nbjournal.run_grid(
                "stopped", body, grid={"x": list(range(6))}, engine="dask", journal=journal_url
            )
    finally:
        signal.signal(signal.SIGINT, previous)
    runs = _runs(journal_url, "stopped")
    assert 1 <= len(runs) <= 2 and set(runs["status"]) == {"interrupted"}
    time.sleep(1.0)
    assert len(_runs(journal_url, "stopped")) == len(runs)  # nothing started after the stop
    assert "grid #" in capsys.readouterr().out  # the summary is shown


def test_the_notebook_view_is_fed_by_the_journal_with_the_running_points_latest_metrics(
    cluster, journal_url, monkeypatch
):
    from nbjournal.grids import api
    from nbjournal.grids.view import QuietGridView

    class Seen(QuietGridView):
        """The grid view a notebook shows, keeping what each redraw showed."""

        def __init__(self) -> None:
            self.running: list[tuple[int, dict]] = []
            self.final: list[str] = []

        def point_started(self, progress, index):
            row = progress.rows[index]
            self.running.append((index, dict(row.metrics)))

        def end(self, progress, summarized=False):
            self.final = [row.status for row in progress.rows]

    seen = Seen()
    monkeypatch.setattr(api, "grid_view", lambda live: seen)

    def body(x):
        import time

        import nbjournal

        nbjournal.log_metric("score", x + 0.5, step=0)
        time.sleep(2)
        return {"score": x}

    nbjournal.run_grid("fed", body, grid={"x": [1, 2]}, engine="dask", journal=journal_url)
    assert seen.final == ["finished", "finished"]
    assert (0, {"score": 1.5}) in seen.running or (1, {"score": 2.5}) in seen.running


def test_the_notebook_view_draws_the_running_points_curves_read_from_the_journal(
    cluster, journal_url, monkeypatch, tmp_path
):
    from nbjournal.grids import api
    from nbjournal.grids.view import WidgetGridView
    from nbjournal.live import preparation

    assert preparation.wait(120) and preparation.failure() is None  # the chart can be made
    flag = str(tmp_path / "drawn")

    class Watched(WidgetGridView):
        """The notebook's grid view, noting what its chart drew while a point was running."""

        def __init__(self) -> None:
            super().__init__()
            self.progress = None
            self.drawn: list[tuple[int, str, dict, list]] = []

        def point_started(self, progress, index):
            self.progress = progress
            super().point_started(progress, index)

        def show_curves(self, curves):
            super().show_curves(curves)
            status = {row.run_id: row.status for row in self.progress.rows}
            for run_id, followed in curves.runs.items():
                if len(followed.epochs) >= 2 and self.curves.chart in self.box.children:
                    rows = [list(r) for r in self.curves.chart.rows]
                    self.drawn.append((run_id, status.get(run_id), dict(followed.epochs), rows))
                    with open(flag, "w") as done:
                        done.write("drawn")

    view = Watched()
    monkeypatch.setattr(api, "grid_view", lambda live: view)

    def body(x):
        import os
        import time

        import nbjournal

        for step in range(2):
            nbjournal.log_metric("loss", round(1 / (step + 1 + x), 4), step=step)
        for _ in range(600):  # on until the notebook's view drew this curve (30 s at most)
            if os.path.exists(flag):
                break
            time.sleep(0.05)
        nbjournal.log_metric("loss", 0.01, step=2)
        return {"score": x}

    nbjournal.run_grid("curves", body, grid={"x": [1, 2]}, engine="dask", journal=journal_url)
    assert view.drawn, "the view drew no running point's curve"
    run_id, status, epochs, rows = view.drawn[0]
    assert status == "running"  # drawn while its point ran on a worker
    recorded = open_store(journal_url).metric_points(run_id, kinds=["epoch"])
    assert {p.step: {p.name: p.value} for p in recorded[:2]} == {
        step: epochs[step] for step in (0, 1)
    }
    drawn = {(r[1], r[4], r[5]) for r in rows if r[0] == "e"}  # (metric, epoch, value)
    assert {("loss", p.step + 1, p.value) for p in recorded[:2]} <= drawn
    assert view.curves.spec["concat"]  # the live view's chart specification
    # epochs only: no panel has a layer of batches to draw on no data (Vega would warn)
    layers = [json.dumps(panel["layer"]) for panel in view.curves.spec["concat"]]
    assert all("datum.k === 'e'" in t and "datum.k === 'b'" not in t for t in layers)
    assert view.box.children == (view.table, view.output)  # no point runs: no curves


def test_the_inputs_are_sent_again_when_every_worker_holding_them_died(journal_url, capsys):
    """Scattered inputs cannot be recomputed: with one worker, killing it loses the only copy
    and Dask cancels every point waiting on them. The grid sends them again and runs them."""
    import distributed

    local = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:

        def body(x):
            import time

            time.sleep(4 if x == 0 else 0.2)
            return {"score": x + offset}

        offset = 10  # an input the points read: it must reach the restarted worker
        thread = threading.Thread(
            target=nbjournal.run_grid,
            args=("lost-inputs", body),
            kwargs={
                "grid": {"x": [0, 1, 2]},
                "engine": f"dask={local.scheduler_address}",
                "journal": journal_url,
            },
        )
        thread.start()
        victim = _wait_for_running(journal_url, "lost-inputs", x=0)
        os.kill(victim.pid, signal.SIGKILL)
        thread.join()
    finally:
        local.close()
    runs = _runs(journal_url, "lost-inputs")
    finished = runs[runs["status"] == "finished"]
    assert sorted(finished["metric.score"]) == [10, 11, 12]
    assert sorted(runs[runs["status"] != "finished"]["status"]) == ["crashed"]
    out = capsys.readouterr().out
    assert "the Dask workers holding the cell's inputs died; sent again" in out
