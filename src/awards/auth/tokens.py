"""API bearer tokens: random, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from awards.auth.actor import Actor
from awards.db.database import Database
from awards.db.tables import ApiToken, User
from awards.errors import NotFound

TOKEN_PREFIX = "awd_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(db: Database, email: str, *, now: datetime, name: str = "cli") -> str:
    """A new token for the user with `email`; only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with db.write() as session:
        user = await session.scalar(select(User).where(col(User.email) == email.lower()))
        if user is None or user.id is None:
            raise NotFound(f"no user {email}")
        session.add(ApiToken(user_id=user.id, name=name, token_hash=_digest(token), created_at=now))
    return token


async def authenticate(db: Database, token: str, *, now: datetime) -> Actor | None:
    """The actor a token stands for, or `None` if it is unknown, revoked or expired."""
    async with db.read() as session:
        row = (
            await session.execute(
                select(User, ApiToken)
                .join(ApiToken, col(ApiToken.user_id) == col(User.id))
                .where(col(ApiToken.token_hash) == _digest(token))
            )
        ).first()
    if row is None:
        return None
    user, api_token = row
    if api_token.revoked_at is not None or (
        api_token.expires_at is not None and api_token.expires_at <= now
    ):
        return None
    return Actor.of(user)
