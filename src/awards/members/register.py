"""The members register: organisations with their country, network and fee status.

`upsert_members` writes members given in code (the demo, tests) through the same plan and
audit trail as an imported file (`awards.members.importing`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from awards.clock import system_clock
from awards.db.database import Database
from awards.members.changes import apply_plan, plan_changes
from awards.members.member import FIELDS, Member, OrganisationKind, slugify
from awards.members.reading import read_register

__all__ = [
    "Member",
    "OrganisationKind",
    "read_members_csv",
    "slugify",
    "upsert_members",
]


def read_members_csv(path: Path) -> list[Member]:
    """Rows of a register export; a malformed row is `Invalid` naming its line."""
    return read_register(path).members


async def upsert_members(
    db: Database,
    members: Iterable[Member],
    *,
    now: datetime | None = None,
    by: str = "system",
    source: str = "awards",
) -> int:
    """Insert or update organisations by slug, every field, in one audited transaction;
    returns how many members were given."""
    listed = list(members)
    async with db.write() as session:
        plan = await plan_changes(session, listed, fields=frozenset(FIELDS))
        await apply_plan(session, plan, by=by, now=now or system_clock(), source=source)
    return len(listed)
