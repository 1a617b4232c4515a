"""Audit trail tamper evidence: a hash chain per call.

Adds `seq` and `chain_hash` to `audit_entries` and links the existing rows of each call in
the order they were written (their ids), as `awards.audit.chain` links new ones; records each
call's last link in `audit_heads`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 00:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import awards.db.types
from awards.audit.chain import GENESIS, entry_hash

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_entries = sa.table(
    "audit_entries",
    sa.column("id", sa.Integer()),
    sa.column("call_id", sa.Integer()),
    sa.column("submission_id", sa.Integer()),
    sa.column("actor_id", sa.Integer()),
    sa.column("at", awards.db.types.UTCDateTime(timezone=True)),
    sa.column("transition", sa.String()),
    sa.column("from_state", sa.String()),
    sa.column("to_state", sa.String()),
    sa.column("reason", sa.Text()),
    sa.column("seq", sa.Integer()),
    sa.column("chain_hash", sa.String()),
)
_heads = sa.table(
    "audit_heads",
    sa.column("call_id", sa.Integer()),
    sa.column("seq", sa.Integer()),
    sa.column("chain_hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("chain_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.create_table(
        "audit_heads",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("chain_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_audit_heads_call_id_calls")
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_audit_heads")),
    )
    _link_existing_rows()
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column(
            "chain_hash", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_audit_entries_call_id"), ["call_id", "seq"]
        )


def _link_existing_rows() -> None:
    bind = op.get_bind()
    links: list[dict[str, object]] = []
    heads: dict[int, dict[str, object]] = {}
    call_id, seq, previous = None, 0, GENESIS
    for row in bind.execute(sa.select(_entries).order_by(_entries.c.call_id, _entries.c.id)):
        if row.call_id != call_id:
            call_id, seq, previous = row.call_id, 0, GENESIS
        seq += 1
        previous = entry_hash(row, seq=seq, previous=previous)
        links.append({"row_id": row.id, "seq": seq, "chain_hash": previous})
        heads[row.call_id] = {"call_id": row.call_id, "seq": seq, "chain_hash": previous}
    if heads:
        bind.execute(sa.insert(_heads), list(heads.values()))
    if links:
        bind.execute(
            sa.update(_entries)
            .where(_entries.c.id == sa.bindparam("row_id"))
            .values(seq=sa.bindparam("seq"), chain_hash=sa.bindparam("chain_hash")),
            links,
        )


def downgrade() -> None:
    op.drop_table("audit_heads")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_entries_call_id"), type_="unique")
        batch_op.drop_column("chain_hash")
        batch_op.drop_column("seq")
