"""Signing in by e-mail: a link valid once, for 15 minutes, rate-limited per address and IP.

The lifecycle of a link:

1. `request_link` records the request, a row for a known address or not (so the limits count
   every request, and the answer cannot tell whether an address has an account), refuses it
   past `PER_ADDRESS` or `PER_IP` requests within `RATE_WINDOW`, and for a known user queues
   the `magic_link` e-mail, in the language of the page it was asked from, in the same
   transaction (invariant 6);
2. `peek_link` tells the landing page what a link is, its language and whether it still
   works, without spending it: a mail scanner that opens links does not sign anyone in;
3. `sign_in` spends it, once (a compare-and-set on `used_at`), and opens a browser session
   in the same transaction.

The limits live in the database, so every process of the service sees the same counts. On
PostgreSQL two requests racing for the last allowed slot may both get through: a limit that
is off by a request or two under a burst still stops a flood.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards import urls
from awards.auth.account_events import AccountAction, record_account_event
from awards.auth.links import digest, find_link, spend_link
from awards.auth.sessions import start_session
from awards.auth.users import email_address
from awards.db.tables import AccountEvent, LoginLink, User
from awards.errors import AwardsError, Conflict
from awards.notify.outbox import queue_mail
from awards.notify.render import renderer
from awards.notify.seals import sealed_token
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.vocabulary import LANGUAGES

LINK_LIFETIME = timedelta(minutes=15)
RATE_WINDOW = timedelta(minutes=15)
PER_ADDRESS = 5
"""Links asked for one address within `RATE_WINDOW`."""
PER_IP = 20
"""Links asked from one IP address within `RATE_WINDOW` (a shared office asks for several)."""
KEPT_FOR = timedelta(days=1)
"""Rows older than this count for nothing and are deleted by the next request."""
TEMPLATE = "magic_link"


class TooManyRequests(AwardsError):
    """Too many links asked for an address or from an IP; `extra["retry_after"]` in seconds."""


class LinkRefused(Conflict):
    """A link that is unknown, used already or expired."""


@dataclass(frozen=True)
class LinkStatus:
    language: str
    usable: bool
    """Not used, not expired, and for a known user."""


@dataclass(frozen=True)
class SignedIn:
    session_secret: str
    user: User
    next_path: str


def local_path(path: str) -> str:
    """`path` if it is a path of this site (`/my`), else "": a link never leads elsewhere,
    and a control character (a NUL PostgreSQL cannot store, a line break) makes no path."""
    if (
        path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
        and path.isprintable()
    ):
        return path[:300]
    return ""


async def request_link(
    runtime: Runtime, email: str, *, ip: str, language: str, next_path: str = ""
) -> None:
    """Record a request for a sign-in link to `email` and mail the link if the address is
    a user's; `TooManyRequests` past the limits, `Invalid` for what is not an address."""
    address = email_address(email)
    language = language if language in LANGUAGES else "en"
    now = runtime.clock()
    token, seal = sealed_token(runtime.settings.secret_key)
    async with runtime.db.write() as session:
        await session.execute(delete(LoginLink).where(col(LoginLink.created_at) < now - KEPT_FOR))
        for column, value, limit in (
            (col(LoginLink.email), address, PER_ADDRESS),
            (col(LoginLink.ip), ip, PER_IP),
        ):
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(col(LoginLink.created_at))).where(
                        column == value, col(LoginLink.created_at) > now - RATE_WINDOW
                    )
                )
            ).one()
            if count >= limit:
                wait = (oldest + RATE_WINDOW - now).total_seconds() if oldest else 60
                raise TooManyRequests(
                    f"{count} sign-in links were asked for within {RATE_WINDOW}; "
                    "wait before asking again",
                    extra={"retry_after": max(60, math.ceil(wait))},
                )
        user = await session.scalar(select(User).where(col(User.email) == address))
        link = LoginLink(
            token_hash=digest(token),
            email=address,
            user_id=user.id if user else None,
            ip=ip[:45],
            language=language,
            next_path=local_path(next_path),
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
        session.add(link)
        await session.flush()
        if user is None:
            return
        await queue_mail(
            session,
            renderer(runtime.settings.templates_dir),
            TEMPLATE,
            recipient=user.email,
            language=language,
            fallback_language="en",
            values={
                "name": user.name,
                "url": urls.absolute(runtime.settings.base_url, urls.login_link(seal)),
                "minutes": int(LINK_LIFETIME.total_seconds() // 60),
            },
            cause=f"login{link.id}",
            base_url=runtime.settings.base_url,
            now=now,
        )


async def _first_sign_in(session: AsyncSession, link: LoginLink) -> bool:
    """Whether the link's user never signed in before (by a link, or by accepting an
    invitation, which set their language already)."""
    earlier = await session.scalar(
        select(func.count())
        .select_from(AccountEvent)
        .where(
            col(AccountEvent.user_id) == link.user_id,
            col(AccountEvent.action).in_([AccountAction.FIRST_SIGN_IN, AccountAction.ACCEPT]),
        )
    )
    return not earlier


async def peek_link(runtime: Runtime, token: str) -> LinkStatus | None:
    """What link `token` is, without spending it; None for a link that never existed."""
    async with runtime.db.read() as session:
        link = await find_link(session, LoginLink, token)
    if link is None:
        return None
    usable = link.user_id is not None and link.used_at is None and runtime.clock() < link.expires_at
    return LinkStatus(language=link.language, usable=usable)


async def sign_in(runtime: Runtime, token: str) -> SignedIn:
    """Spend link `token` and open a session for its user; `LinkRefused` if it cannot be."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        link = await spend_link(
            session,
            LoginLink,
            token,
            used=col(LoginLink.used_at),
            now=now,
            also=col(LoginLink.user_id).is_not(None),
        )
        if link is None:
            raise LinkRefused(
                "this sign-in link has expired or was used already: ask for a new one"
            )
        assert link.user_id is not None
        user = await session.get(User, link.user_id)
        assert user is not None
        if await _first_sign_in(session, link):
            # An account made for someone (by the command line, an import) starts in the
            # language of the browser that first signs in, not in a default.
            user.locale = link.language
            record_account_event(
                session, AccountAction.FIRST_SIGN_IN, actor=Actor.of(user), now=now, user_id=user.id
            )
        secret = await start_session(session, link.user_id, now=now)
    return SignedIn(session_secret=secret, user=user, next_path=link.next_path)
