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

from nbjournal.store.migrations.history_tables import add_history, drop_history

revision = "0013_inference_history"
down_revision = "0012_meta_features"


def upgrade() -> None:
    add_history("inferences", "inference_history", "run_id", "runs")


def downgrade() -> None:
    drop_history("inferences", "inference_history")
