"""A Secretariat member's network: the calls of that network's kinds are theirs to read.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("network", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )


def downgrade() -> None:
    # In place, not by copying the table (batch): on SQLite, copying a table other rows refer
    # to breaks their foreign keys.
    op.drop_column("users", "network")
