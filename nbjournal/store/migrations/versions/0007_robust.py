"""Steps as 64-bit integers, a count of points still to be written, metric roll-ups.

Revision ID: 0007
Revises: 0006

A step may be a timestamp or a sample counter (``log_metric(..., step=2**40)``),
which a 32-bit column refused on PostgreSQL, and with it the whole batch of
points. SQLite's INTEGER is already 64-bit: only PostgreSQL's columns change.

``points_pending`` is how many of a run's points are kept locally because the
journal did not take them (see ``nbjournal.spool``): a run that ended with
points pending is not shown as complete.

``metric_rollups`` keeps, per run of 1,000 consecutive points of a series,
its first, last, smallest and largest point, so that the REST API draws a
series of a million points from a thousand rows. Series written before this
revision have none and are read point by point, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"

_WIDENED = (
    ("metric_points", "step", False),
    ("metric_points", "epoch", True),
    ("latest_metrics", "last_epoch", True),
    ("latest_metrics", "best_epoch", True),
)


def upgrade() -> None:
    op.create_table(
        "metric_rollups",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("part", sa.Integer, primary_key=True),
        sa.Column("bucket", sa.Integer, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("points", sa.Text, nullable=False),
    )
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
    op.drop_table("metric_rollups")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("points_pending")
