"""What each endpoint answers, as plain functions of a store.

They block (they query the database): the handlers run them in a worker
thread, and the benchmark times them as the server would run them, without
HTTP in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import payloads
from .downsample import downsample

if TYPE_CHECKING:
    from ..store import Store


def experiments(store: Store) -> dict[str, Any]:
    return {"experiments": [payloads.experiment(e) for e in store.experiments()]}


def runs_page(
    store: Store,
    *,
    limit: int,
    cursor: int | None = None,
    experiment: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """One page of run summaries, newest first.

    One run more than the page is read to know whether another page follows;
    the cursor is the smallest id shown, and the next page starts below it.
    """
    found = store.list_runs(
        experiment=experiment, status=status, tag=tag, q=q, before=cursor, limit=limit + 1
    )
    page = found[:limit]
    next_cursor = page[-1].id if len(found) > limit else None
    return {"runs": [payloads.run_summary(r) for r in page], "next_cursor": next_cursor}


def run_detail(store: Store, run_id: int) -> dict[str, Any]:
    return payloads.run(store.get_run(run_id))


def metrics(store: Store, run_id: int, max_points: int) -> dict[str, Any]:
    """Every series of the run, each down-sampled to at most ``max_points`` points."""
    return {
        "run_id": run_id,
        "series": [
            payloads.series(key, columns, downsample(columns[2], max_points), total)
            for key, (total, columns) in store.metric_sample(run_id, max_points).items()
        ],
    }


def add_inference(store: Store, run_id: int, text: str, verdict: str | None) -> dict[str, Any]:
    return payloads.inference(store.add_inference(run_id, text, verdict))


def changes(store: Store, since: float | None) -> dict[str, Any]:
    token, changed = store.changes(since)
    return {"token": token, "runs": [payloads.run_summary(r) for r in changed]}
