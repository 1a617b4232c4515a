"""What the rest of the service asks of the jury: who sits on a panel, and what the jury
wrote to an applicant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Assignment, Call, PanelMember, Review, Submission
from awards.errors import Forbidden, Invalid, NotFound
from awards.kinds.jury_spec import JurySpec
from awards.transitions.actor import Actor, Role
from awards.transitions.runtime import Runtime

PRESIDENT = "president"
JUROR = "juror"


async def panel_role(session: AsyncSession, call_id: int, user_id: int | None) -> str | None:
    """`president`, `juror`, or None for someone not on the call's panel."""
    if user_id is None:
        return None
    role: str | None = await session.scalar(
        select(col(PanelMember.role)).where(
            col(PanelMember.call_id) == call_id, col(PanelMember.user_id) == user_id
        )
    )
    return role


async def applicant_comments(session: AsyncSession, submission_id: int) -> list[str]:
    """The jury's final comments for the applicant, without who wrote them."""
    comments = await session.scalars(
        select(col(Review.comment_for_applicant))
        .join(Assignment, col(Assignment.id) == col(Review.assignment_id))
        .where(
            col(Assignment.submission_id) == submission_id,
            col(Assignment.active),
            col(Review.final),
            col(Review.comment_for_applicant) != "",
        )
        .order_by(col(Review.id))
    )
    return list(comments)


async def call_with_jury(
    session: AsyncSession, runtime: Runtime, call_id: int
) -> tuple[Call, JurySpec]:
    """The call and how its jury works; NotFound, or Invalid for a kind without a jury."""
    call = await session.get(Call, call_id)
    if call is None:
        raise NotFound(f"no call {call_id}")
    jury = runtime.kind(call.kind).jury
    if jury is None:
        raise Invalid(f"call {call_id}: {call.kind} has no jury", extra={"field": "call"})
    return call, jury


async def presided_calls(runtime: Runtime, *, actor: Actor) -> list[Call]:
    """The calls whose panel the juror presides, newest first."""
    if actor.role is not Role.JUROR:
        raise Forbidden("only jurors preside a panel")
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(Call)
            .join(PanelMember, col(PanelMember.call_id) == col(Call.id))
            .where(col(PanelMember.user_id) == actor.id, col(PanelMember.role) == PRESIDENT)
            .order_by(col(Call.id).desc())
        )
        return list(rows)


async def presided_call(runtime: Runtime, call_id: int, *, actor: Actor) -> Call:
    """One of `presided_calls`, or NotFound."""
    found = next((c for c in await presided_calls(runtime, actor=actor) if c.id == call_id), None)
    if found is None:
        raise NotFound(f"no call {call_id} whose panel you preside")
    return found


async def presided_candidacy(
    runtime: Runtime, call_id: int, pseudonym: str, *, actor: Actor
) -> int:
    """The id of the submission the president of `call_id` knows as `pseudonym`, or NotFound.

    The president acts on a candidacy by its pseudonym, as the ranking names it: its id
    follows the order candidacies came in, which would tell which city is behind it.
    """
    await presided_call(runtime, call_id, actor=actor)
    async with runtime.db.read() as session:
        found = await session.scalar(
            select(col(Submission.id)).where(
                col(Submission.call_id) == call_id, col(Submission.pseudonym) == pseudonym
            )
        )
    if found is None:
        raise NotFound(f"no candidacy {pseudonym} in call {call_id}")
    return found
