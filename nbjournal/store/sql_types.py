"""Names for the SQLAlchemy generic types the store passes between its modules.

For type hints only (imported under ``TYPE_CHECKING``): SQLAlchemy 2.1 spells a
``SELECT`` of any columns ``Select[Unpack[tuple[object, ...]]]``, which says little
where it is read; these names say what the value is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeAlias

    import sqlalchemy as sa
    from typing_extensions import Unpack

    #: a ``SELECT`` over the journal's tables, its rows read by column name
    Query: TypeAlias = sa.Select[Unpack[tuple[object, ...]]]
    #: one row a query returned (columns read as attributes)
    TableRow: TypeAlias = sa.Row[Unpack[tuple[object, ...]]]
    #: a SQL truth value: a ``WHERE`` term
    Condition: TypeAlias = sa.ColumnElement[bool]
    #: a SQL value of any type: a column, a subquery, a function of them
    Expression: TypeAlias = sa.ColumnElement[object]
