"""Claims: three processes on one grid run every point exactly once, on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

from nbjournal.store import Store

WORKER = textwrap.dedent(
    """
    import sys, time
    import nbjournal

    def train(a, b):
        time.sleep(0.2)
        return {"score": a * b}

    nbjournal.run_grid("claims", train, grid={"a": [1, 2, 3], "b": [1, 2, 3, 4]},
                       journal=sys.argv[1], live=False)
    """
)


def test_three_processes_on_one_grid_run_each_point_exactly_once(journal_url, tmp_path):
    Store(journal_url).close()  # migrated once, before the race on claims
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), journal_url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [w.communicate()[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], outputs

    store = Store(journal_url)
    runs = store.list_runs(experiment="claims")
    assert len(runs) == 12, outputs
    assert {r.status for r in runs} == {"finished"}
    assert Counter(r.fingerprint for r in runs).most_common(1)[0][1] == 1
    assert len({r.pid for r in (store.get_run(r.id) for r in runs)}) > 1  # shared out
    grids = store.list_grids()
    assert len(grids) == 1 and grids[0].done == 12
    store.close()


def test_a_live_claim_is_busy_a_dead_one_is_taken_over_a_finished_point_is_done(store):
    assert store.claim_point("f" * 64, "me") == ("claimed", None)
    assert store.claim_point("f" * 64, "other") == ("busy", None)
    assert store.claim_point("f" * 64, "me") == ("claimed", None)  # mine already
    # a claimant that stopped beating a minute ago is gone
    assert store.claim_point("f" * 64, "other", timeout=0.0) == ("claimed", None)
    store.release_claim("f" * 64, "other")

    run_id = store.create_run(experiment="e", fingerprint="f" * 64)
    store.finish_run(run_id, "finished")
    assert store.claim_point("f" * 64, "me") == ("done", run_id)
    assert store.claim_point("f" * 64, "me", force=True) == ("claimed", None)


def test_a_claim_of_a_dead_process_on_this_host_is_taken_over_at_once(store):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    import sqlalchemy as sa

    from nbjournal.store import schema

    with store.engine.begin() as connection:
        connection.execute(
            schema.grid_claims.insert().values(
                fingerprint="e" * 64,
                claimant="gone",
                host=__import__("socket").gethostname(),
                pid=dead.pid,
                heartbeat=time.time(),
            )
        )
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(schema.grid_claims)).scalar()
            == 1
        )
    assert store.claim_point("e" * 64, "me") == ("claimed", None)


def test_a_claim_this_process_abandoned_is_taken_over_by_its_next_grid(store):
    assert store.claim_point("d" * 64, "stopped-grid") == ("claimed", None)
    assert store.claim_point("d" * 64, "next-grid", live_here=set()) == ("claimed", None)
    assert store.claim_point("d" * 64, "third", live_here={"next-grid"}) == ("busy", None)
