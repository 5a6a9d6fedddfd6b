"""What a comparison rests on: each experiment's chosen metric and seed names, and the
evidence an inference cites.

Revision ID: 0009_comparisons
Revises: 0008

``experiment_choices`` keeps, per experiment, what the person last chose with
``--metric NAME[:max|min]`` (the metric of record) and ``--seed-param NAME`` (more
seed-like names): every view reads them. ``inferences.evidence`` holds, as JSON,
the runs an inference names (``%inference --runs``) and the comparison rule's
evidence on them (difference, interval, n, verdict).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_comparisons"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "experiment_choices",
        sa.Column("experiment", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated", sa.Float, nullable=False),
    )
    op.add_column("inferences", sa.Column("evidence", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("inferences") as batch:
        batch.drop_column("evidence")
    op.drop_table("experiment_choices")
