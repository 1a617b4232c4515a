"""The databank: published experiences (awards.databank).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 22:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import awards.db.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# SQLite full text: an FTS5 index over search_text, kept in step by triggers, so it changes in
# the transaction that changes the entry. PostgreSQL searches search_text directly (ILIKE).
_FTS = (
    "CREATE VIRTUAL TABLE databank_fts USING fts5(search_text, content='databank_entries', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER databank_fts_insert AFTER INSERT ON databank_entries BEGIN "
    "INSERT INTO databank_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER databank_fts_delete AFTER DELETE ON databank_entries BEGIN "
    "INSERT INTO databank_fts(databank_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER databank_fts_update AFTER UPDATE OF search_text ON databank_entries BEGIN "
    "INSERT INTO databank_fts(databank_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO databank_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "databank_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("kind", text(length=80), nullable=True),
        sa.Column("edition", text(length=40), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("distinction", text(length=40), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("organisation", text(length=200), nullable=False),
        sa.Column("city", text(length=200), nullable=True),
        sa.Column("country", text(length=2), nullable=False),
        sa.Column("themes", text(length=500), nullable=False),
        sa.Column("principles", text(length=100), nullable=False),
        sa.Column("languages", text(length=40), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("contact", sa.JSON(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("published_at", awards.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("unpublished_at", awards.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("unpublished_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_databank_entries_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_databank_entries")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_databank_entries_submission_id")),
    )
    with op.batch_alter_table("databank_entries", schema=None) as batch_op:
        for column in ("country", "distinction", "kind", "year"):
            batch_op.create_index(
                batch_op.f(f"ix_databank_entries_{column}"), [column], unique=False
            )
    if op.get_bind().dialect.name == "sqlite":
        for statement in _FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER databank_fts_{name}")
        op.execute("DROP TABLE databank_fts")
    with op.batch_alter_table("databank_entries", schema=None) as batch_op:
        for column in ("year", "kind", "distinction", "country"):
            batch_op.drop_index(batch_op.f(f"ix_databank_entries_{column}"))
    op.drop_table("databank_entries")
