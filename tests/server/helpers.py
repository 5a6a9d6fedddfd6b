"""Given-steps shared by the REST API tests: runs written through the real store."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tornado.httpclient import HTTPResponse

from nbjournal.store import MetricPoint, Store


def make_run(
    store: Store,
    experiment: str = "digits-mlp",
    *,
    status: str = "finished",
    hypothesis: str = "",
    tags: Iterable[str] = (),
    params: dict[str, Any] | None = None,
    epochs: dict[str, list[float]] | None = None,
    inference: str | None = None,
    verdict: str | None = None,
) -> int:
    """A run as a kernel would record it: created, per-epoch metrics, finished, concluded."""
    run_id = store.create_run(
        experiment=experiment,
        fingerprint=f"fp-{experiment}-{hypothesis}",
        hypothesis=hypothesis,
        code="units = 64\nmodel.fit(X, y)\n",
        params=params or {},
        tags=tags,
    )
    points = [
        MetricPoint(name, value, step=epoch, kind="epoch", epoch=epoch)
        for name, values in (epochs or {}).items()
        for epoch, value in enumerate(values)
    ]
    store.add_points(run_id, points)
    if status != "running":
        store.finish_run(run_id, status, error="ValueError: boom" if status == "failed" else None)
    if inference is not None:
        store.add_inference(run_id, inference, verdict)
    return run_id


def error_of(response: HTTPResponse) -> dict[str, Any]:
    """The ``{code, message}`` body of an error answer, checked against its status."""
    assert response.headers["Content-Type"].startswith("application/json")
    body = json.loads(response.body)
    assert body["code"] == response.code
    assert isinstance(body["message"], str) and body["message"]
    return body
