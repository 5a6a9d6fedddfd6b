"""The nearest earlier run of each run, and the fingerprint of its data alone.

``nearest`` keeps what the journal said as the run's cell started (the closest
earlier run and how it differs); ``data_fingerprint`` lets insights and that
search find runs of other experiments on the same data.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("nearest", sa.Text))
        batch.add_column(sa.Column("data_fingerprint", sa.String(64)))
    op.create_index("ix_runs_data_fingerprint", "runs", ["data_fingerprint"])
    # refuted conclusions are looked up as every cell starts
    op.create_index("ix_inferences_verdict", "inferences", ["verdict"])


def downgrade() -> None:
    op.drop_index("ix_inferences_verdict", "inferences")
    op.drop_index("ix_runs_data_fingerprint", "runs")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("data_fingerprint")
        batch.drop_column("nearest")
