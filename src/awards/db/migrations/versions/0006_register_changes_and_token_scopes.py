"""Members register: notes and an audit of changes; API tokens: scopes and last use.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 21:58:30.925702
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import awards.db.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tokens issued before scopes existed could do whatever their user could: they keep that.
EVERY_SCOPE = "read submit review administer"


def upgrade() -> None:
    op.create_table(
        "register_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("changed_at", awards.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_register_changes_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_changes")),
    )
    with op.batch_alter_table("register_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_changes_changed_at"), ["changed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_register_changes_organisation_id"), ["organisation_id"], unique=False
        )

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "scopes",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                nullable=False,
                server_default=EVERY_SCOPE,
            )
        )
        batch_op.add_column(
            sa.Column("last_used_at", awards.db.types.UTCDateTime(timezone=True), nullable=True)
        )
    # The default only fills the existing rows: a new token always names its scopes.
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("scopes", server_default=None)

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("note")

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("scopes")

    with op.batch_alter_table("register_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_changes_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_register_changes_changed_at"))

    op.drop_table("register_changes")
