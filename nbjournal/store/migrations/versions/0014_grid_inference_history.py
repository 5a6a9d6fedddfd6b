"""A grid's inference can be edited or deleted, as a run's can; what it said before is kept.

Revision ID: 0014_grid_inference_history
Revises: 0013_inference_history

``grid_inferences.edited`` is when the current text was written over an earlier one (NULL:
never edited). ``grid_inference_history`` keeps every replaced or deleted version, as
``inference_history`` does for runs' inferences.
"""

from __future__ import annotations

from nbjournal.store.migrations.history_tables import add_history, drop_history

revision = "0014_grid_inference_history"
down_revision = "0013_inference_history"


def upgrade() -> None:
    add_history("grid_inferences", "grid_inference_history", "grid_id", "grids")


def downgrade() -> None:
    drop_history("grid_inferences", "grid_inference_history")
