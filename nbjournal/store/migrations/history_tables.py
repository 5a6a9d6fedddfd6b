"""The shape two migrations share: a conclusion's ``edited`` time and its history table.

``0013_inference_history`` gave runs' inferences this, ``0014_grid_inference_history``
grids' inferences. Migrations are history: what they do to a journal must never change
once released, so neither may this (tests/store/test_migration_statements.py holds the
SQL both send). A later shape is a new function beside it, never an edit of this one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def add_history(conclusions: str, history: str, owner: str, owners: str) -> None:
    """``conclusions.edited`` (NULL: never edited) and ``history``, a row per replaced or
    deleted version: the inference's id, its ``owner`` (a row of ``owners``), the old text
    and verdict, when that version was written and replaced, and the ``action``."""
    with op.batch_alter_table(conclusions) as batch:
        batch.add_column(sa.Column("edited", sa.Float, nullable=True))
    op.create_table(
        history,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("inference_id", sa.Integer, nullable=False, index=True),
        sa.Column(
            owner,
            sa.Integer,
            sa.ForeignKey(f"{owners}.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(16)),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("replaced", sa.Float, nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("author", sa.String(200)),
    )


def drop_history(conclusions: str, history: str) -> None:
    """What :func:`add_history` added, removed (a downgrade)."""
    op.drop_table(history)
    with op.batch_alter_table(conclusions) as batch:
        batch.drop_column("edited")
