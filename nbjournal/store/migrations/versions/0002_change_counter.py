"""A change counter: change feeds ordered by the database, not by hosts' clocks.

Revision ID: 0002
Revises: 0001

Existing runs take their id as their change number (the order of changes
before this revision is not known without clocks, and no token from before it
is a counter), and the counter starts after the largest.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("change_seq", sa.BigInteger, nullable=False, server_default="0"))
        batch.create_index("ix_runs_change_seq", ["change_seq"])
    op.execute("UPDATE runs SET change_seq = id")
    counter = op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    start = op.get_bind().execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM runs")).scalar()
    op.bulk_insert(counter, [{"id": 1, "value": int(start or 0)}])
