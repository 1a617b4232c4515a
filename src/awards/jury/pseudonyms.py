"""Giving each submission its pseudonym: stable, non-sequential, unique in its call."""

from __future__ import annotations

from itertools import count
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.calls.kinds import CallKind
from awards.db.tables import Call, Submission
from awards.jury.anonymise import pseudonym


def placeholder() -> str:
    """Unique until the submission has an id to derive its pseudonym from."""
    return f"new-{uuid4().hex[:12]}"


async def assign_pseudonym(
    session: AsyncSession, submission: Submission, *, call: Call, kind: CallKind, secret: str
) -> str:
    """Derive the pseudonym of a flushed submission, lengthening it on a collision."""
    assert submission.id is not None
    assert call.id is not None
    prefix = f"{kind.pseudonym_prefix}{call.edition[-2:]}"
    taken = set(
        await session.scalars(
            select(col(Submission.pseudonym)).where(col(Submission.call_id) == call.id)
        )
    )
    for attempt in count():
        label = pseudonym(
            secret, prefix=prefix, call_id=call.id, submission_id=submission.id, attempt=attempt
        )
        if label not in taken:
            break
    submission.pseudonym = label
    return label
