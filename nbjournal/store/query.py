"""The search grammar of the sidebar, the experiment page and ``nbjournal runs``, parsed into
SQL conditions.

``lr=0.003 units>=64 val_accuracy>0.97 verdict:refuted status:failed tag:baseline #tag #123``:
terms separated by spaces, all of which a run must match; ``act in (relu, tanh)``;
``lr=0.1 OR units>64`` (``OR`` binds looser than the spaces between terms); words
that are no filter are searched as free text (experiment, hypothesis, tags,
inferences), as the search box always did. The grammar is documented in docs/rest-api.md;
names no run has are told apart, with the closest known ones, by :mod:`.vocabulary`.

The parse happens here, once, into SQLAlchemy Core conditions that both SQLite
and PostgreSQL run: a listing of 10,000 runs is filtered by the database, not
in Python. A term that cannot mean anything (``units>abc``, ``verdict:maybe``)
is :class:`~nbjournal.errors.BadInput` with one line saying what to type.

Parameters are read through :func:`.param_values.param_value`, the one place that knows
how a run's flat parameters are stored, so a faster storage can be put behind it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import BadInput
from . import schema
from .param_values import param_value
from .records import STATUSES, VERDICTS

if TYPE_CHECKING:
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
#: ``verdict:none`` (no verdict yet) and ``inference:none`` (no inference at all, of its own
#: or on a grid it is a point of: it needs one).
NONE_WORDS = ("none", "no", "missing")
_COMPARISONS = (">=", "<=", "!=", "=", ">", "<")
#: A parameter's name: any letter or ``_`` first (``λ``, ``cfg.λ``), or quoted when it holds
#: spaces, quotes or signs (``"it's">1``, ``'say "hi"'=yes``).
_NAME = r"[^\W\d][\w.\-/\[\]]*|'[^']+'|" + r'"[^"]+"'
#: ``act in (relu, tanh)``, ``units not in (32,64)``: one term although it holds spaces.
_IN = rf"(?:{_NAME})\s+(?:(?i:not)\s+)?(?i:in)\s*\([^)]*\)"
_TOKEN = re.compile(rf"""{_IN}|(?:[^\s"']+|"[^"]*"|'[^']*')+""")
_TERM = re.compile(rf"^(?P<name>{_NAME})(?P<op>>=|<=|!=|==|=|>|<|:)(?P<value>.*)$", re.S)
_IN_TERM = re.compile(
    rf"^(?P<name>{_NAME})\s+(?P<negated>(?i:not)\s+)?(?i:in)\s*\((?P<values>[^)]*)\)$", re.S
)
#: The word between alternatives (``lr=0.1 OR lr=0.3``); ``or`` too, between two filters.
OR = "OR"
#: A query longer than this, or of more terms, is refused (400) before it is parsed: its SQL
#: grows with every term, and one 3 kB query kept a journal busy for seconds.
QUERY_MAX_CHARS = 400
QUERY_MAX_TERMS = 40
#: Relative tolerance of ``=`` on numbers: ``lr=1e-3`` finds 0.0010000000474974513 (a float32).
EQUAL_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Comparison:
    """``name op value`` on a parameter or a final metric (``in``/``not in``: a tuple)."""

    name: str
    op: str
    value: float | str | tuple[float | str, ...]


@dataclass(frozen=True)
class Query:
    """A parsed query: its conditions (ANDed) and its free text (or ``None``)."""

    conditions: tuple[Any, ...]
    text: str | None
    run_id: int | None = None
    comparisons: tuple[Comparison, ...] = ()
    #: ``status:trashed``: the query reads the trash instead of the kept runs.
    trashed: bool = False
    #: The unquoted words searched as text (``tanh``), to tell a bare value apart.
    words: tuple[str, ...] = ()


@dataclass
class _Alternative:
    """The terms between two ``OR``s, all of which a run matches."""

    conditions: list[Any] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    bare: list[str] = field(default_factory=list)
    run_id: int | None = None
    trashed: bool = False


def parse(q: str | None) -> Query:
    """The conditions of ``q``; :class:`BadInput` naming the faulty term when one is wrong."""
    alternatives = [_parsed(tokens) for tokens in _alternatives(_bounded_tokens(q or ""))]
    if not alternatives:
        return Query((), None)
    for one in alternatives:
        text = " ".join(w for w in one.words if w) or None
        if text is not None:
            one.conditions.append(free_text(text))
    if len(alternatives) == 1:
        conditions = tuple(alternatives[0].conditions)
    else:
        conditions = (sa.or_(*(sa.and_(sa.true(), *a.conditions) for a in alternatives)),)
    words = [w for a in alternatives for w in a.words if w]
    ids = [a.run_id for a in alternatives if a.run_id is not None]
    return Query(
        conditions,
        " ".join(words) or None,
        ids[0] if len(ids) == 1 else None,
        tuple(c for a in alternatives for c in a.comparisons),
        any(a.trashed for a in alternatives),
        tuple(w for a in alternatives for w in a.bare),
    )


def _alternatives(tokens: list[str]) -> list[list[str]]:
    """``tokens`` split at each ``OR`` (or ``or`` between two filters); none when empty."""
    groups: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        between = 0 < i < len(tokens) - 1 and is_term(tokens[i - 1]) and is_term(tokens[i + 1])
        if token == OR or (token.lower() == "or" and between):
            if not groups[-1] or i == len(tokens) - 1:
                raise BadInput(f"{OR} needs a term on each side, as in lr=0.1 OR lr=0.3")
            groups.append([])
            continue
        groups[-1].append(token)
    return [g for g in groups if g]


def _parsed(tokens: list[str]) -> _Alternative:
    """One alternative's terms (free words kept apart, searched as one text)."""
    one = _Alternative()
    for token in tokens:
        if token[0] in "\"'" and token[-1] == token[0] and len(token) > 1:
            one.words.append(token[1:-1])  # quoted: always text
            continue
        if token.startswith("#") and len(token) > 1:
            if not token[1:].lstrip("-").isdigit():  # `#baseline`: a tag
                one.conditions.append(_keyword("tag", token[1:], token))
                continue
            one.run_id = _run_id(token)
            one.conditions.append(R.c.id == one.run_id)
            continue
        listed = _IN_TERM.match(token)
        if listed is not None:
            comparison = _listed(listed, token)
            one.comparisons.append(comparison)
            one.conditions.append(condition(comparison))
            continue
        match = _TERM.match(token)
        if match is None or (match["op"] == ":" and not match["value"]):
            one.words.append(token)  # "Hypothesis:" or "deep" is text
            one.bare.append(token)
            continue
        name, op, value = _unquote(match["name"]), match["op"], _unquote(match["value"])
        if op == ":":
            if (name.lower(), value.lower()) == ("status", TRASHED):
                one.trashed = True  # the scope, not a condition: see :func:`scope`
                continue
            one.conditions.append(_keyword(name.lower(), value, token))
            continue
        comparison = _comparison(name, "=" if op == "==" else op, value, token)
        one.comparisons.append(comparison)
        one.conditions.append(condition(comparison))
    return one


def _listed(match: re.Match[str], token: str) -> Comparison:
    """``act in (relu, tanh)``: each value a number when it reads as one, else text."""
    raw = [_unquote(v.strip()) for v in match["values"].split(",")]
    values = tuple(v for v in raw if v)
    if not values:
        raise BadInput(f"{token}: list the values inside the brackets, as in act in (relu, tanh)")
    number = [_number(v) for v in values]
    typed = tuple(n if n is not None else v for n, v in zip(number, values, strict=True))
    return Comparison(_unquote(match["name"]), "not in" if match["negated"] else "in", typed)


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
    if _IN_TERM.match(token):
        return True
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
    if isinstance(term.value, tuple):
        op = "=" if term.op == "in" else "!="
        each = [condition(Comparison(term.name, op, v)) for v in term.value]
        return sa.or_(*each) if op == "=" else sa.and_(*each)
    numeric, text = param_value(term.name)
    metric = metric_last(term.name)
    if isinstance(term.value, float):
        on_param = _compare_number(numeric, term.op, term.value)
        on_metric = _compare_number(metric, term.op, term.value)
        if term.op == "=":  # `act=1` also finds the text "1"
            on_param = sa.or_(on_param, _compare_text(text, "=", _plain(term.value)))
        elif term.op == "!=":  # and `act!=1` the texts that are not "1" (no number: no float32)
            textual = sa.and_(numeric.is_(None), _compare_text(text, "!=", _plain(term.value)))
            on_param = sa.or_(on_param, textual)
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
        # RunSummary.needs_inference in SQL: its own inference, or one on a grid it is a point of
        links, on_grids = schema.grid_runs, schema.grid_inferences
        has_one = sa.or_(
            sa.exists().where(INF.c.run_id == R.c.id),
            sa.exists().where(links.c.run_id == R.c.id, on_grids.c.grid_id == links.c.grid_id),
        )
        if lowered in NONE_WORDS:
            return ~has_one
        if lowered in ("any", "yes"):
            return has_one
        raise BadInput(f"{token}: use inference:none (runs that need one) or inference:any")
    close = difflib.get_close_matches(key, KEYWORDS, 1)
    hint = f"did you mean {close[0]}:? " if close else ""
    raise BadInput(
        f"{token}: unknown filter {key}:, {hint}use {', '.join(k + ':' for k in KEYWORDS)} "
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
