"""The meta-features of each run's fit data, for finding earlier data sets like a new one.

Revision ID: 0012_meta_features
Revises: 0011_trash

``meta_features`` is JSON (``nbjournal.capture.metafeatures``): ``task``,
``features`` (≤ 20 numbers), ``version``, and ``data`` (the hash of the fit's
``x`` and ``y``, which names the data set). Older runs have none: they get
them lazily from a later run on the same data (``data_fingerprint``), or go
without.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_meta_features"
down_revision = "0011_trash"


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("meta_features", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("meta_features")
