"""nbjournal 0.1: the first journal schema.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("experiment", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started", sa.Float, nullable=False),
        sa.Column("ended", sa.Float),
        sa.Column("updated", sa.Float, nullable=False),
        sa.Column("heartbeat", sa.Float, nullable=False),
        sa.Column("hypothesis", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("repeat_of", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("params_flat", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("env", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("diagnoses", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("notebook", sa.Text),
        sa.Column("host", sa.String(255)),
        sa.Column("pid", sa.Integer),
    )
    op.create_index("ix_runs_status", "runs", ["status"])
    op.create_index("ix_runs_updated", "runs", ["updated"])
    op.create_index("ix_runs_fingerprint", "runs", ["fingerprint"])
    op.create_index("ix_runs_experiment_id", "runs", ["experiment", "id"])
    op.create_table(
        "run_tags",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("tag", sa.String(200), primary_key=True),
    )
    op.create_index("ix_run_tags_tag", "run_tags", ["tag"])
    op.create_table(
        "metric_points",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("part", sa.Integer, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("epoch", sa.Integer),
        sa.Column("value", sa.Float),
        sa.Column("time", sa.Float, nullable=False),
    )
    op.create_index("ix_metric_points_run", "metric_points", ["run_id", "name", "kind", "step"])
    op.create_table(
        "latest_metrics",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("last", sa.Float),
        sa.Column("last_epoch", sa.Integer),
        sa.Column("best", sa.Float),
        sa.Column("best_epoch", sa.Integer),
        sa.Column("goal", sa.String(4), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "inferences",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(16)),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("author", sa.String(200)),
    )
    op.create_index("ix_inferences_run_id", "inferences", ["run_id"])
