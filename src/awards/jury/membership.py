"""Who sits on a call's panel, and as what: the one query every jury check shares."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import PanelMember

PRESIDENT = "president"
JUROR = "juror"


async def panel_role(session: AsyncSession, call_id: int, user_id: int | None) -> str | None:
    """`president`, `juror`, or None for someone not on the call's panel."""
    if user_id is None:
        return None
    role: str | None = await session.scalar(
        select(col(PanelMember.role)).where(
            col(PanelMember.call_id) == call_id, col(PanelMember.user_id) == user_id
        )
    )
    return role
