"""Taking a role back: a juror leaves a call's panel, an applicant leaves an organisation.

The person is refused on their next request: what the role let them reach is gone, and a
person left with no role at all (an applicant of no organisation, a juror on no panel) has
their sessions ended and their tokens revoked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.auth.account_events import AccountAction, record_account_event
from awards.db.lookups import organisation_by_slug
from awards.db.tables import ApiToken, LoginLink, PanelMember, User, WebSession
from awards.errors import Forbidden, Invalid, NotFound
from awards.jury.panel import unseat
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


async def shut_out(session: AsyncSession, user_id: int, *, now: datetime) -> None:
    """End every session of the user, revoke their tokens and void their unused sign-in
    links, in `session`'s transaction."""
    await session.execute(delete(WebSession).where(col(WebSession.user_id) == user_id))
    await session.execute(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    await session.execute(
        update(LoginLink)
        .where(col(LoginLink.user_id) == user_id, col(LoginLink.used_at).is_(None))
        .values(expires_at=now)
    )


async def revoke_role(
    runtime: Runtime,
    email: str,
    *,
    call_id: int | None = None,
    organisation: str | None = None,
    actor: Actor,
) -> None:
    """Take `email` off the panel of `call_id`, or out of `organisation` (a slug)."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat revokes roles")
    if (call_id is None) == (organisation is None):
        raise Invalid("name a call or an organisation, not both", extra={"field": "call_id"})
    now = runtime.clock()
    async with runtime.db.write() as session:
        user = await session.scalar(select(User).where(col(User.email) == email.strip().lower()))
        if user is None or user.id is None:
            raise NotFound(f"no user {email}")
        organisation_id = None
        if call_id is not None:
            if not await unseat(session, call_id, user.id):
                raise NotFound(f"{user.email} is not on the panel of call {call_id}")
            still_seated = await session.scalar(
                select(func.count()).where(col(PanelMember.user_id) == user.id)
            )
            if not still_seated:
                await shut_out(session, user.id, now=now)
        else:
            member = await organisation_by_slug(session, organisation or "")
            if member is None or user.organisation_id != member.id:
                raise NotFound(f"{user.email} does not act for organisation '{organisation}'")
            organisation_id = member.id
            user.organisation_id = None
            await shut_out(session, user.id, now=now)
        record_account_event(
            session,
            AccountAction.REVOKE,
            actor=actor,
            now=now,
            user_id=user.id,
            call_id=call_id,
            organisation_id=organisation_id,
            detail="left the panel" if call_id is not None else "left the organisation",
        )
