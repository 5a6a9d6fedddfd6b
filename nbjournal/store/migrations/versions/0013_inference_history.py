"""An inference can be edited or deleted; what it said before is kept.

Revision ID: 0013_inference_history
Revises: 0012_meta_features

``inferences.edited`` is when the current text was written over an earlier one
(NULL: never edited). ``inference_history`` keeps every replaced or deleted
version: the inference's id, its run, the old text and verdict, when that
version was written (``created``) and when it was replaced (``replaced``), and
``action`` (``edited`` or ``deleted``). Readers of ``inferences`` see current
conclusions only, so no verdict anywhere changes meaning.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_inference_history"
down_revision = "0012_meta_features"


def upgrade() -> None:
    with op.batch_alter_table("inferences") as batch:
        batch.add_column(sa.Column("edited", sa.Float, nullable=True))
    op.create_table(
        "inference_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("inference_id", sa.Integer, nullable=False, index=True),
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("runs.id", ondelete="CASCADE"),
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
    op.drop_table("inference_history")
    with op.batch_alter_table("inferences") as batch:
        batch.drop_column("edited")
