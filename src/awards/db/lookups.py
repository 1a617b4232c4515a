"""Reads many use cases share: a row by the name people and files give it."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Call, Organisation, Submission
from awards.errors import NotFound


async def organisation_by_slug(session: AsyncSession, slug: str) -> Organisation | None:
    """The organisation of the register known as `slug` (`barcelona`), or None."""
    found: Organisation | None = await session.scalar(
        select(Organisation).where(col(Organisation.slug) == slug)
    )
    return found


async def registered_organisation(session: AsyncSession, slug: str) -> Organisation:
    """`organisation_by_slug`, or NotFound naming the `organisation` field."""
    found = await organisation_by_slug(session, slug)
    if found is None or found.id is None:
        raise NotFound(f"no organisation '{slug}' in the register", extra={"field": "organisation"})
    return found


_SUBMISSION_AND_CALL = (
    select(Submission, Call)
    .join(Call, col(Call.id) == col(Submission.call_id))
    .where(col(Submission.id) == bindparam("id"))
)
"""Built once, as every statement of the write path: building one costs more than running
it (some 0.2 ms of CPU)."""


async def submission_and_call(
    session: AsyncSession, submission_id: int
) -> tuple[Submission, Call] | None:
    """Submission `submission_id` and its call, read together; None if there is no such
    submission."""
    row = (await session.execute(_SUBMISSION_AND_CALL, {"id": submission_id})).first()
    return (row[0], row[1]) if row else None
