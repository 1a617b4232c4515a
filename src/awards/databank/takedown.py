"""Unpublishing: the Secretariat takes an entry down, with a reason, in the audit trail.

Not a transition: the submission stays `published` (its distinction is a fact of the call);
the entry is hidden from search, feeds and exports. Publishing again restores it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from awards.auth.actor import Actor
from awards.db.tables import DatabankEntry, Submission
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.lifecycle import record_change

UNPUBLISH = "unpublish"


async def unpublish(
    session: AsyncSession, entry_id: int, *, actor: Actor, reason: str, now: datetime
) -> DatabankEntry:
    """Hide entry `entry_id` from every public output; audited on its submission."""
    if not actor.is_secretariat:
        raise Forbidden(f"databank entry {entry_id}: only the Secretariat may unpublish")
    if not reason.strip():
        raise Invalid(
            f"databank entry {entry_id}: unpublish needs a reason", extra={"field": "reason"}
        )
    entry = await session.get(DatabankEntry, entry_id)
    if entry is None:
        raise NotFound(f"no databank entry {entry_id}")
    if entry.unpublished_at is not None:
        raise Conflict(f"cannot unpublish databank entry {entry_id}: already unpublished")
    entry.unpublished_at = now
    entry.unpublished_reason = reason
    session.add(entry)
    if entry.submission_id is not None:
        submission = await session.get(Submission, entry.submission_id)
        assert submission is not None
        record_change(session, submission, UNPUBLISH, actor=actor, now=now, reason=reason)
    await session.flush()
    return entry
