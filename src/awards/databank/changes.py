"""The audit trail of databank entries: what the Secretariat did to each, when and why.

Publication by a transition is audited on its submission (`awards.transitions.apply`); the changes
here have no transition: good practices created and edited, entries taken down and restored.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import DatabankChange, DatabankEntry
from awards.transitions.actor import Actor


class EntryChange(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNPUBLISH = "unpublish"
    REPUBLISH = "republish"


class ChangeOut(msgspec.Struct, frozen=True):
    change: str
    actor_id: int | None
    at: datetime
    reason: str | None


def record_entry_change(
    session: AsyncSession,
    entry: DatabankEntry,
    change: EntryChange,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
) -> None:
    assert entry.id is not None
    session.add(
        DatabankChange(entry_id=entry.id, change=change, actor_id=actor.id, at=now, reason=reason)
    )


async def entry_history(session: AsyncSession, entry_id: int) -> list[ChangeOut]:
    """The changes of entry `entry_id`, oldest first."""
    rows = await session.scalars(
        select(DatabankChange)
        .where(col(DatabankChange.entry_id) == entry_id)
        .order_by(col(DatabankChange.id))
    )
    return [ChangeOut(row.change, row.actor_id, row.at, row.reason) for row in rows]
