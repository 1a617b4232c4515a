"""Browser sessions: a random secret in a cookie, its SHA-256 in `web_sessions`.

The lifecycle of a session:

1. `start_session` opens one in the caller's write transaction (the one that spends a login
   link), with a new secret every time, so a session id planted before sign-in is worthless;
2. `session_visit` turns the cookie into the user's `Actor` on each request, as a bearer token
   is turned into one, in one indexed read; it ends after `IDLE_TIMEOUT` without use, and at
   `MAX_AGE` in any case, and its use is noted at most once a `SEEN_RESOLUTION`, written
   with the other uses within seconds (`awards.auth.uses`), not per request;
3. `end_session` deletes it at sign-out: a copied cookie stops working at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.auth.links import digest
from awards.db.database import Database
from awards.db.tables import User, WebSession, table_of
from awards.transitions.actor import Actor

SESSION_COOKIE = "awards_session"
IDLE_TIMEOUT = timedelta(hours=12)
MAX_AGE = timedelta(days=14)
SEEN_RESOLUTION = timedelta(minutes=1)


async def start_session(session: AsyncSession, user_id: int, *, now: datetime) -> str:
    """A new session of `user_id` in `session`'s transaction; returns the cookie's secret.

    The user's sessions that have ended are deleted on the way.
    """
    await session.execute(
        delete(WebSession).where(
            col(WebSession.user_id) == user_id,
            or_(
                col(WebSession.expires_at) <= now,
                col(WebSession.last_seen_at) <= now - IDLE_TIMEOUT,
            ),
        )
    )
    secret = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=digest(secret),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + MAX_AGE,
        )
    )
    return secret


@dataclass(frozen=True)
class Visit:
    """A request of a signed-in browser."""

    actor: Actor
    session_id: int
    seen_long_ago: bool
    """The session's `last_seen_at` is older than `SEEN_RESOLUTION`: its visit is noted
    (`awards.auth.uses`)."""


async def session_visit(db: Database, secret: str, *, now: datetime) -> Visit | None:
    """The visit of the user signed in with cookie `secret`, or None if it is unknown or has
    ended."""
    if not secret:
        return None
    async with db.read() as session:
        row = (
            await session.execute(
                select(WebSession, User)
                .join(User, col(User.id) == col(WebSession.user_id))
                .where(col(WebSession.token_hash) == digest(secret))
            )
        ).first()
    if row is None:
        return None
    web_session, user = row
    assert web_session.id is not None
    if now >= web_session.expires_at or now - web_session.last_seen_at >= IDLE_TIMEOUT:
        return None
    stale = now - web_session.last_seen_at >= SEEN_RESOLUTION
    return Visit(Actor.of(user), web_session.id, seen_long_ago=stale)


async def record_visits(session: AsyncSession, visits: Mapping[int, datetime]) -> None:
    """Move each session's `last_seen_at` on to its visit (session id: when), in one
    statement (`awards.auth.uses` batches them)."""
    if visits:
        await session.execute(
            _SEEN,
            [
                {"session_id": session_id, "now": now, "stale": now - SEEN_RESOLUTION}
                for session_id, now in visits.items()
            ],
        )


# Core, not the ORM's bulk update by primary key, which takes no extra condition; the
# condition makes processes that all saw a stale value write it once.
_SESSIONS = table_of(WebSession)
_SEEN = (
    update(_SESSIONS)
    .where(
        _SESSIONS.c.id == bindparam("session_id"),
        _SESSIONS.c.last_seen_at <= bindparam("stale"),
    )
    .values(last_seen_at=bindparam("now"))
)


async def end_session(db: Database, secret: str) -> None:
    """Sign out: the session of cookie `secret` no longer exists (nothing if it did not)."""
    if not secret:
        return
    async with db.write() as session:
        await session.execute(
            delete(WebSession).where(col(WebSession.token_hash) == digest(secret))
        )
