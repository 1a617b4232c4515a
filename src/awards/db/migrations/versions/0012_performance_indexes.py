"""Indexes for the facts a transition reads (`awards.facts`), so its cost does not grow with
the call: a call's submissions by state and by organisation, a call's own audit entries.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 01:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "ix_submissions_call_id_state": ("submissions", ["call_id", "state"]),
    "ix_submissions_call_id_organisation_id": ("submissions", ["call_id", "organisation_id"]),
    "ix_audit_entries_call_id_submission_id": ("audit_entries", ["call_id", "submission_id"]),
}


def upgrade() -> None:
    for name, (table, columns) in _INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in _INDEXES.items():
        op.drop_index(name, table_name=table)
