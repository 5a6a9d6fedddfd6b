"""A run's procedure: the upstream cells it depended on, and replays.

Revision ID: 0010_procedure
Revises: 0009_comparisons

One row per run that recorded its procedure (``slice``: JSON of the experiment
cell, its upstream cells and the names no recorded cell bound). A replay's row
names the run it replays and how its metrics compared; ``reproduced`` is set on
the replayed run when a replay matched it. A journal from before has no rows:
its runs show "no procedure recorded".
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_procedure"
down_revision = "0009_comparisons"


def upgrade() -> None:
    op.create_table(
        "procedures",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("slice", sa.Text, nullable=False, server_default="{}"),
        sa.Column("replay_of", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
        sa.Column("comparison", sa.Text),
        sa.Column("reproduced", sa.Float),
    )
    op.create_index("ix_procedures_replay_of", "procedures", ["replay_of"])


def downgrade() -> None:
    op.drop_index("ix_procedures_replay_of", "procedures")
    op.drop_table("procedures")
