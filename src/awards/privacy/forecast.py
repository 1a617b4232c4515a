"""What erasing a person will do, counted before it is done: the Secretariat's confirmation
page words it as that consequence (what is replaced, what is cancelled, what is kept and
why), then `awards.privacy.erasure.erase_person` does it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Assignment, AuditEntry, Organisation, OutboxMessage, Submission, User
from awards.errors import Forbidden, NotFound
from awards.notify.outbox import MailStatus
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


@dataclass(frozen=True)
class ErasureForecast:
    user: User
    organisation: Organisation | None
    """The organisation they act for, if any."""
    submissions: int
    """Submissions whose answers are scrubbed: written by them or by their organisation."""
    mails: int
    """Stored mails addressed to them, kept with the pseudonym instead."""
    pending: int
    """Mails still waiting for them: cancelled."""
    audit: int
    """Audit records of their acts: kept, they hold ids, not names."""
    assignments: int
    """Their jury assignments: reviews and scores kept, rankings unchanged."""


async def erasure_forecast(runtime: Runtime, user_id: int, *, actor: Actor) -> ErasureForecast:
    """What erasing user `user_id` would do now (the Secretariat); nothing is written."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat erases someone else")
    async with runtime.db.read() as session:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
        organisation = (
            await session.get(Organisation, user.organisation_id) if user.organisation_id else None
        )
        theirs = col(Submission.created_by) == user_id
        if user.organisation_id is not None:
            theirs = or_(theirs, col(Submission.organisation_id) == user.organisation_id)
        mail = col(OutboxMessage.recipient) == user.email
        return ErasureForecast(
            user=user,
            organisation=organisation,
            submissions=await _count(session, select(Submission).where(theirs)),
            mails=await _count(session, select(OutboxMessage).where(mail)),
            pending=await _count(
                session,
                select(OutboxMessage).where(mail, col(OutboxMessage.status) == MailStatus.PENDING),
            ),
            audit=await _count(
                session, select(AuditEntry).where(col(AuditEntry.actor_id) == user_id)
            ),
            assignments=await _count(
                session, select(Assignment).where(col(Assignment.juror_id) == user_id)
            ),
        )


async def _count(session: AsyncSession, query: Select[Any]) -> int:
    found = await session.scalar(select(func.count()).select_from(query.subquery()))
    return int(found or 0)
