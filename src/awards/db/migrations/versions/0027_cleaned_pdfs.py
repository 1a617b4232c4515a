"""The cleaned copy of each uploaded PDF an anonymised jury receives, made once.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import awards.db.types

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    digest = sqlmodel.sql.sqltypes.AutoString(length=64)
    op.create_table(
        "cleaned_pdfs",
        sa.Column("original_sha256", digest, nullable=False),
        sa.Column("cleaned_sha256", digest, nullable=False),
        sa.Column("created_at", awards.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("original_sha256", name=op.f("pk_cleaned_pdfs")),
    )
    with op.batch_alter_table("cleaned_pdfs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cleaned_pdfs_cleaned_sha256"), ["cleaned_sha256"], unique=False
        )


def downgrade() -> None:
    op.drop_table("cleaned_pdfs")
