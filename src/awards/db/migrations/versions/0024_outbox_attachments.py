"""What a queued mail carries besides its text, made when it is composed (a candidacy's
receipt): the source of each attachment and what the source reads.

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-03 18:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("attachments", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    # In place, not by copying the table (batch): on SQLite, copying a table other rows refer
    # to breaks their foreign keys.
    op.drop_column("outbox", "attachments")
