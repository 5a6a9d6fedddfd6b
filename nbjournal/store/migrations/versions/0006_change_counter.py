"""A change counter: change feeds ordered by the database, not by hosts' clocks.

Revision ID: 0006
Revises: 0005

Also ``runs.final_metrics``, each run's last metric values as one JSON column,
filled here from ``latest_metrics``: the DataFrame listing of a run reads it
instead of one row per metric.

Existing runs take their id as their change number (the order of changes
before this revision is not known without clocks, and no token from before it
is a counter), and the counter starts after the largest.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("change_seq", sa.BigInteger, nullable=False, server_default="0"))
        batch.add_column(sa.Column("final_metrics", sa.Text, nullable=False, server_default="{}"))
        batch.create_index("ix_runs_change_seq", ["change_seq"])
    op.execute("UPDATE runs SET change_seq = id")
    bind = op.get_bind()
    finals: dict[int, dict[str, float | None]] = {}
    for run_id, name, last in bind.execute(
        sa.text("SELECT run_id, name, last FROM latest_metrics ORDER BY run_id, name")
    ):
        finals.setdefault(run_id, {})[name] = last
    if finals:
        bind.execute(
            sa.text("UPDATE runs SET final_metrics = :finals WHERE id = :run_id"),
            [
                {"run_id": run_id, "finals": json.dumps(values, separators=(",", ":"))}
                for run_id, values in finals.items()
            ],
        )
    counter = op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    start = bind.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM runs")).scalar()
    op.bulk_insert(counter, [{"id": 1, "value": int(start or 0)}])
