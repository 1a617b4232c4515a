"""Reads many use cases share: a row by the name people and files give it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Organisation


async def organisation_by_slug(session: AsyncSession, slug: str) -> Organisation | None:
    """The organisation of the register known as `slug` (`barcelona`), or None."""
    found: Organisation | None = await session.scalar(
        select(Organisation).where(col(Organisation.slug) == slug)
    )
    return found
