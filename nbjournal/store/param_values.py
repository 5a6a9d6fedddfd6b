"""Where a run's parameters live, for the query grammar and the sorts: one SQL expression
per dialect of a flat parameter's value (re-point here when the storage of params changes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON as _JSON
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from . import schema

if TYPE_CHECKING:
    from sqlalchemy.sql.compiler import SQLCompiler

    from .sql_types import Expression

R = schema.runs
#: A JSON number's text (PostgreSQL reads ``->>`` as text; this says when it casts to float).
_NUMBER_PATTERN = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
#: The bound PostgreSQL clamps a parameter's number to before it becomes a float.
_FLOAT_MAX = sa.literal(10**308, sa.Numeric)


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


def param_json(name: str) -> Expression | None:
    """The JSON text of the run's flat parameter ``name`` (``'0.003'``, ``'"relu"'``,
    ``'[64, 32]'``), NULL when the run has none: a few bytes a run where the whole document
    is a kilobyte. ``None`` for a name SQLite's JSON paths cannot spell (see
    :func:`param_value`): the caller reads the documents then."""
    if '"' in name or not name.isascii():
        return None
    sqlite: Expression = R.c.params_flat.op("->")('$."' + name + '"')
    postgresql: Expression = sa.cast(sa.cast(R.c.params_flat, _JSON)[name], sa.Text)
    return _Dialectal(sqlite, postgresql)


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
