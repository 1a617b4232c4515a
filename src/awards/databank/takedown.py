"""Taking an entry down and putting it back: the Secretariat, with a reason, audited.

Not transitions: the submission stays `published` (its distinction is a fact of the call);
an unpublished entry is hidden from search, feeds and exports. Republishing brings it back,
updated from its submission, under the same id. Both are idempotent: asked again, they
change nothing (no audit, no webhook push) and answer the entry as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from awards.databank.changes import EntryChange, record_entry_change
from awards.databank.entries import put_entry, submission_fields
from awards.databank.mapping import Distinction
from awards.databank.webhook_queue import EntryEvent, queue_delivery
from awards.db.lookups import submission_and_call
from awards.db.tables import DatabankEntry, Submission
from awards.errors import Forbidden, Invalid, NotFound
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor
from awards.transitions.records import record_change


async def unpublish(
    session: AsyncSession,
    entry_id: int,
    *,
    actor: Actor,
    reason: str,
    now: datetime,
    push: bool = False,
) -> DatabankEntry:
    """Hide entry `entry_id` from every public output; audited, and on its submission;
    `push`: queue it for the external databank's webhook."""
    entry = await _entry(session, entry_id, actor=actor, action="unpublish")
    if not reason.strip():
        raise Invalid(
            f"databank entry {entry_id}: unpublish needs a reason", extra={"field": "reason"}
        )
    if entry.unpublished_at is not None:
        return entry
    entry.unpublished_at = now
    entry.unpublished_reason = reason
    session.add(entry)
    record_entry_change(session, entry, EntryChange.UNPUBLISH, actor=actor, now=now, reason=reason)
    if push:
        queue_delivery(session, entry, EntryEvent.UNPUBLISHED, now=now)
    if entry.submission_id is not None:
        submission = await session.get(Submission, entry.submission_id)
        assert submission is not None
        record_change(
            session, submission, EntryChange.UNPUBLISH, actor=actor, now=now, reason=reason
        )
    await session.flush()
    return entry


async def republish(
    session: AsyncSession,
    entry_id: int,
    *,
    actor: Actor,
    now: datetime,
    kind_of: Callable[[str], CallKind],
    push: bool = False,
) -> DatabankEntry:
    """Make entry `entry_id` public again, from its submission as it is now."""
    entry = await _entry(session, entry_id, actor=actor, action="republish")
    found = None
    if entry.submission_id is not None:
        found = await submission_and_call(session, entry.submission_id)
    fields = {}
    if found is not None:
        submission, call = found
        fields = await submission_fields(
            session,
            submission,
            call=call,
            kind=kind_of(call.kind),
            distinction=Distinction(entry.distinction),
        )
    if await put_entry(session, entry, fields, now=now, push=push) is not None:
        record_entry_change(session, entry, EntryChange.REPUBLISH, actor=actor, now=now)
        if found is not None:
            record_change(session, found[0], EntryChange.REPUBLISH, actor=actor, now=now)
    return entry


async def _entry(
    session: AsyncSession, entry_id: int, *, actor: Actor, action: str
) -> DatabankEntry:
    if not actor.is_secretariat:
        raise Forbidden(f"databank entry {entry_id}: only the Secretariat may {action}")
    entry = await session.get(DatabankEntry, entry_id)
    if entry is None:
        raise NotFound(f"no databank entry {entry_id}")
    return entry
