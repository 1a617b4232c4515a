"""Audit entries of changes: a transition, a creation, or a change of settings, an override,
an extension. Each is linked into its call's hash chain (`awards.audit.chain`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from awards.audit.chain import chain_when_flushed
from awards.db.tables import AuditEntry, Call, Submission
from awards.transitions.actor import Actor


async def record_creation(
    session: AsyncSession, subject: Call | Submission, *, actor: Actor, now: datetime
) -> AuditEntry:
    """Insert a new call or submission, and the audit entry of its creation."""
    session.add(subject)
    await session.flush()
    return record_change(session, subject, "create", actor=actor, now=now, from_state="")


def record_change(
    session: AsyncSession,
    subject: Call | Submission,
    change: str,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
    from_state: str | None = None,
) -> AuditEntry:
    """Audit a change of `subject`; the entry is linked into its call's chain and gets its id
    at the next flush."""
    call_id = subject.id if isinstance(subject, Call) else subject.call_id
    assert call_id is not None
    audit = AuditEntry(
        call_id=call_id,
        submission_id=subject.id if isinstance(subject, Submission) else None,
        actor_id=actor.id,
        at=now,
        transition=change,
        from_state=subject.state if from_state is None else from_state,
        to_state=subject.state,
        reason=reason,
    )
    session.add(audit)
    chain_when_flushed(session, audit)
    return audit
