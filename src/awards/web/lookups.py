"""Read-only queries the pages need and the services do not offer yet.

Each is a plain read with the same visibility rule as the service it belongs to, named in
its docstring; none changes anything or decides anything. They move into those services
when they grow them, and the pages then call the services instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlmodel import col

from awards.auth.actor import Actor, Role
from awards.calls.kinds import PUBLIC_CALL_STATES
from awards.db.tables import (
    Assignment,
    Call,
    Organisation,
    OutboxMessage,
    PanelMember,
    Review,
    Submission,
    User,
)
from awards.errors import Forbidden, NotFound
from awards.jury.membership import PRESIDENT
from awards.runtime import Runtime
from awards.submissions.service import SubmissionService


@dataclass(frozen=True)
class OwnSubmission:
    submission: Submission
    call: Call


@dataclass(frozen=True)
class CallEntry:
    submission: Submission
    organisation: str


@dataclass(frozen=True)
class PanelSeat:
    email: str
    name: str
    role: str


@dataclass(frozen=True)
class JurorProgress:
    juror: str
    assigned: int
    drafts: int
    final: int


async def own_submissions(runtime: Runtime, *, actor: Actor) -> list[OwnSubmission]:
    """`SubmissionService`: the submissions of the applicant's organisation, newest first."""
    if actor.role is not Role.APPLICANT or actor.organisation_id is None:
        raise Forbidden("only an applicant of an organisation has submissions")
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(Submission, Call)
            .join(Call, col(Call.id) == col(Submission.call_id))
            .where(
                col(Submission.organisation_id) == actor.organisation_id,
                col(Call.state).in_(PUBLIC_CALL_STATES),
            )
            .order_by(col(Submission.id).desc())
        )
        return [OwnSubmission(submission, call) for submission, call in rows]


async def call_submissions(runtime: Runtime, call_id: int, *, actor: Actor) -> list[CallEntry]:
    """`SubmissionService`: every submission of a call with its organisation (Secretariat)."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat lists a call's submissions")
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(Submission, col(Organisation.name))
            .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
            .where(col(Submission.call_id) == call_id)
            .order_by(col(Submission.id))
        )
        return [CallEntry(submission, name) for submission, name in rows]


async def messages_of(runtime: Runtime, submission_id: int, *, actor: Actor) -> list[OutboxMessage]:
    """`awards.notify`: the e-mails a submission caused to its organisation's people (owner,
    Secretariat), oldest first."""
    submission = await SubmissionService(runtime).get(submission_id, actor=actor)
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.submission_id) == submission_id,
                col(OutboxMessage.recipient).in_(
                    select(col(User.email)).where(
                        col(User.organisation_id) == submission.organisation_id
                    )
                ),
            )
            .order_by(col(OutboxMessage.id))
        )
        return list(rows)


async def panel(runtime: Runtime, call_id: int, *, actor: Actor) -> list[PanelSeat]:
    """`awards.jury.panel`: who sits on a call's panel (Secretariat)."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat sees the panel")
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(col(User.email), col(User.name), col(PanelMember.role))
            .join(PanelMember, col(PanelMember.user_id) == col(User.id))
            .where(col(PanelMember.call_id) == call_id)
            .order_by(col(User.email))
        )
        return [PanelSeat(email, name, role) for email, name, role in rows]


async def jury_progress(runtime: Runtime, call_id: int, *, actor: Actor) -> list[JurorProgress]:
    """`awards.jury.reviews`: per juror of a call, active assignments and reviews (Secretariat)."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat follows the jury's progress")
    final = func.sum(case((col(Review.final), 1), else_=0))
    drafts = func.sum(case((col(Review.id).is_not(None) & ~col(Review.final), 1), else_=0))
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(col(User.name), col(User.email), func.count(col(Assignment.id)), drafts, final)
            .join(Assignment, col(Assignment.juror_id) == col(User.id))
            .outerjoin(Review, col(Review.assignment_id) == col(Assignment.id))
            .where(col(Assignment.call_id) == call_id, col(Assignment.active))
            .group_by(col(User.id), col(User.name), col(User.email))
            .order_by(col(User.email))
        )
        return [
            JurorProgress(name or email, assigned, int(draft or 0), int(done or 0))
            for name, email, assigned, draft, done in rows
        ]


async def presided_calls(runtime: Runtime, *, actor: Actor) -> list[Call]:
    """`awards.jury.membership`: the calls whose panel the juror presides."""
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
