"""The search grammar of the sidebar, the experiment page and ``nbjournal runs``, parsed into
SQL conditions.

``lr=0.003 units>=64 val_accuracy>0.97 verdict:refuted status:failed tag:baseline #tag #123``:
terms separated by spaces, all of which a run must match; words that are no
filter are searched as free text (experiment, hypothesis, tags, inferences), as
the search box always did. The grammar is documented in docs/rest-api.md.

The parse happens here, once, into SQLAlchemy Core conditions that both SQLite
and PostgreSQL run: a listing of 10,000 runs is filtered by the database, not
in Python. A term that cannot mean anything (``units>abc``, ``verdict:maybe``)
is :class:`~nbjournal.errors.BadInput` with one line saying what to type.

Parameters are read through :func:`param_value`, the one place that knows how
a run's flat parameters are stored, so a faster storage can be put behind it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import BadInput
from . import schema
from .records import STATUSES, VERDICTS

if TYPE_CHECKING:
    from sqlalchemy.sql.compiler import SQLCompiler

    from .sql_types import Condition, Expression
    from .sql_types import Query as Select

R = schema.runs
LM = schema.latest_metrics
INF = schema.inferences
TAGS = schema.tags

#: The ``key:value`` filters, with what they accept.
KEYWORDS = ("verdict", "status", "tag", "experiment", "inference")
#: ``status:trashed``: the runs in the trash (``nbjournal trash``), not a run's status.
TRASHED = "trashed"
#: ``verdict:none`` (no verdict yet) and ``inference:none`` (no inference at all: needs one).
NONE_WORDS = ("none", "no", "missing")
_COMPARISONS = (">=", "<=", "!=", "=", ">", "<")
_TOKEN = re.compile(r"""(?:[^\s"']+|"[^"]*"|'[^']*')+""")
#: A parameter's name: any letter or ``_`` first (``λ``, ``cfg.λ``), or quoted when it holds
#: spaces, quotes or signs (``"it's">1``, ``'say "hi"'=yes``).
_NAME = r"[^\W\d][\w.\-/\[\]]*|'[^']+'|" + r'"[^"]+"'
_TERM = re.compile(rf"^(?P<name>{_NAME})(?P<op>>=|<=|!=|==|=|>|<|:)(?P<value>.*)$", re.S)
#: A JSON number's text (PostgreSQL reads ``->>`` as text; this says when it casts to float).
_NUMBER_PATTERN = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
#: A query longer than this, or of more terms, is refused (400) before it is parsed: its SQL
#: grows with every term, and one 3 kB query kept a journal busy for seconds.
QUERY_MAX_CHARS = 400
QUERY_MAX_TERMS = 40
#: The bound PostgreSQL clamps a parameter's number to before it becomes a float.
_FLOAT_MAX = sa.literal(10**308, sa.Numeric)
#: Relative tolerance of ``=`` on numbers: ``lr=1e-3`` finds 0.0010000000474974513 (a float32).
EQUAL_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Comparison:
    """``name op value`` on a parameter or a final metric."""

    name: str
    op: str
    value: float | str


@dataclass(frozen=True)
class Query:
    """A parsed query: its conditions (ANDed) and its free text (or ``None``)."""

    conditions: tuple[Any, ...]
    text: str | None
    run_id: int | None = None
    comparisons: tuple[Comparison, ...] = ()
    #: ``status:trashed``: the query reads the trash instead of the kept runs.
    trashed: bool = False


def parse(q: str | None) -> Query:
    """The conditions of ``q``; :class:`BadInput` naming the faulty term when one is wrong."""
    conditions: list[Any] = []
    comparisons: list[Comparison] = []
    words: list[str] = []
    run_id: int | None = None
    trashed = False
    for token in _bounded_tokens(q or ""):
        if token[0] in "\"'" and token[-1] == token[0] and len(token) > 1:
            words.append(token[1:-1])  # quoted: always text
            continue
        if token.startswith("#") and len(token) > 1:
            if not token[1:].lstrip("-").isdigit():  # `#baseline`: a tag
                conditions.append(_keyword("tag", token[1:], token))
                continue
            run_id = _run_id(token)
            conditions.append(R.c.id == run_id)
            continue
        match = _TERM.match(token)
        if match is None or (match["op"] == ":" and not match["value"]):
            words.append(token)  # "Hypothesis:" or "deep" is text
            continue
        name, op, value = _unquote(match["name"]), match["op"], _unquote(match["value"])
        if op == ":":
            if (name.lower(), value.lower()) == ("status", TRASHED):
                trashed = True  # the scope, not a condition: see :func:`scope`
                continue
            conditions.append(_keyword(name.lower(), value, token))
            continue
        comparison = _comparison(name, "=" if op == "==" else op, value, token)
        comparisons.append(comparison)
        conditions.append(condition(comparison))
    text = " ".join(w for w in words if w) or None
    if text is not None:
        conditions.append(free_text(text))
    return Query(tuple(conditions), text, run_id, tuple(comparisons), trashed)


def _bounded_tokens(q: str) -> list[str]:
    """The words of ``q``, or :class:`BadInput` when it is over :data:`QUERY_MAX_CHARS`
    characters or :data:`QUERY_MAX_TERMS` terms (checked before any SQL is built)."""
    if "\x00" in q:
        raise BadInput("the query contains a NUL character")
    if len(q) > QUERY_MAX_CHARS:
        raise BadInput(
            f"the query is {len(q)} characters long; at most {QUERY_MAX_CHARS} are searched"
        )
    tokens = _TOKEN.findall(q)
    if len(tokens) > QUERY_MAX_TERMS:
        raise BadInput(f"the query has {len(tokens)} terms; at most {QUERY_MAX_TERMS} are searched")
    return tokens


def is_term(token: str) -> bool:
    """Whether a word is a filter of the grammar (``lr=0.003``, ``status:failed``, ``#12``),
    rather than free text or a name."""
    if token.startswith("#") and len(token) > 1:
        return True
    if token[:1] in "\"'" and token[-1] == token[0] and len(token) > 1:
        return False  # a quoted phrase: text
    match = _TERM.match(token)
    return match is not None and not (match["op"] == ":" and not match["value"])


def apply(query: Select, q: str | None) -> Select:
    """``query`` (a ``select`` over ``runs``) narrowed to the runs ``q`` matches."""
    parsed = parse(q)
    return query.where(*parsed.conditions) if parsed.conditions else query


def in_trash(q: str | None) -> bool:
    """Whether ``q`` asks for the trash (``status:trashed``) rather than the kept runs."""
    return parse(q).trashed


def scope(q: str | None, trashed: bool = False) -> Condition:
    """Which runs a listing reads: the kept ones, or the trash when ``trashed`` or when ``q``
    says ``status:trashed`` (one word for the sidebar, the page and ``nbjournal runs``)."""
    return R.c.deleted_at.is_not(None) if trashed or in_trash(q) else schema.KEPT


def filtered(
    query: Select,
    experiment: str | None,
    status: str | None,
    tag: str | None,
    q: str | None,
    fingerprint: str | None,
    ids: Iterable[int] | None,
    before: int | None,
) -> Select:
    """``query`` (a ``select`` over ``runs``) narrowed by the listing's filters and ``q``."""
    if experiment:
        query = query.where(R.c.experiment == experiment)
    if status:
        if status not in STATUSES:
            raise BadInput(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        query = query.where(R.c.status == status)
    if tag:
        query = query.where(R.c.id.in_(sa.select(TAGS.c.run_id).where(TAGS.c.tag == tag)))
    if q:
        query = apply(query, q)
    if fingerprint:
        query = query.where(R.c.fingerprint == fingerprint)
    if ids is not None:
        query = query.where(R.c.id.in_(list(ids)))
    if before is not None:
        query = query.where(R.c.id < before)
    return query


# -- where values live (re-point here when the storage of params changes) ------


def param_value(name: str) -> tuple[Expression, Expression]:
    """``(numeric, text)`` SQL expressions of the run's flat parameter ``name``.

    ``numeric`` is NULL unless the value is a JSON number; ``text`` is its
    text (``'relu'``, ``'0.003'``, ``'true'``) or NULL when the run has no such
    parameter. Today parameters are the JSON document ``runs.params_flat``.
    """
    # SQLite's JSON paths cannot spell a '"', and match a key as stored (escaped: "\u03bb"),
    # so such names are found among the document's keys instead (json_each decodes them)
    if '"' in name or not name.isascii():
        sqlite_numeric, sqlite_text = _sqlite_by_key(name)
    else:
        path = '$."' + name + '"'
        sqlite_type = sa.func.json_type(R.c.params_flat, path)
        sqlite_numeric = sa.case(
            (sqlite_type.in_(("integer", "real")), sa.func.json_extract(R.c.params_flat, path)),
            else_=None,
        )
        sqlite_text = sa.case(
            (sqlite_type == "true", "true"),
            (sqlite_type == "false", "false"),
            else_=sa.cast(sa.func.json_extract(R.c.params_flat, path), sa.Text),
        )
    # Plain json, not jsonb: finding one key in the text is much cheaper than building the
    # whole jsonb document for every row (10,000 rows: 0.2 s instead of 0.8 s per term).
    pg_text = sa.cast(R.c.params_flat, _JSON)[name].astext
    # Through numeric, clamped to what a float holds: a parameter of 10**400 sorts and
    # compares as the largest number instead of failing the whole query ("out of range").
    clamped = sa.func.least(sa.func.greatest(sa.cast(pg_text, sa.Numeric), -_FLOAT_MAX), _FLOAT_MAX)
    pg_numeric = sa.case((pg_text.op("~")(_NUMBER_PATTERN), sa.cast(clamped, sa.Float)), else_=None)
    return _Dialectal(sqlite_numeric, pg_numeric), _Dialectal(sqlite_text, pg_text)


def _sqlite_by_key(name: str) -> tuple[Expression, Expression]:
    """``param_value``'s pair on SQLite for a name no JSON path can spell (it holds ``"``)."""
    each = sa.func.json_each(R.c.params_flat).table_valued("key", "value", "type")
    numeric = sa.case((each.c.type.in_(("integer", "real")), each.c.value), else_=None)
    text = sa.case(
        (each.c.type == "true", "true"),
        (each.c.type == "false", "false"),
        else_=sa.cast(each.c.value, sa.Text),
    )
    found = sa.select(numeric).where(each.c.key == name).scalar_subquery()
    found_text = sa.select(text).where(each.c.key == name).scalar_subquery()
    return found, found_text


def metric_last(name: str) -> Expression:
    """The run's final value of metric ``name`` (a correlated scalar subquery)."""
    return (
        sa.select(LM.c.last)
        .where(LM.c.run_id == R.c.id, LM.c.name == name)
        .correlate(R)
        .scalar_subquery()
    )


def latest_verdict() -> Expression:
    """The verdict of the run's latest inference that gave one: a note without one keeps it."""
    return (
        sa.select(INF.c.verdict)
        .where(INF.c.run_id == R.c.id, INF.c.verdict.is_not(None))
        .order_by(INF.c.id.desc())
        .limit(1)
        .correlate(R)
        .scalar_subquery()
    )


def latest_inference_text() -> Expression:
    return (
        sa.select(INF.c.text)
        .where(INF.c.run_id == R.c.id)
        .order_by(INF.c.id.desc())
        .limit(1)
        .correlate(R)
        .scalar_subquery()
    )


# -- terms --------------------------------------------------------------------


def condition(term: Comparison) -> Condition:
    """A run matches when its parameter, or else its final metric, of that name compares true."""
    numeric, text = param_value(term.name)
    metric = metric_last(term.name)
    if isinstance(term.value, float):
        on_param = _compare_number(numeric, term.op, term.value)
        on_metric = _compare_number(metric, term.op, term.value)
        if term.op in ("=", "!="):  # `act=1` also finds the text "1"
            on_param = sa.or_(on_param, _compare_text(text, term.op, _plain(term.value)))
        return sa.or_(on_param, on_metric)
    return _compare_text(text, term.op, term.value)


def free_text(text: str) -> Condition:
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return sa.or_(
        R.c.experiment.ilike(pattern, escape="\\"),
        R.c.hypothesis.ilike(pattern, escape="\\"),
        R.c.id.in_(sa.select(TAGS.c.run_id).where(TAGS.c.tag.ilike(pattern, escape="\\"))),
        R.c.id.in_(sa.select(INF.c.run_id).where(INF.c.text.ilike(pattern, escape="\\"))),
    )


def _keyword(key: str, value: str, token: str) -> Condition:
    lowered = value.lower()
    if key == "verdict":
        if lowered in NONE_WORDS:
            return latest_verdict().is_(None)
        if lowered not in VERDICTS:
            raise BadInput(f"{token}: a verdict is one of {', '.join(VERDICTS)} or none")
        return latest_verdict() == lowered
    if key == "status":
        if lowered not in STATUSES:
            raise BadInput(f"{token}: a status is one of {', '.join(STATUSES)} (or {TRASHED})")
        return R.c.status == lowered
    if key == "tag":
        return R.c.id.in_(sa.select(TAGS.c.run_id).where(TAGS.c.tag == value))
    if key == "experiment":
        return R.c.experiment == value
    if key == "inference":
        has_one = sa.exists().where(INF.c.run_id == R.c.id)
        if lowered in NONE_WORDS:
            return ~has_one
        if lowered in ("any", "yes"):
            return has_one
        raise BadInput(f"{token}: use inference:none (runs that need one) or inference:any")
    raise BadInput(
        f"{token}: unknown filter {key}:, use {', '.join(k + ':' for k in KEYWORDS)} "
        f"(or put the text in quotes)"
    )


def _comparison(name: str, op: str, raw: str, token: str) -> Comparison:
    if raw == "":
        raise BadInput(f"{token}: a value is missing after {op!r}")
    number = _number(raw)
    if number is None and op not in ("=", "!="):
        raise BadInput(f"{token}: {op} compares numbers, and {raw!r} is not a number")
    return Comparison(name, op, number if number is not None else raw)


def _compare_number(column: Expression, op: str, value: float) -> Condition:
    if op in ("=", "!="):
        slack = abs(value) * EQUAL_TOLERANCE
        equal = column.between(value - slack, value + slack)
        return equal if op == "=" else sa.and_(column.is_not(None), ~equal)
    return {">": column > value, ">=": column >= value, "<": column < value, "<=": column <= value}[
        op
    ]


def _compare_text(column: Expression, op: str, value: str) -> Condition:
    equal = sa.func.lower(column) == value.lower()
    return equal if op == "=" else sa.and_(column.is_not(None), ~equal)


def _number(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _plain(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _unquote(value: str) -> str:
    if len(value) > 1 and value[0] in "\"'" and value[-1] == value[0]:
        return value[1:-1]
    return value


def _run_id(token: str) -> int:
    try:
        run_id = int(token[1:])
    except ValueError:
        raise BadInput(f"{token}: a run is named by its number, as in #123") from None
    if not 0 < run_id < 2**63:
        raise BadInput(f"{token}: no run has that number")
    return run_id


# -- one expression, two dialects ---------------------------------------------

from sqlalchemy.dialects.postgresql import JSON as _JSON  # noqa: E402
from sqlalchemy.ext.compiler import compiles  # noqa: E402
from sqlalchemy.sql.expression import ColumnElement  # noqa: E402


class _Dialectal(ColumnElement[object]):
    """An expression written once per dialect: SQLite's JSON functions, PostgreSQL's jsonb."""

    inherit_cache = False

    def __init__(self, sqlite: Expression, postgresql: Expression) -> None:
        self.sqlite = sqlite
        self.postgresql = postgresql
        self.type = sqlite.type

    @property
    def _from_objects(self) -> list[sa.FromClause]:
        return [R]


@compiles(_Dialectal)
def _compile_sqlite(element: _Dialectal, compiler: SQLCompiler, **kw: object) -> str:
    return str(compiler.process(element.sqlite, **kw))


@compiles(_Dialectal, "postgresql")
def _compile_postgresql(element: _Dialectal, compiler: SQLCompiler, **kw: object) -> str:
    return str(compiler.process(element.postgresql, **kw))
