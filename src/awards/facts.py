"""Loading the facts guards and rules read (awards.context), in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.calls.edition import EditionSettings
from awards.context import Facts, GuardContext, Peer
from awards.db.tables import AuditEntry, Call, Extension, Organisation, Submission
from awards.runtime import Runtime


async def guard_context(
    session: AsyncSession, runtime: Runtime, call: Call, submission: Submission | None
) -> GuardContext:
    """Everything the transitions of `submission` (or of `call` itself) are decided on."""
    return GuardContext(
        kind=runtime.kind(call.kind),
        call=call,
        submission=submission,
        now=runtime.clock(),
        facts=await load_facts(session, call, submission),
    )


async def load_facts(session: AsyncSession, call: Call, submission: Submission | None) -> Facts:
    category = col(Submission.answers)["category"].as_string()
    peers = await session.execute(
        select(col(Submission.id), col(Submission.organisation_id), col(Submission.state), category)
        .where(col(Submission.call_id) == call.id)
        .order_by(col(Submission.id))
    )
    history = await session.scalars(
        select(col(AuditEntry.transition))
        .where(col(AuditEntry.call_id) == call.id)
        .where(
            col(AuditEntry.submission_id) == submission.id
            if submission is not None
            else col(AuditEntry.submission_id).is_(None)
        )
        .order_by(col(AuditEntry.id))
    )
    organisation = extension = None
    if submission is not None:
        organisation = await session.get(Organisation, submission.organisation_id)
        extension = await session.scalar(
            select(col(Extension.until)).where(
                col(Extension.call_id) == call.id,
                col(Extension.organisation_id) == submission.organisation_id,
            )
        )
    return Facts(
        organisation=organisation,
        peers=tuple(Peer(*row) for row in peers),
        history=tuple(history),
        extension_until=extension,
        edition=EditionSettings.parse(call.settings),
    )
