"""Retiring runs: the trash, restoring from it, purging it, and editing tags.

Deleting is two steps, as guild and MLflow do it. :meth:`Retiring.trash`
stamps ``runs.deleted_at``: the run keeps everything it holds and every
listing, insights, the nearest-run search and the grid's skip decisions stop
seeing it (they read :data:`schema.KEPT`). :meth:`Retiring.restore` clears the
stamp. :meth:`Retiring.purge` removes trashed runs for good, with their metric
points, and names the artifact blobs no remaining run uses, so the caller can
delete them; a run that an inference rests on or cites, or that a kept run
repeats, stays unless forced, and the answer says which holds it.

A mixin of :class:`~nbjournal.store.store.Store`, on :class:`~.base.StoreBase`
like the store's other parts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..errors import BadInput, UnknownRun
from . import limits, schema
from .base import StoreBase
from .serialize import dumps, loads

if TYPE_CHECKING:
    from .sql_types import TableRow

R = schema.runs
INF = schema.inferences
TAGS = schema.tags
ART = schema.artifacts
#: Tables of a run's own rows, removed with it (the foreign keys cascade too; this counts).
_OWN = (
    schema.metric_points, schema.metric_rollups, schema.latest_metrics, schema.inferences,
    schema.tags, schema.artifacts, schema.grid_runs, schema.inference_history,
)  # fmt: skip
_CITATION = re.compile(r"#(\d+)\b")
#: How much of an inference's text a message quotes.
_QUOTE = 60


@dataclass(frozen=True)
class Held:
    """A trashed run purge keeps, and why (``inference #5 on run #12: "…"``)."""

    run_id: int
    reason: str


@dataclass(frozen=True)
class Purged:
    runs: tuple[int, ...]
    points: int
    #: Content hashes of artifact blobs that no remaining run uses (the caller removes them).
    blobs: tuple[str, ...]
    held: tuple[Held, ...]


class Retiring(StoreBase):
    """The trash and tags, for :class:`~nbjournal.store.store.Store`."""

    def trash(self, run_ids: Iterable[int]) -> list[int]:
        """Send runs to the trash; the ids that went (runs already there are left as they are).

        A running run is refused (it is still writing): nothing is trashed then.
        """
        ids = _known_ids(run_ids)
        now = time.time()
        with self._transaction(write=True) as connection:
            rows = _rows(connection, ids)
            running = [i for i in ids if rows[i].status == "running"]
            if running:
                raise BadInput(
                    f"run #{running[0]} is running: let it end (or interrupt it) before deleting it"
                )
            going = [i for i in ids if rows[i].deleted_at is None]
            for chunk in limits.in_lists(going):
                connection.execute(
                    R.update().where(R.c.id.in_(chunk)).values(deleted_at=now, updated=now)
                )
            if going:
                self._changed(connection, going)
        return going

    def restore(self, run_ids: Iterable[int]) -> list[int]:
        """Bring runs back from the trash; the ids that came back."""
        ids = _known_ids(run_ids)
        now = time.time()
        with self._transaction(write=True) as connection:
            rows = _rows(connection, ids)
            back = [i for i in ids if rows[i].deleted_at is not None]
            for chunk in limits.in_lists(back):
                connection.execute(
                    R.update().where(R.c.id.in_(chunk)).values(deleted_at=None, updated=now)
                )
            if back:
                self._changed(connection, back)
        return back

    def trashed_ids(self, older_than: float | None = None) -> list[int]:
        """Runs in the trash (``older_than`` seconds at least), oldest deletion first."""
        with self._transaction() as connection:
            return _trashed(connection, older_than)

    def edit_tags(
        self, run_id: int, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> tuple[str, ...]:
        """Add and remove tags of a run after the fact; its tags afterwards (sorted)."""
        if len(add) + len(remove) > 2 * limits.TAGS_MAX:
            raise BadInput(
                f"{len(add) + len(remove)} tag changes: {2 * limits.TAGS_MAX} at most at once"
            )
        adding = {limits.tag(t.strip()) for t in add if t.strip()}
        removing = {t.strip() for t in remove if t.strip()}
        if adding & removing:
            raise BadInput(f"tag {sorted(adding & removing)[0]!r} is both added and removed")
        (run,) = _known_ids([run_id])
        with self._transaction(write=True) as connection:
            row = _rows(connection, [run])[run]
            tags = (set(loads(row.tags, [])) | adding) - removing
            if len(tags) > limits.TAGS_MAX:
                raise BadInput(f"{len(tags)} tags: a run takes {limits.TAGS_MAX} at most")
            ordered = sorted(tags)
            connection.execute(TAGS.delete().where(TAGS.c.run_id == run))
            if ordered:
                connection.execute(TAGS.insert(), [{"run_id": run, "tag": t} for t in ordered])
            connection.execute(
                R.update().where(R.c.id == run).values(tags=dumps(ordered), updated=time.time())
            )
            self._changed(connection, [run])
        return tuple(ordered)

    def purge(
        self, *, older_than: float | None = None, force: bool = False, dry_run: bool = False
    ) -> Purged:
        """Remove trashed runs for good (in the trash ``older_than`` seconds at least).

        Without ``force``, a run stays when an inference rests on it or cites it
        (``#12`` in its text), or when a kept run repeats it; :attr:`Purged.held`
        says which. ``dry_run``: what would go, changing nothing.
        """
        with self._transaction(write=not dry_run) as connection:
            candidates = _trashed(connection, older_than)
            held = [] if force else _holds(connection, candidates)
            kept = {h.run_id for h in held}
            going = [i for i in candidates if i not in kept]
            points = 0
            for chunk in limits.in_lists(going):
                points += (
                    connection.execute(
                        sa.select(sa.func.count())
                        .select_from(schema.metric_points)
                        .where(schema.metric_points.c.run_id.in_(chunk))
                    ).scalar()
                    or 0
                )
            blobs = _orphaned_blobs(connection, going)
            if not dry_run and going:
                for chunk in limits.in_lists(going):
                    connection.execute(
                        R.update().where(R.c.repeat_of.in_(chunk)).values(repeat_of=None)
                    )
                    for table in _OWN:
                        connection.execute(table.delete().where(table.c.run_id.in_(chunk)))
                    connection.execute(R.delete().where(R.c.id.in_(chunk)))
                self._changed(connection, [])  # caches keyed on the change number refresh
        return Purged(tuple(going), int(points), tuple(blobs), tuple(held))


def tag_changes(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """``+a -b c`` as ``(["a", "c"], ["b"])`` (a bare word is added): the one reading of
    ``%journal tag`` and ``nbjournal tag``."""
    add: list[str] = []
    remove: list[str] = []
    for word in words:
        if word.startswith("-"):
            remove.append(word[1:])
        else:
            add.append(word[1:] if word.startswith("+") else word)
    if not any(t.strip() for t in add + remove):
        raise BadInput("no tag named: use +TAG to add, -TAG to remove")
    return add, remove


def _known_ids(run_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in run_ids))
    if not ids:
        raise BadInput("no run named: give run ids")
    for run_id in ids:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
    return ids


def _rows(connection: sa.Connection, ids: list[int]) -> dict[int, TableRow]:
    """The runs' rows, every one of them: the first unknown id is :class:`UnknownRun`."""
    found: dict[int, TableRow] = {}
    for chunk in limits.in_lists(ids):
        for row in connection.execute(
            sa.select(R.c.id, R.c.status, R.c.deleted_at, R.c.tags).where(R.c.id.in_(chunk))
        ):
            found[row.id] = row
    for run_id in ids:
        if run_id not in found:
            raise UnknownRun(run_id)
    return found


def _trashed(connection: sa.Connection, older_than: float | None) -> list[int]:
    query = sa.select(R.c.id).where(R.c.deleted_at.is_not(None))
    if older_than is not None:
        query = query.where(R.c.deleted_at <= time.time() - older_than)
    return [int(i) for i in connection.execute(query.order_by(R.c.deleted_at, R.c.id)).scalars()]


def _holds(connection: sa.Connection, candidates: list[int]) -> list[Held]:
    """Why each candidate must stay: its own inferences, citations, kept repeats of it."""
    wanted = set(candidates)
    reasons: dict[int, str] = {}
    for chunk in limits.in_lists(candidates):
        for row in connection.execute(
            sa.select(INF.c.id, INF.c.run_id, INF.c.text)
            .where(INF.c.run_id.in_(chunk))
            .order_by(INF.c.id)
        ):
            reasons.setdefault(
                row.run_id, f"inference #{row.id} on it rests on it: {_quote(row.text)}"
            )
    for inference in connection.execute(
        sa.select(INF.c.id, INF.c.run_id, INF.c.text, INF.c.evidence).where(
            sa.or_(INF.c.text.contains("#"), INF.c.evidence.is_not(None))
        )
    ):
        cited = {int(m) for m in _CITATION.findall(inference.text)}
        resting = _evidence_runs(inference.evidence)
        for run in sorted((cited | resting) & wanted - {inference.run_id}):
            how = "rests on" if run in resting else "cites"
            reasons.setdefault(
                run,
                f"inference #{inference.id} on run #{inference.run_id} {how} it: "
                f"{_quote(inference.text)}",
            )
    for chunk in limits.in_lists(candidates):
        for kept, original in connection.execute(
            sa.select(R.c.id, R.c.repeat_of).where(R.c.repeat_of.in_(chunk), schema.KEPT)
        ):
            reasons.setdefault(original, f"kept run #{kept} repeats it")
    return [Held(i, reasons[i]) for i in candidates if i in reasons]


def _evidence_runs(text: str | None) -> set[int]:
    """The run ids an inference's evidence names (``%inference --runs``: ``{"runs": [[1, 2],
    [3]]}``; flat lists and ``a``/``b``/``run_ids`` are read too)."""
    found: set[int] = set()
    document = loads(text, None) if text else None
    if not isinstance(document, dict):
        return found
    for key in ("runs", "a", "b", "runs_a", "runs_b", "run_ids"):
        value = document.get(key)
        for item in value if isinstance(value, list) else ():
            found.update(v for v in (item if isinstance(item, list) else [item]) if type(v) is int)
    return found


def _orphaned_blobs(connection: sa.Connection, going: list[int]) -> list[str]:
    """Hashes of the blobs of ``going`` that no other run's artifacts name."""
    hashes: set[str] = set()
    for chunk in limits.in_lists(going):
        hashes.update(
            connection.execute(
                sa.select(ART.c.hash).where(ART.c.run_id.in_(chunk), ART.c.hash.is_not(None))
            ).scalars()
        )
    if not hashes:
        return []
    still_used: set[str] = set()
    gone = set(going)
    ordered = sorted(hashes)
    for batch in limits.in_lists(ordered):
        for run_id, digest in connection.execute(
            sa.select(ART.c.run_id, ART.c.hash).where(ART.c.hash.in_(batch))
        ):
            if run_id not in gone:
                still_used.add(digest)
    return [h for h in ordered if h not in still_used]


def _quote(text: str) -> str:
    line = " ".join(text.split())
    return '"' + (line if len(line) <= _QUOTE else line[: _QUOTE - 1] + "…") + '"'
