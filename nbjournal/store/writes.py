"""Writing runs: create, update, finish; metric points in batches; inferences; artifacts."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ..errors import BadInput, UnknownRun
from ..rules.secrets import redact_code
from . import ingest, limits
from .base import (
    ART,
    INF,
    TAGS,
    R,
    StoreBase,
    checked_inference,
)
from .liveness import HOST
from .records import (
    ARTIFACT_STATUSES,
    STATUSES,
    Artifact,
    Inference,
    MetricPoint,
)
from .serialize import dumps, listing_params


def _new_id(connection: sa.Connection, insert: sa.Insert) -> int:
    """The primary key ``insert`` gave its one new row."""
    key = connection.execute(insert).inserted_primary_key
    assert key is not None  # an INSERT … VALUES always has one
    return int(key[0])


class RunWrites(StoreBase):
    """The writes of a run's record."""

    def create_run(
        self,
        *,
        experiment: str,
        fingerprint: str,
        hypothesis: str = "",
        code: str = "",
        params: Mapping[str, object] | None = None,
        data: Sequence[Mapping[str, object]] | None = None,
        env: Mapping[str, object] | None = None,
        tags: Iterable[str] = (),
        notebook: str | None = None,
        repeat_of: int | None = None,
        nearest: Mapping[str, object] | None = None,
        data_fingerprint: str | None = None,
    ) -> int:
        """Record the start of a run; returns its id."""
        experiment = limits.name("the experiment's name", (experiment or "").strip())
        if not experiment:
            raise BadInput("an experiment needs a name")
        limits.text("the hypothesis", hypothesis or "", limits.HYPOTHESIS_MAX)
        now = time.time()
        tag_list = limits.tags(tags)
        params = params or {}
        with self._transaction(write=True) as connection:
            run_id = _new_id(
                connection,
                R.insert().values(
                    experiment=experiment,
                    status="running",
                    started=now,
                    updated=now,
                    heartbeat=now,
                    hypothesis=hypothesis or "",
                    code=redact_code(code or ""),  # never store a secret
                    fingerprint=fingerprint,
                    repeat_of=repeat_of,
                    params=dumps(params),
                    params_flat=dumps(listing_params(params)),
                    data=dumps(data or []),
                    env=dumps(env or {}),
                    tags=dumps(tag_list),
                    diagnoses="[]",
                    checks="{}",
                    notebook=notebook,
                    host=HOST,
                    pid=os.getpid(),
                    nearest=None if nearest is None else dumps(nearest),
                    data_fingerprint=data_fingerprint,
                ),
            )
            if tag_list:
                connection.execute(TAGS.insert(), [{"run_id": run_id, "tag": t} for t in tag_list])
            self._changed(connection, [run_id])
        return int(run_id)

    def update_run(
        self,
        run_id: int,
        *,
        params: Mapping[str, object] | None = None,
        data: Sequence[Mapping[str, object]] | None = None,
        diagnoses: Sequence[Mapping[str, object]] | None = None,
        checks: Mapping[str, object] | None = None,
        meta_features: Mapping[str, object] | None = None,
    ) -> None:
        """Replace what a run learnt while it ran (parameters of ``fit``, its inputs, diagnoses,
        the findings of the checks before ``fit``, what its fit's data is like)."""
        values: dict[str, Any] = {"updated": time.time()}
        if params is not None:
            values["params"] = dumps(params)
            values["params_flat"] = dumps(listing_params(params))
        if data is not None:
            values["data"] = dumps(data)
        if diagnoses is not None:
            values["diagnoses"] = dumps(diagnoses)
        if checks is not None:
            values["checks"] = dumps(checks)
        if meta_features is not None:
            values["meta_features"] = dumps(meta_features)
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, values)
            self._changed(connection, [run_id])

    def finish_run(
        self,
        run_id: int,
        status: str,
        error: str | None = None,
        *,
        pending: int = 0,
        ended: float | None = None,
    ) -> None:
        """End a run; ``pending`` points are kept locally and not in the journal yet.

        ``ended`` is when it ended, for an end written late from a local spool.
        """
        if status not in STATUSES or status == "running":
            raise BadInput(f"a run cannot finish as {status!r}")
        now = time.time()
        values = {
            "status": status,
            "ended": ended or now,
            "updated": now,
            "heartbeat": now,
            "error": None if error is None else error.replace("\x00", "\\x00"),
            "points_pending": pending,
        }
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, values)
            self._changed(connection, [run_id])

    def add_points(self, run_id: int, points: Sequence[MetricPoint]) -> list[str]:
        """Write a batch of points in one transaction and fold them into the run's summary
        and roll-ups.

        A point the journal cannot store (a name too long, a NUL, a step beyond
        64 bits) is left out, and why is returned: one bad value costs that value
        only, never the batch.

        The run's row is touched first: an unknown run fails as :class:`UnknownRun`
        before anything is written, and on PostgreSQL its row lock orders
        concurrent writers of the same run, so their summaries cannot interleave.
        The statements are plain SQL on the driver's cursor (:mod:`.ingest`):
        SQLAlchemy's per-statement work cost as much as inserting the points.
        """
        now = time.time()
        rows, rejected = ingest.point_rows(run_id, points, now)
        if not rows:
            return rejected
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        with self._transaction(write=True) as connection:
            cursor = connection.connection.cursor()
            try:
                self._points_writer.write(cursor, run_id, rows, now)
            finally:
                cursor.close()
        return rejected

    @functools.cached_property
    def _points_writer(self) -> ingest.PointWriter:
        return ingest.PointWriter(self.engine.dialect)

    def add_inference(
        self,
        run_id: int,
        text: str,
        verdict: str | None = None,
        author: str | None = None,
        evidence: Mapping[str, object] | None = None,
    ) -> Inference:
        """A conclusion on a run; ``evidence``: the runs it rests on and the comparison
        rule's verdict on them (kept as JSON)."""
        text, verdict = checked_inference(text, verdict)
        now = time.time()
        with self._transaction(write=True) as connection:
            self._update(connection, run_id, {"updated": now})
            inference_id = _new_id(
                connection,
                INF.insert().values(
                    run_id=run_id,
                    text=text,
                    verdict=verdict,
                    created=now,
                    author=author,
                    evidence=None if evidence is None else dumps(evidence),
                ),
            )
            self._changed(connection, [run_id])
        return Inference(
            int(inference_id),
            run_id,
            text,
            verdict,
            now,
            author,
            None if evidence is None else dict(evidence),
        )

    def add_artifacts(self, run_id: int, artifacts: Sequence[Artifact]) -> None:
        """Record what a run's cell made, replacing any earlier record, in one transaction
        (so a reader sees all of a run's artifacts or none)."""
        for artifact in artifacts:
            if artifact.status not in ARTIFACT_STATUSES or artifact.role not in ("name", "result"):
                raise BadInput(f"bad artifact record {artifact.name!r}: {artifact.status}")
        now = time.time()
        rows = [
            {
                "run_id": run_id,
                "role": a.role,
                "name": a.name,
                "kind": a.kind,
                "type": a.type[:200],
                "size": int(a.size),
                "hash": a.hash,
                "status": a.status,
                "reason": a.reason,
                "extra": dumps(a.extra),
                "created": now,
            }
            for a in artifacts
        ]
        with self._transaction(write=True) as connection:
            self._require(connection, run_id)
            connection.execute(ART.delete().where(ART.c.run_id == run_id))
            if rows:
                connection.execute(ART.insert(), rows)
