"""Grids: a record per grid, its runs, its inferences, and the claims that keep a point from
running twice.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "grids",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("experiment", sa.String(200), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("updated", sa.Float, nullable=False),
        sa.Column("hypothesis", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("spec_key", sa.String(64), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("notebook", sa.Text),
    )
    op.create_index("ix_grids_experiment", "grids", ["experiment"])
    op.create_index("ix_grids_fingerprint_spec", "grids", ["fingerprint", "spec_key"], unique=True)
    op.create_table(
        "grid_runs",
        sa.Column(
            "grid_id", sa.Integer, sa.ForeignKey("grids.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("point", sa.Integer, nullable=False),
        sa.Column("point_values", sa.Text, nullable=False),
    )
    op.create_index("ix_grid_runs_run", "grid_runs", ["run_id"])
    op.create_table(
        "grid_claims",
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("claimant", sa.String(100), nullable=False),
        sa.Column("host", sa.String(255)),
        sa.Column("pid", sa.Integer),
        sa.Column("heartbeat", sa.Float, nullable=False),
        sa.Column("grid_id", sa.Integer),
    )
    op.create_table(
        "grid_inferences",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "grid_id", sa.Integer, sa.ForeignKey("grids.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(16)),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("author", sa.String(200)),
    )
    op.create_index("ix_grid_inferences_grid_id", "grid_inferences", ["grid_id"])
