"""The trash: a run deleted by ``nbjournal delete`` keeps everything it holds, hidden.

Revision ID: 0011_trash
Revises: 0010_procedure

``runs.deleted_at`` is when the run went to the trash (NULL: it is kept).
Listings, insights, the nearest-run search and the grid's skip decisions read
only runs where it is NULL; ``nbjournal restore`` sets it back to NULL and
``nbjournal purge`` removes trashed runs for good. Tags were already a table
of their own (``run_tags``): editing them needs no change of schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_trash"
down_revision = "0010_procedure"


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("deleted_at", sa.Float, nullable=True))
    op.create_index("ix_runs_deleted_at", "runs", ["deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_runs_deleted_at", table_name="runs")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("deleted_at")
