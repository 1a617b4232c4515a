"""What the jury adds to the core: the `president` role of a call's panel, and the jury's
comments for the applicant, which a result mail may show (`comments`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from awards.db.tables import Call, Submission
from awards.jury.membership import PRESIDENT, applicant_comments, panel_role
from awards.transitions.actor import Actor, Role, WorkflowRole
from awards.transitions.extensions import Extensions
from awards.transitions.runtime import Occasion


async def president_of(session: AsyncSession, actor: Actor, call: Call) -> set[str]:
    """`president` for the president of the call's panel (a juror: only jurors sit on it)."""
    if actor.role is Role.JUROR and await panel_role(session, call.id or 0, actor.id) == PRESIDENT:
        return {WorkflowRole.PRESIDENT}
    return set()


async def comments_for_applicant(occasion: Occasion) -> object:
    subject = occasion.subject
    if not isinstance(subject, Submission) or subject.id is None:
        return []
    return await applicant_comments(occasion.session, subject.id)


def extend(extensions: Extensions) -> None:
    extensions.role(president_of)
    extensions.value("comments", comments_for_applicant)
