"""Single-use links that expire (sign-in links, invitations): only the SHA-256 of a link's
token is stored, and the mail in the outbox holds the token sealed (`awards.notify.seals`),
so a leaked table opens nothing, and spending a link is a compare-and-set,
so two clicks on it cannot both use it."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, CursorResult, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped
from sqlmodel import col

from awards.db.tables import Invitation, LoginLink

Link = TypeVar("Link", LoginLink, Invitation)


def digest(token: str) -> str:
    """What is stored of `token`: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


async def find_link(session: AsyncSession, table: type[Link], token: str) -> Link | None:
    """The link of `token`, spent or not; None if it never existed."""
    return await session.scalar(select(table).where(col(table.token_hash) == digest(token)))


async def spend_link(
    session: AsyncSession,
    table: type[Link],
    token: str,
    *,
    used: Mapped[datetime | None],
    now: datetime,
    also: ColumnElement[bool] | None = None,
) -> Link | None:
    """Set column `used` of the link of `token` to `now`, if it is unused, unexpired and meets
    `also`; the link, or None when it could not be spent."""
    spent = await session.execute(
        update(table)
        .where(
            col(table.token_hash) == digest(token),
            used.is_(None),
            col(table.expires_at) > now,
            true() if also is None else also,
        )
        .values({used: now})
    )
    if cast(CursorResult[Any], spent).rowcount != 1:
        return None
    return await find_link(session, table, token)
