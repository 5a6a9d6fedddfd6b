"""Pre-fit checks: a run records its findings, skipped checks and silenced names.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("checks", sa.Text, nullable=False, server_default="{}"))
