"""Commitments after the decision: a laureate's agreement and reports (`obligations`) and the
instalments paid to it (`payments`).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 09:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import awards.db.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _instant() -> awards.db.types.UTCDateTime:
    return awards.db.types.UTCDateTime(timezone=True)


def _links(table: str, *columns: tuple[str, str]) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
        )
        for column, target in columns
    ]


def upgrade() -> None:
    op.create_table(
        "obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("name", _text(40), nullable=False),
        sa.Column("state", _text(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("document_sha256", _text(64), nullable=True),
        sa.Column("document_name", _text(255), nullable=True),
        sa.Column("sent_at", _instant(), nullable=True),
        sa.Column("sent_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", _instant(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_links(
            "obligations",
            ("call_id", "calls"),
            ("submission_id", "submissions"),
            ("sent_by", "users"),
            ("decided_by", "users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligations")),
        sa.UniqueConstraint("submission_id", "name", name=op.f("uq_obligations_submission_id")),
    )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligations_call_id"), ["call_id"], unique=False)
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("instalment", _text(40), nullable=False),
        sa.Column("amount", awards.db.types.ExactDecimal(), nullable=False),
        sa.Column("currency", _text(3), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", _text(120), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", _instant(), nullable=False),
        *_links(
            "payments",
            ("call_id", "calls"),
            ("submission_id", "submissions"),
            ("recorded_by", "users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("submission_id", "instalment", name=op.f("uq_payments_submission_id")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_call_id"), ["call_id"], unique=False)


def downgrade() -> None:
    op.drop_table("payments")
    op.drop_table("obligations")
