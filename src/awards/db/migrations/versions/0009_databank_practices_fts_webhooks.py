"""Databank: Secretariat good practices, PostgreSQL full text, webhook deliveries, published
documents, the version of an entry, and an index in the public order.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 00:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import awards.db.types
from awards.databank.words import words

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL full text: the words of search_text as a stored tsvector, computed by the
# database on every write, with a GIN index. Stored rather than an expression index, so that
# a plan that reads rows (a small table) does not run to_tsvector on each of them. Without
# GIN's pending list (fastupdate): entries are written rarely, and every search would scan
# the list's unsorted entries until a vacuum merged them (100 ms at 10,000 entries).
_POSTGRES_FTS = (
    "ALTER TABLE databank_entries ADD COLUMN databank_fts_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX databank_fts_gin ON databank_entries USING gin (databank_fts_vector) "
    "WITH (fastupdate = off)",
)


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    instant = awards.db.types.UTCDateTime(timezone=True)
    # Plain ADD COLUMN, not batch mode: rebuilding the table on SQLite would drop the
    # triggers that keep its full-text index in step.
    op.add_column(
        "databank_entries",
        sa.Column("target_groups", text(length=500), nullable=False, server_default=","),
    )
    op.add_column("databank_entries", sa.Column("started_on", sa.Date(), nullable=True))
    op.add_column(
        "databank_entries",
        # SQLite adds a NOT NULL column only with a constant default; replaced just below.
        sa.Column("updated_at", instant, nullable=False, server_default="1970-01-01 00:00:00"),
    )
    op.add_column(
        "databank_entries",
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.add_column(
        "databank_entries", sa.Column("documents", sa.JSON(), nullable=False, server_default="[]")
    )
    # A page of search reads its rows in this index's order (year, id, newest first), not a
    # sort of every match; it serves the year filter too.
    op.drop_index("ix_databank_entries_year", table_name="databank_entries")
    op.create_index(
        "ix_databank_entries_public_order",
        "databank_entries",
        ["year", "id"],
        sqlite_where=sa.text("unpublished_at IS NULL"),
        postgresql_where=sa.text("unpublished_at IS NULL"),
    )
    entries = sa.table(
        "databank_entries",
        sa.column("id", sa.Integer()),
        sa.column("search_text", sa.Text()),
        sa.column("published_at", instant),
        sa.column("updated_at", instant),
    )
    bind = op.get_bind()
    bind.execute(sa.update(entries).values(updated_at=entries.c.published_at))
    # Search text is now accent-folded words (awards.databank.words), as queries are.
    for row_id, search_text in bind.execute(sa.select(entries.c.id, entries.c.search_text)):
        bind.execute(
            sa.update(entries)
            .where(entries.c.id == row_id)
            .values(search_text=" ".join(words(search_text)))
        )
    if bind.dialect.name == "postgresql":
        for statement in _POSTGRES_FTS:
            op.execute(statement)
    op.create_table(
        "databank_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("change", text(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", instant, nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["databank_entries.id"],
            name=op.f("fk_databank_changes_entry_id_databank_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_databank_changes_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_databank_changes")),
    )
    op.create_index(
        op.f("ix_databank_changes_entry_id"), "databank_changes", ["entry_id"], unique=False
    )
    op.create_table(
        "databank_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", text(length=36), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("event", text(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", text(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", instant, nullable=False),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("sent_at", instant, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", text(length=80), nullable=True),
        sa.Column("claimed_until", instant, nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["databank_entries.id"],
            name=op.f("fk_databank_deliveries_entry_id_databank_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_databank_deliveries")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_databank_deliveries_delivery_id")),
    )
    for column in ("entry_id", "next_attempt_at", "status"):
        op.create_index(
            op.f(f"ix_databank_deliveries_{column}"),
            "databank_deliveries",
            [column],
            unique=False,
        )


def downgrade() -> None:
    for column in ("status", "next_attempt_at", "entry_id"):
        op.drop_index(op.f(f"ix_databank_deliveries_{column}"), table_name="databank_deliveries")
    op.drop_table("databank_deliveries")
    op.drop_index(op.f("ix_databank_changes_entry_id"), table_name="databank_changes")
    op.drop_table("databank_changes")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX databank_fts_gin")
        op.execute("ALTER TABLE databank_entries DROP COLUMN databank_fts_vector")
    op.drop_index("ix_databank_entries_public_order", table_name="databank_entries")
    op.create_index("ix_databank_entries_year", "databank_entries", ["year"])
    for column in ("documents", "version", "updated_at", "started_on", "target_groups"):
        op.drop_column("databank_entries", column)
