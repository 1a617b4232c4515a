"""The register's other names of an organisation (exonyms, short forms), which the anonymised
jury's redaction hides as it hides the name.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-03 13:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("aliases", sa.Text(), nullable=True))


def downgrade() -> None:
    # In place, not by copying the table (batch): on SQLite, copying a table other rows refer
    # to breaks their foreign keys.
    op.drop_column("organisations", "aliases")
