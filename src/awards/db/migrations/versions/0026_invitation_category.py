"""The category a juror is invited to sit for, given to their seat when they accept.

Revision ID: 0026
Revises: 0022
Create Date: 2026-12-03 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("category", sa.String(length=60), nullable=True))


def downgrade() -> None:
    # In place, not by copying the table (batch): see 0022.
    op.drop_column("invitations", "category")
