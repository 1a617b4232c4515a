"""Giving each submission its pseudonym: stable, non-sequential, unique in its call."""

from __future__ import annotations

from itertools import count
from uuid import uuid4

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from awards.db.tables import Call, Submission
from awards.jury.anonymise import pseudonym
from awards.kinds.kind import CallKind


def placeholder() -> str:
    """Unique until the submission has an id to derive its pseudonym from."""
    return f"new-{uuid4().hex[:12]}"


async def assign_pseudonym(
    session: AsyncSession, submission: Submission, *, call: Call, kind: CallKind, secret: str
) -> str:
    """Derive the pseudonym of a new submission (added to `session`), lengthening it on a
    collision.

    Each candidate is written in a savepoint and the call's unique index judges it: reading
    the call's pseudonyms instead would grow with the call, and would miss those of drafts
    being created alongside, which the index sees (it waits for their commit, and for any
    transaction that touched the row holding the candidate: a submit). So call it before
    the transaction takes the call's audit lock (`awards.audit.chain`), which such a submit
    may be waiting for.
    """
    await session.flush()
    assert submission.id is not None
    assert call.id is not None
    prefix = f"{kind.pseudonym_prefix}{call.edition[-2:]}"
    attempts = count()
    while True:
        label = pseudonym(
            secret,
            prefix=prefix,
            call_id=call.id,
            submission_id=submission.id,
            attempt=next(attempts),
        )
        if await _claimed(session, submission, label):
            return label


async def _claimed(session: AsyncSession, submission: Submission, label: str) -> bool:
    """Whether `label` was free in the call and is now the submission's."""
    try:
        async with session.begin_nested():
            submission.pseudonym = label
    except IntegrityError:
        await session.refresh(submission)  # the rollback to the savepoint expired it
        return False
    return True
