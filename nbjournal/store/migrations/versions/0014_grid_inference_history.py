"""A grid's inference can be edited or deleted, as a run's can; what it said before is kept.

Revision ID: 0014_grid_inference_history
Revises: 0013_inference_history

``grid_inferences.edited`` is when the current text was written over an earlier one (NULL:
never edited). ``grid_inference_history`` keeps every replaced or deleted version, as
``inference_history`` does for runs' inferences.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_grid_inference_history"
down_revision = "0013_inference_history"


def upgrade() -> None:
    with op.batch_alter_table("grid_inferences") as batch:
        batch.add_column(sa.Column("edited", sa.Float, nullable=True))
    op.create_table(
        "grid_inference_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("inference_id", sa.Integer, nullable=False, index=True),
        sa.Column(
            "grid_id",
            sa.Integer,
            sa.ForeignKey("grids.id", ondelete="CASCADE"),
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


def downgrade() -> None:
    op.drop_table("grid_inference_history")
    with op.batch_alter_table("grid_inferences") as batch:
        batch.drop_column("edited")
