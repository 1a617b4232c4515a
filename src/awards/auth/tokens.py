"""API bearer tokens: random, shown once, stored as SHA-256; named, scoped, expiring, revocable.

The lifecycle of a token:

1. `create_token` draws the secret, stores only its digest with a name, scopes (by default
   every scope the user's role can use: `awards.auth.scopes`) and an optional expiry, and
   returns the secret once;
2. `authenticate` turns a secret into a `Grant` on each request, refusing it once revoked or
   expired; it records the token's last use at most once a `LAST_USE_RESOLUTION`, so a burst
   of requests costs one write, not one per request;
3. `revoke_token` ends it; the row stays, so `tokens_of` still lists it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.auth.links import digest
from awards.auth.scopes import Scope, decode, encode, parse_scopes, scopes_of_role
from awards.db.database import Database
from awards.db.tables import ApiToken, User, table_of
from awards.errors import AwardsError, Conflict, Invalid, NotFound
from awards.transitions.actor import Actor, Role

TOKEN_PREFIX = "awd_"
LAST_USE_RESOLUTION = timedelta(minutes=1)
"""How stale `last_used_at` may be: at most one write per token per this long."""
UNKNOWN = "unknown, revoked or expired token"


class TokenRefused(AwardsError):
    """A bearer token that does not sign anyone in: unknown, revoked or expired."""


@dataclass(frozen=True)
class Grant:
    """What a valid token stands for: its user, and what it may be used for."""

    actor: Actor
    token_id: int
    scopes: frozenset[Scope]
    used_long_ago: bool = False
    """Its `last_used_at` is older than `LAST_USE_RESOLUTION`: its use is noted
    (`awards.auth.uses`)."""


@dataclass(frozen=True)
class IssuedToken:
    """A new token; `secret` exists nowhere else and is shown once."""

    id: int
    secret: str
    email: str
    scopes: tuple[Scope, ...]
    expires_at: datetime | None


def status(token: ApiToken, *, now: datetime) -> str:
    """`active`, `revoked` or `expired`, as `awards token list` shows it."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


async def create_token(
    db: Database,
    email: str,
    *,
    now: datetime,
    name: str = "cli",
    scopes: Iterable[str] | None = None,
    expires_in: timedelta | None = None,
) -> IssuedToken:
    """A new token for the user with `email`: checked, stored hashed, returned once."""
    if not name.strip() or len(name) > 100:
        raise Invalid("a token's name is 1 to 100 characters", extra={"field": "name"})
    if expires_in is not None and expires_in <= timedelta(0):
        raise Invalid("a token expires in a positive number of days", extra={"field": "expires"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with db.write() as session:
        user = await session.scalar(select(User).where(col(User.email) == email.lower()))
        if user is None or user.id is None:
            raise NotFound(f"no user {email}")
        role = Role(user.role)
        granted = scopes_of_role(role) if scopes is None else parse_scopes(scopes, role=role)
        if not granted:
            raise Invalid("a token needs at least one scope", extra={"field": "scope"})
        row = ApiToken(
            user_id=user.id,
            name=name.strip(),
            token_hash=digest(secret),
            created_at=now,
            expires_at=None if expires_in is None else now + expires_in,
            scopes=encode(granted),
        )
        session.add(row)
        await session.flush()
        assert row.id is not None
    return IssuedToken(row.id, secret, user.email, granted, row.expires_at)


async def issue_token(
    db: Database,
    email: str,
    *,
    now: datetime,
    name: str = "cli",
    scopes: Iterable[str] | None = None,
    expires_in: timedelta | None = None,
) -> str:
    """The secret of a new token (`create_token`), for callers that need nothing else."""
    issued = await create_token(db, email, now=now, name=name, scopes=scopes, expires_in=expires_in)
    return issued.secret


async def tokens_of(db: Database, email: str) -> list[ApiToken]:
    """Every token of the user with `email`, revoked and expired ones included, oldest first."""
    async with db.read() as session:
        user_id = await session.scalar(select(col(User.id)).where(col(User.email) == email.lower()))
        if user_id is None:
            raise NotFound(f"no user {email}")
        rows = await session.scalars(
            select(ApiToken).where(col(ApiToken.user_id) == user_id).order_by(col(ApiToken.id))
        )
        return list(rows)


async def revoke_token(db: Database, token_id: int, *, now: datetime) -> tuple[ApiToken, str]:
    """Revoke token `token_id` from now on; returns it with its user's e-mail."""
    async with db.write() as session:
        row = (
            await session.execute(
                select(ApiToken, col(User.email))
                .join(User, col(User.id) == col(ApiToken.user_id))
                .where(col(ApiToken.id) == token_id)
            )
        ).first()
        if row is None:
            raise NotFound(f"no token {token_id}")
        token, email = row
        if token.revoked_at is not None:
            raise Conflict(
                f"cannot revoke token {token_id} of {email}: "
                f"it was revoked at {token.revoked_at:%Y-%m-%d %H:%M} UTC"
            )
        token.revoked_at = now
    return token, email


# Built once, as every statement of the write path: building one costs more than running it.
_GRANTED = (
    select(User, ApiToken)
    .join(ApiToken, col(ApiToken.user_id) == col(User.id))
    .where(col(ApiToken.token_hash) == bindparam("hash"))
)
_TOKENS = table_of(ApiToken)
_USED = (
    # Core, not the ORM's bulk update by primary key, which takes no extra condition.
    update(_TOKENS)
    .where(
        _TOKENS.c.id == bindparam("token_id"),
        or_(_TOKENS.c.last_used_at.is_(None), _TOKENS.c.last_used_at <= bindparam("stale")),
    )
    .values(last_used_at=bindparam("now"))
)


async def authenticate(db: Database, token: str, *, now: datetime) -> Grant:
    """What `token` stands for now, in one indexed read with its user; `TokenRefused` if it
    is unknown, revoked or expired."""
    async with db.read() as session:
        row = (await session.execute(_GRANTED, {"hash": digest(token)})).first()
    if row is None:
        raise TokenRefused(UNKNOWN)
    user, api_token = row
    assert api_token.id is not None
    if api_token.revoked_at is not None:
        raise TokenRefused(f"token {api_token.id} was revoked")
    if api_token.expires_at is not None and api_token.expires_at <= now:
        raise TokenRefused(
            f"token {api_token.id} expired at {api_token.expires_at:%Y-%m-%d %H:%M} UTC"
        )
    stale = api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USE_RESOLUTION
    return Grant(Actor.of(user), api_token.id, decode(api_token.scopes), used_long_ago=stale)


async def record_uses(session: AsyncSession, uses: Mapping[int, datetime]) -> None:
    """Set each token's `last_used_at` to its use (token id: when), in one statement, unless
    another process already did within the resolution (`awards.auth.uses` batches them).

    The condition makes processes that all saw a stale value change the row once."""
    if uses:
        await session.execute(
            _USED,
            [
                {"token_id": token_id, "now": now, "stale": now - LAST_USE_RESOLUTION}
                for token_id, now in uses.items()
            ],
        )
