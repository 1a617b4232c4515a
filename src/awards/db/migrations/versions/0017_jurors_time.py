"""Jurors' time: a review deadline and reminder days per round, an assignment's acceptance.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 09:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import awards.db.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = awards.db.types.UTCDateTime(timezone=True)
    with op.batch_alter_table("jury_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_by", instant, nullable=True))
        batch_op.add_column(sa.Column("reminder_days", sa.JSON(), nullable=True))
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accepted_at", instant, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("accepted_at")
    with op.batch_alter_table("jury_rounds", schema=None) as batch_op:
        batch_op.drop_column("reminder_days")
        batch_op.drop_column("review_by")
