"""Submitted versions of a submission, so one returned for revision keeps both.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03 09:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import awards.db.types

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("at", awards.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_submission_versions_submission_id_submissions"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit_entries.id"],
            name=op.f("fk_submission_versions_audit_id_audit_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_versions")),
        sa.UniqueConstraint(
            "submission_id", "number", name=op.f("uq_submission_versions_submission_id")
        ),
    )
    with op.batch_alter_table("submission_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_versions_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("submission_versions")
