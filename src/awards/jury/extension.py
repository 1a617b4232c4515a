"""What the jury adds to the core: the `president` role of a call's panel, and the jury's
comments for the applicant, which a result mail may show (`comments`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from awards.db.tables import Call, Submission
from awards.jury.membership import PRESIDENT, applicant_comments, panel_role
from awards.transitions.actor import Actor, Role, WorkflowRole
from awards.transitions.extensions import Extensions
from awards.transitions.runtime import Occasion


async def panel_roles(session: AsyncSession, actor: Actor, call: Call) -> set[str]:
    """`juror` for a member of the call's panel, and `president` too for its president (only
    jurors sit on panels: no one else costs a read)."""
    if actor.role is not Role.JUROR:
        return set()
    role = await panel_role(session, call.id or 0, actor.id)
    if role is None:
        return set()
    return (
        {WorkflowRole.JUROR, WorkflowRole.PRESIDENT} if role == PRESIDENT else {WorkflowRole.JUROR}
    )


async def comments_for_applicant(occasion: Occasion) -> object:
    subject = occasion.subject
    if not isinstance(subject, Submission) or subject.id is None:
        return []
    return await applicant_comments(occasion.session, subject.id)


def extend(extensions: Extensions) -> None:
    extensions.role(panel_roles)
    extensions.value("comments", comments_for_applicant)
