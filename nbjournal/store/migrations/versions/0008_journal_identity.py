"""A journal's identity: a random id written once, so a copy of its listing kept on disk
is never taken for another journal's.

Revision ID: 0008
Revises: 0007

``journal_meta`` holds ``("id", <32 hex digits>)``. A journal file replaced by
another, or a PostgreSQL database dropped and made again, has another id, and
the listing kept under ``NBJOURNAL_HOME/cache`` (``nbjournal.store.listing_cache``)
is read afresh instead of trusted.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    meta = op.create_table(
        "journal_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.bulk_insert(meta, [{"key": "id", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("journal_meta")
