"""Crashed runs are marked by the server's timer, never by a GET (reads are reads)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from nbjournal.server.reaper import INTERVAL_SETTING
from nbjournal.store import Store, schema
from nbjournal.store.liveness import HEARTBEAT_TIMEOUT_S

from .helpers import make_run


def _left_by_a_dead_kernel(store: Store) -> int:
    """A running run of a kernel on another machine, silent for longer than the timeout."""
    run_id = make_run(store, status="running")
    with store.engine.begin() as connection:
        connection.execute(
            schema.runs.update()
            .where(schema.runs.c.id == run_id)
            .values(
                host="another-machine.example",
                pid=1,
                heartbeat=time.time() - HEARTBEAT_TIMEOUT_S - 60,
            )
        )
    return run_id


@pytest.fixture
def reap_interval_s() -> float:
    return 3600.0  # no tick during the test unless it asks for one


@pytest.fixture
def jp_server_config(journal_home: Path, reap_interval_s: float) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"nbjournal": True},
            "tornado_settings": {INTERVAL_SETTING: reap_interval_s},
        }
    }


async def test_gets_never_mark_a_run_crashed(store: Store, get_json) -> None:
    # Given a run left running by a dead kernel, and a change token
    run_id = _left_by_a_dead_kernel(store)
    token = (await get_json("changes"))["token"]

    # When the sidebar reads everything it reads
    detail = await get_json("runs", run_id)
    listed = await get_json("runs")
    experiments = await get_json("experiments")
    changes = await get_json("changes", since=token)

    # Then it sees the run as it was left, and nothing was written
    assert detail["status"] == "running"
    assert [r["status"] for r in listed["runs"]] == ["running"]
    assert experiments["experiments"][0]["running"] == 1
    assert changes == {"token": token, "runs": []}


@pytest.mark.parametrize("reap_interval_s", [0.05])
async def test_the_server_marks_crashed_runs_on_its_timer(store: Store, get_json) -> None:
    # Given a journal the sidebar has opened, and a token
    token = (await get_json("changes"))["token"]

    # When a kernel on another machine dies mid-run, and the server's timer ticks
    run_id = _left_by_a_dead_kernel(store)
    deadline = time.monotonic() + 60.0  # only so that a broken timer fails instead of hanging
    while store.get_run(run_id).status == "running" and time.monotonic() < deadline:
        await asyncio.sleep(0.05)

    # Then the run is crashed, and the change feed reports it
    assert store.get_run(run_id).status == "crashed"
    changed = await get_json("changes", since=token)
    assert [(r["id"], r["status"]) for r in changed["runs"]] == [(run_id, "crashed")]
