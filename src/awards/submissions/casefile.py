"""The Secretariat's file on one candidacy: everything about it on one page.

Its answers and documents as sent, its history (every transition and change, by whom), the
mails it caused, the checks of the steps it may take next, the call's eligibility rules (met,
broken or overridden), and
once its call is under review the jury's final reviews with their comments. For the
Secretariat of the call's network only (`awards.calls.networks`). A fixed number of
statements, whatever the call's size: nothing here reads per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.calls.networks import run_by
from awards.db.lookups import submission_and_call
from awards.db.tables import (
    Assignment,
    Attachment,
    AuditEntry,
    Call,
    Organisation,
    OutboxMessage,
    Review,
    Submission,
    User,
)
from awards.errors import NotFound
from awards.jury.dossier import revealed_answers
from awards.kinds.kind import CallKind
from awards.submissions.attachments import Download
from awards.transitions.actor import Actor
from awards.transitions.apply import options
from awards.transitions.facts import guard_context
from awards.transitions.reasons import Reason
from awards.transitions.rules import RULE_TYPES
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState
from workflows import Option

REVIEWED_STATES = frozenset(
    {CallState.REVIEWING, CallState.DECIDING, CallState.PUBLISHED, CallState.ARCHIVED}
)
"""The call's states in which its jury's reviews are the Secretariat's to read: as the
ranking, from the start of the review on."""


@dataclass(frozen=True)
class Step:
    """One entry of the history, with the name of who took it (None: the system)."""

    entry: AuditEntry
    by: str | None


@dataclass(frozen=True)
class RuleCheck:
    """An eligibility rule of the call (one the Secretariat may override) for the candidacy."""

    name: str
    failure: Reason | None
    """Why the candidacy breaks it, overridden or not; None when it holds."""
    override: dict[str, Any] | None
    """`{reason, by, at}` when the Secretariat overrode it, `by` a name."""


@dataclass(frozen=True)
class JurorReview:
    assignment_id: int
    round: str
    juror: str
    scores: dict[str, Any]
    comment_for_jury: str
    comment_for_applicant: str


@dataclass(frozen=True)
class Casefile:
    submission: Submission
    call: Call
    kind: CallKind
    organisation: Organisation
    answers: dict[str, Any]
    """As sent; a document as `{attachment_id, name, content_type, size}`."""
    history: list[Step]
    mails: list[OutboxMessage]
    options: list[Option]
    """The Secretariat's steps, with the checks each makes."""
    rules: list[RuleCheck]
    reviews: list[JurorReview] | None
    """None before the call is under review."""


async def casefile(runtime: Runtime, submission_id: int, *, actor: Actor) -> Casefile:
    async with runtime.db.read() as session:
        submission, call = await _run_by(session, runtime, submission_id, actor)
        kind = runtime.kind(call.kind)
        organisation = await session.get(Organisation, submission.organisation_id)
        assert organisation is not None
        history = await _history(session, submission_id)
        context = await guard_context(session, runtime, call, submission)
        overriders = await _names(
            session, [int(given.get("by") or 0) for given in submission.overrides.values()]
        )
        return Casefile(
            submission=submission,
            call=call,
            kind=kind,
            organisation=organisation,
            answers=revealed_answers(kind.form, submission.answers),
            history=history,
            mails=list(
                await session.scalars(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.submission_id) == submission_id)
                    .order_by(col(OutboxMessage.id))
                )
            ),
            options=await options(session, runtime, submission, call=call, actor=actor),
            rules=[
                RuleCheck(
                    spec.name,
                    RULE_TYPES[spec.type].check(spec.params, context),
                    _named(submission.overrides.get(spec.name), overriders),
                )
                for spec in kind.rules.values()
                if spec.overridable
            ],
            reviews=await _reviews(session, submission_id)
            if call.state in REVIEWED_STATES
            else None,
        )


async def document(
    runtime: Runtime, submission_id: int, attachment_id: int, *, actor: Actor
) -> Download:
    """A document of the candidacy (of any version it was sent with), as uploaded."""
    async with runtime.db.read() as session:
        await _run_by(session, runtime, submission_id, actor)
        attachment = await session.get(Attachment, attachment_id)
    if attachment is None or attachment.submission_id != submission_id:
        raise NotFound(f"no document {attachment_id} in submission {submission_id}")
    return Download(attachment=attachment, chunks=await runtime.files.open(attachment.sha256))


async def _run_by(
    session: AsyncSession, runtime: Runtime, submission_id: int, actor: Actor
) -> tuple[Submission, Call]:
    """The submission and its call, for the Secretariat of the call's network."""
    found = await submission_and_call(session, submission_id)
    if found is None:
        raise NotFound(f"no submission {submission_id}")
    submission, call = found
    run_by(call, call.id or 0, runtime=runtime, actor=actor)
    return submission, call


async def _history(session: AsyncSession, submission_id: int) -> list[Step]:
    rows = await session.execute(
        select(AuditEntry, col(User.name), col(User.email))
        .outerjoin(User, col(User.id) == col(AuditEntry.actor_id))
        .where(col(AuditEntry.submission_id) == submission_id)
        .order_by(col(AuditEntry.id))
    )
    return [Step(entry, (name or email) if email else None) for entry, name, email in rows]


def _named(override: dict[str, Any] | None, names: dict[int, str]) -> dict[str, Any] | None:
    """An override with who made it by name."""
    if override is None:
        return None
    return {**override, "by": names.get(int(override.get("by") or 0), "")}


async def _names(session: AsyncSession, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = await session.execute(
        select(col(User.id), col(User.name), col(User.email)).where(col(User.id).in_(user_ids))
    )
    return {user_id or 0: name or email for user_id, name, email in rows}


async def _reviews(session: AsyncSession, submission_id: int) -> list[JurorReview]:
    """The final reviews of every round, in the rounds' order of assignment."""
    rows = await session.execute(
        select(Review, col(Assignment.round), col(User.name), col(User.email))
        .join(Assignment, col(Assignment.id) == col(Review.assignment_id))
        .join(User, col(User.id) == col(Assignment.juror_id))
        .where(
            col(Assignment.submission_id) == submission_id,
            col(Assignment.active),
            col(Review.final),
        )
        .order_by(col(Assignment.id))
    )
    return [
        JurorReview(
            assignment_id=review.assignment_id,
            round=round_name,
            juror=name or email,
            scores=review.scores,
            comment_for_jury=review.comment_for_jury,
            comment_for_applicant=review.comment_for_applicant,
        )
        for review, round_name, name, email in rows
    ]
