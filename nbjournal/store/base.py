"""What every part of the store shares: the tables' short names, the session helper
(commit, or roll back and raise a domain error) and the change counter.

A neutral module (as Optuna's ``_heartbeat.py``): the parts import it, never their host
:mod:`.store`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..errors import (
    BadInput,
    JournalUnavailable,
    RefusedByJournal,
    TooSlow,
    UnknownGrid,
    UnknownRun,
)
from . import limits, schema
from . import table as runs_table_page
from .engine import WRITE
from .listing import RunListing
from .records import VERDICTS, ExperimentSummary, Inference

if TYPE_CHECKING:
    from .sql_types import Query, TableRow

R = schema.runs
LM = schema.latest_metrics
INF = schema.inferences
MP = schema.metric_points
TAGS = schema.tags
ART = schema.artifacts
COUNTER = schema.change_counter
META = schema.journal_meta
#: The newest change number, as a value in an UPDATE of runs.
CURRENT_CHANGE = sa.select(COUNTER.c.value).where(COUNTER.c.id == 1).scalar_subquery()

SUMMARY_COLUMNS = (
    R.c.id, R.c.experiment, R.c.status, R.c.started, R.c.ended, R.c.updated, R.c.hypothesis,
    R.c.fingerprint, R.c.repeat_of, R.c.tags, R.c.params_flat, R.c.notebook,
    R.c.points_pending, R.c.error, R.c.deleted_at,
)  # fmt: skip


class StoreBase:
    """The connection and the change counter that every part of the store writes through.

    The parts (:mod:`.writes`, :mod:`.run_reads`, :mod:`.analysis_queries`,
    :mod:`.grid_queries`, :mod:`.liveness`) derive from it; :class:`~.store.Store`
    joins them and opens the database.
    """

    url: str
    engine: sa.Engine
    _experiments_cache: tuple[int, list[ExperimentSummary]] | None
    _listing: RunListing
    _table_columns: runs_table_page.Columns

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _transaction(self, write: bool = False) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as connection:
                if write:
                    connection = connection.execution_options(**{WRITE: True})
                with connection.begin():
                    yield connection
        except (UnknownRun, UnknownGrid, BadInput):
            raise
        except (SQLAlchemyError, DBAPIError, OSError, self._driver_error) as error:
            refusal = refused_request(error)
            if refusal is not None:
                raise RefusedByJournal(refusal) from None
            if _statement_timeout(error):  # the server answered: it stopped this query only
                raise TooSlow(
                    "the journal stopped this request at its statement timeout; "
                    "narrow it (a shorter query, fewer runs) or try again"
                ) from None
            raise JournalUnavailable(describe(error, self.url)) from None

    @functools.cached_property
    def _driver_error(self) -> type[Exception]:
        """The driver's own error: statements run on its cursor (:mod:`.ingest`) raise it."""
        return self.engine.dialect.loaded_dbapi.Error

    def _update(self, connection: sa.Connection, run_id: int, values: Mapping[str, object]) -> None:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        result = connection.execute(R.update().where(R.c.id == run_id).values(**values))
        if result.rowcount == 0:
            raise UnknownRun(run_id)

    def _changed(
        self, connection: sa.Connection, run_ids: Sequence[int] | Query, **values: object
    ) -> None:
        """Stamp runs changed in this transaction with the journal's next change number.

        The last statement of every transaction that changes a run (``values``
        are set on the runs in the same statement): on PostgreSQL the counter's
        row lock orders the writers, so change numbers follow commit order (a
        reader that saw number N has seen every change up to N), and taken
        last, that lock is held only until the commit. Two statements, the
        first as plain driver SQL: a batch of points pays little for it.
        """
        bumped = connection.exec_driver_sql(self._bump_sql)
        if not bumped.rowcount:  # a database made from schema.metadata, not by the migrations
            start = connection.execute(sa.select(sa.func.max(R.c.change_seq))).scalar() or 0
            connection.execute(COUNTER.insert().values(id=1, value=start + 1))
        chosen = run_ids if isinstance(run_ids, sa.Select) else list(run_ids)  # a query: a grid's
        connection.execute(
            R.update().where(R.c.id.in_(chosen)).values(change_seq=CURRENT_CHANGE, **values)
        )

    @functools.cached_property
    def _bump_sql(self) -> str:
        quote = self.engine.dialect.identifier_preparer.quote
        return f"UPDATE {quote(COUNTER.name)} SET value = value + 1 WHERE id = 1"

    def _counter(self, connection: sa.Connection) -> int:
        """The newest change number (0 in a journal that never changed)."""
        value = connection.execute(sa.select(COUNTER.c.value).where(COUNTER.c.id == 1)).scalar()
        return int(value or 0)

    def _require(self, connection: sa.Connection, run_id: int) -> None:
        if not limits.known_run_id(run_id):
            raise UnknownRun(run_id)
        if connection.execute(sa.select(R.c.id).where(R.c.id == run_id)).first() is None:
            raise UnknownRun(run_id)

    def _insert_ignoring(self, table: sa.Table, keys: Sequence[str]) -> sa.Insert:
        """``INSERT … ON CONFLICT (keys) DO NOTHING`` in this backend's dialect."""
        if self.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as postgresql_insert

            return postgresql_insert(table).on_conflict_do_nothing(index_elements=list(keys))
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing(index_elements=list(keys))


def checked_inference(text: str | None, verdict: str | None) -> tuple[str, str | None]:
    """An inference's text (stripped, not empty, within the size limit) and verdict
    (normalised, one of VERDICTS)."""
    text = limits.text("the inference", (text or "").strip(), limits.INFERENCE_MAX)
    if not text:
        raise BadInput("an inference needs some text")
    if verdict is not None:
        verdict = verdict.strip().lower() or None
    if verdict is not None and verdict not in VERDICTS:
        raise BadInput(f"unknown verdict {verdict!r}: use one of {', '.join(VERDICTS)}")
    return text, verdict


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


#: SQLite's answers to a statement too big or too deep to run: the request's fault.
_SQLITE_REFUSALS = (
    "expression tree is too large",
    "too many sql variables",
    "parser stack overflow",
    "string or blob too big",
    "too many terms in compound select",
    "like or glob pattern too complex",
)


def refused_request(error: BaseException) -> str | None:
    """Why the database refused what the request asked, or ``None`` for a journal fault.

    A value the database cannot hold or compare (a NUL in text, a number past
    float8, a cast that fails) and a statement too deep for SQLite are the
    request's doing: they are answered as bad input, never as an outage, so one
    request cannot make the journal look down (or trip the back-off) for everyone.
    """
    from sqlalchemy.exc import DataError

    original = getattr(error, "orig", None) or error
    reason = (
        str(original).strip().splitlines()[0] if str(original).strip() else type(error).__name__
    )
    if isinstance(error, DataError) or type(original).__name__ in (
        "DataError", "NumericValueOutOfRange", "InvalidTextRepresentation",
        "UntranslatableCharacter", "CharacterNotInRepertoire",
    ):  # fmt: skip
        return f"the journal cannot run this request: {reason}"
    if isinstance(original, ValueError) and "NUL" in reason:  # psycopg refuses \x00 itself
        return "the request holds a NUL character, which the journal cannot store or search"
    if any(text in reason.lower() for text in _SQLITE_REFUSALS):
        return f"the request is too large for the journal to run: {reason}"
    return None


def _statement_timeout(error: BaseException) -> bool:
    """Whether PostgreSQL cancelled the statement (SQLSTATE 57014: ``statement_timeout``)."""
    original = getattr(error, "orig", None) or error
    return getattr(original, "sqlstate", None) == "57014"


def describe(error: BaseException, url: str) -> str:
    safe = safe_url(url)
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return f"journal {safe} unavailable: {reason}"


def inference_record(row: TableRow) -> Inference:
    raw = getattr(row, "evidence", None)
    evidence = json.loads(raw) if raw else None
    return Inference(
        row.id, row.run_id, row.text, row.verdict, row.created, row.author, evidence,
        getattr(row, "edited", None),
    )  # fmt: skip
