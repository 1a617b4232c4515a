"""A juror's work: their assignments, saving and finalising reviews, declaring a conflict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.cas import update_if
from awards.db.tables import (
    Assignment,
    Call,
    ConflictOfInterest,
    JuryRound,
    Review,
    Submission,
    User,
)
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.jury.assignment import reassign_after_conflict
from awards.kinds.jury_spec import Round
from awards.transitions.actor import Actor
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState


@dataclass(frozen=True)
class ReviewInput:
    scores: Mapping[str, float]
    comment_for_jury: str = ""
    comment_for_applicant: str = ""
    final: bool = False
    version: int | None = None
    """The version read; None only for the first save."""


@dataclass(frozen=True)
class AssignmentView:
    """An assignment as its juror sees it: a pseudonym, never an identity."""

    assignment: Assignment
    pseudonym: str
    call: Call
    review: Review | None
    review_by: datetime | None
    """The round's review deadline, once the Secretariat has set it."""


@dataclass(frozen=True)
class JurorProgress:
    juror: str
    assigned: int
    drafts: int
    final: int


async def jury_progress(runtime: Runtime, call_id: int, *, actor: Actor) -> list[JurorProgress]:
    """Per juror of a call: active assignments, draft and final reviews (Secretariat)."""
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


async def assignments_of(runtime: Runtime, *, actor: Actor) -> list[AssignmentView]:
    """The juror's active assignments with their rounds' deadlines, newest call first."""
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(Assignment, col(Submission.pseudonym), Call, Review, col(JuryRound.review_by))
            .join(Submission, col(Submission.id) == col(Assignment.submission_id))
            .join(Call, col(Call.id) == col(Assignment.call_id))
            .outerjoin(Review, col(Review.assignment_id) == col(Assignment.id))
            .outerjoin(
                JuryRound,
                (col(JuryRound.call_id) == col(Assignment.call_id))
                & (col(JuryRound.name) == col(Assignment.round)),
            )
            .where(col(Assignment.juror_id) == actor.id, col(Assignment.active))
            .order_by(col(Call.id).desc(), col(Submission.pseudonym))
        )
        return [AssignmentView(a, p, c, r, by) for a, p, c, r, by in rows]


async def own_assignment(
    session: AsyncSession, assignment_id: int, actor: Actor
) -> tuple[Assignment, Call]:
    """The active assignment of this juror, or NotFound (others' assignments do not exist)."""
    row = (
        await session.execute(
            select(Assignment, Call)
            .join(Call, col(Call.id) == col(Assignment.call_id))
            .where(col(Assignment.id) == assignment_id)
        )
    ).first()
    if row is None or row[0].juror_id != actor.id or not row[0].active:
        raise NotFound(f"no assignment {assignment_id}")
    return row[0], row[1]


async def save_review(
    runtime: Runtime, assignment_id: int, data: ReviewInput, *, actor: Actor
) -> Review:
    """Save a draft or final review; a draft changes until the round closes, a final review
    no more: its juror may then read the others' comments, and must not rescore after them.

    A review asked to be final without a required criterion's score is kept as a draft, then
    refused naming what is missing (`missing`): what the juror wrote is never lost.
    """
    now = runtime.clock()
    async with runtime.db.write() as session:
        assignment, call = await own_assignment(session, assignment_id, actor)
        round_ = await open_round(session, runtime, call, assignment)
        _check_scores(round_, data)
        missing = unscored(round_, data.scores) if data.final else []
        review = await session.scalar(
            select(Review).where(col(Review.assignment_id) == assignment_id)
        )
        if review is not None and review.final:
            raise Conflict(
                f"the review of assignment {assignment_id} is final: it can no longer change",
                extra={"final": True},
            )
        values: dict[str, Any] = {
            "scores": dict(data.scores),
            "comment_for_jury": data.comment_for_jury,
            "comment_for_applicant": data.comment_for_applicant,
            "final": data.final and not missing,
            "updated_at": now,
        }
        if review is None:
            if data.version not in (None, 0):
                raise Conflict(
                    f"assignment {assignment_id} has no review yet", extra={"version": 0}
                )
            review = Review(assignment_id=assignment_id, **values)
            session.add(review)
            try:
                await session.flush()
            except IntegrityError:
                raise Conflict(
                    f"the review of assignment {assignment_id} was saved meanwhile; reload it"
                ) from None
        elif data.version != review.version or not await update_if(
            session,
            Review,
            review.id or 0,
            expect={"version": review.version},
            values={**values, "version": review.version + 1},
        ):
            raise Conflict(
                f"review of assignment {assignment_id} is at version {review.version}, "
                f"not {data.version}: reload it",
                extra={"version": review.version},
            )
    if missing:
        raise Invalid(
            "the review is kept as a draft: a final review scores every required criterion; "
            f"missing: {', '.join(missing)}",
            extra={"field": "scores", "missing": missing, "kept": "draft"},
        )
    return review


async def declare_conflict(
    runtime: Runtime, assignment_id: int, *, reason: str, actor: Actor
) -> None:
    """Withdraw the juror from the submission, remember the relation, and reassign it."""
    if not reason.strip():
        raise Invalid("a declared conflict needs a reason", extra={"field": "reason"})
    now = runtime.clock()
    async with runtime.db.write() as session:
        assignment, call = await own_assignment(session, assignment_id, actor)
        submission = await session.get(Submission, assignment.submission_id)
        assert submission is not None and actor.id is not None
        session.add(
            ConflictOfInterest(
                user_id=actor.id,
                organisation_id=submission.organisation_id,
                call_id=call.id,
                source="declared",
                reason=reason.strip(),
                created_at=now,
            )
        )
        assignment.active = False
        assignment.withdrawn_reason = f"conflict declared: {reason.strip()}"
        audit = record_change(
            session,
            submission,
            "declare_conflict",
            actor=actor,
            now=now,
            reason=f"juror {actor.id} withdrawn from round {assignment.round}",
        )
        await session.flush()
        await reassign_after_conflict(session, runtime, assignment, audit=audit)


async def open_round(
    session: AsyncSession,
    runtime: Runtime,
    call: Call,
    assignment: Assignment,
    *,
    refused: str = "reviews can no longer change",
) -> Round:
    """The assignment's round, or Conflict saying what is `refused` once it is closed."""
    jury = runtime.kind(call.kind).jury
    assert jury is not None, "assignments exist only in calls with a jury"
    round_ = jury.round(assignment.round)
    closed = await session.scalar(
        select(col(JuryRound.closed_at)).where(
            col(JuryRound.call_id) == call.id, col(JuryRound.name) == round_.name
        )
    )
    if closed is not None or call.state not in (CallState.REVIEWING, CallState.DECIDING):
        raise Conflict(
            f"round {round_.name} of call {call.id} is closed: {refused}",
            extra={"round": round_.name},
        )
    return round_


def unscored(round_: Round, scores: Mapping[str, float]) -> list[str]:
    """The required criteria of `round_` that `scores` leaves out: a final review has none."""
    return [c.name for c in round_.rubric.criteria if c.required and c.name not in scores]


def _check_scores(round_: Round, data: ReviewInput) -> None:
    rubric = round_.rubric
    names = {criterion.name for criterion in rubric.criteria}
    for name, score in data.scores.items():
        if name not in names:
            raise Invalid(
                f"'{name}' is not a criterion of round {round_.name}",
                extra={"field": f"scores.{name}"},
            )
        if isinstance(score, bool) or not rubric.scale_min <= score <= rubric.scale_max:
            raise Invalid(
                f"score for '{name}' must be from {rubric.scale_min} to {rubric.scale_max}",
                extra={"field": f"scores.{name}"},
            )
