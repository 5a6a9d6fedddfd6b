"""Steps as 64-bit integers, and a count of points still to be written to a run.

Revision ID: 0007
Revises: 0001

A step may be a timestamp or a sample counter (``log_metric(..., step=2**40)``),
which a 32-bit column refused on PostgreSQL, and with it the whole batch of
points. SQLite's INTEGER is already 64-bit: only PostgreSQL's columns change.

``points_pending`` is how many of a run's points are kept locally because the
journal did not take them (see ``nbjournal.spool``): a run that ended with
points pending is not shown as complete.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0001"

_WIDENED = (
    ("metric_points", "step", False),
    ("metric_points", "epoch", True),
    ("latest_metrics", "last_epoch", True),
    ("latest_metrics", "best_epoch", True),
)


def upgrade() -> None:
    op.add_column(
        "runs",
        sa.Column("points_pending", sa.Integer, nullable=False, server_default="0"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table, column, nullable in _WIDENED:
            op.alter_column(
                table,
                column,
                type_=sa.BigInteger,
                existing_type=sa.Integer,
                existing_nullable=nullable,
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column, nullable in _WIDENED:
            op.alter_column(
                table,
                column,
                type_=sa.Integer,
                existing_type=sa.BigInteger,
                existing_nullable=nullable,
            )
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("points_pending")
