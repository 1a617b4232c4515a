"""The Secretariat takes back final reviews: one juror's, with a reason, or a whole round's
until a new deadline. A final review is read-only (its juror may have read the others'
comments since); only the Secretariat of the call's network reopens it, each time in one
transaction with its audit entry and a mail to each juror concerned, in their language.

- `reopen_review`: one final review of an open round goes back to draft (its version moves
  on, so a form read before cannot overwrite it).
- `reopen_round`: a round, closed or not, is open again until `review_by`; every final review
  of it goes back to draft and each of its jurors is told.

`review_to_reopen` and `round_to_reopen` say beforehand what each would do, for the page that
asks the Secretariat to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlmodel import col

from awards.calls.networks import run_by
from awards.clock import local
from awards.db.cas import update_if
from awards.db.tables import Assignment, Call, JuryRound, Review, Submission, User
from awards.errors import Conflict, Invalid, NotFound
from awards.jury.deadlines import REVIEWING
from awards.jury.membership import call_with_jury
from awards.jury.reviews import open_round
from awards.notify.recipients import mail_people, named
from awards.transitions.actor import Actor
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.urls import JURY, absolute, jury_assignment


@dataclass(frozen=True)
class ReviewToReopen:
    """A juror's review as the Secretariat is asked to return it to draft."""

    call: Call
    assignment_id: int
    round: str
    juror: str
    pseudonym: str
    final: bool
    round_open: bool
    """Whether its juror could change it once it is a draft: else reopen the round."""


@dataclass(frozen=True)
class RoundToReopen:
    """A round as the Secretariat is asked to reopen it."""

    call: Call
    round: str
    closed: bool
    review_by: datetime | None
    final: int
    """Final reviews that go back to draft."""
    jurors: int
    """Jurors told, those with an active assignment in the round."""


@dataclass(frozen=True)
class Reopened:
    submission_id: int
    version: int
    """The draft's version, which its juror's next save names."""


async def review_to_reopen(
    runtime: Runtime, call_id: int, assignment_id: int, *, actor: Actor
) -> ReviewToReopen:
    """What `reopen_review` would return to draft."""
    async with runtime.db.read() as session:
        call, _ = await call_with_jury(session, runtime, call_id)
        run_by(call, call_id, runtime=runtime, actor=actor)
        row = (
            await session.execute(
                select(Assignment, col(Submission.pseudonym), col(User.name), col(User.email))
                .join(Submission, col(Submission.id) == col(Assignment.submission_id))
                .join(User, col(User.id) == col(Assignment.juror_id))
                .where(
                    col(Assignment.id) == assignment_id,
                    col(Assignment.call_id) == call_id,
                    col(Assignment.active),
                )
            )
        ).first()
        if row is None:
            raise NotFound(f"no assignment {assignment_id} in call {call_id}")
        assignment, pseudonym, name, email = row
        final = await session.scalar(
            select(col(Review.final)).where(col(Review.assignment_id) == assignment_id)
        )
        try:
            await open_round(session, runtime, call, assignment)
        except Conflict:
            round_open = False
        else:
            round_open = True
    return ReviewToReopen(
        call, assignment_id, assignment.round, name or email, pseudonym, bool(final), round_open
    )


async def round_to_reopen(
    runtime: Runtime, call_id: int, *, round_name: str, actor: Actor
) -> RoundToReopen:
    """What `reopen_round` would reopen."""
    async with runtime.db.read() as session:
        call, jury = await call_with_jury(session, runtime, call_id)
        run_by(call, call_id, runtime=runtime, actor=actor)
        round_ = jury.round(round_name)
        row = await session.scalar(
            select(JuryRound).where(
                col(JuryRound.call_id) == call_id, col(JuryRound.name) == round_.name
            )
        )
        counted = (
            await session.execute(
                select(
                    func.count(col(Review.id)),
                    func.count(func.distinct(col(Assignment.juror_id))),
                )
                .select_from(Assignment)
                .outerjoin(
                    Review, (col(Review.assignment_id) == col(Assignment.id)) & col(Review.final)
                )
                .where(*_of_round(call_id, round_.name))
            )
        ).one()
    return RoundToReopen(
        call,
        round_.name,
        closed=row is not None and row.closed_at is not None,
        review_by=row.review_by if row else None,
        final=int(counted[0]),
        jurors=int(counted[1]),
    )


async def reopen_review(
    runtime: Runtime, call_id: int, assignment_id: int, *, reason: str, actor: Actor
) -> Reopened:
    """Return the final review of assignment `assignment_id` of call `call_id` to draft."""
    why = _reason(reason)
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, _ = await call_with_jury(session, runtime, call_id)
        run_by(call, call_id, runtime=runtime, actor=actor)
        assignment = await session.get(Assignment, assignment_id)
        if assignment is None or assignment.call_id != call_id or not assignment.active:
            raise NotFound(f"no assignment {assignment_id} in call {call_id}")
        await open_round(
            session, runtime, call, assignment, refused="reopen the round to change its reviews"
        )
        review = await session.scalar(
            select(Review).where(col(Review.assignment_id) == assignment_id)
        )
        draft = (review.version if review else 0) + 1
        if review is None or not await update_if(
            session,
            Review,
            review.id or 0,
            expect={"final": True, "version": draft - 1},
            values={"final": False, "version": draft, "updated_at": now},
        ):
            raise Conflict(
                f"the review of assignment {assignment_id} is not final: its juror may change it",
                extra={"final": False},
            )
        submission = await session.get(Submission, assignment.submission_id)
        juror = await session.get(User, assignment.juror_id)
        assert submission is not None and juror is not None
        audit = record_change(
            session,
            submission,
            "reopen_review",
            actor=actor,
            now=now,
            reason=f"round {assignment.round}: review of juror {juror.id} back to draft: {why}",
        )
        await session.flush()
        await mail_people(
            session,
            runtime,
            "review_reopened",
            call=call,
            people=[juror],
            audit=audit,
            values={
                "round": named(runtime, runtime.kind(call.kind), "round", assignment.round),
                "pseudonym": submission.pseudonym,
                "reason": why,
                "url": absolute(runtime.settings.base_url, jury_assignment(assignment_id)),
            },
        )
    return Reopened(submission.id or 0, draft)


async def reopen_round(
    runtime: Runtime,
    call_id: int,
    *,
    round_name: str,
    review_by: datetime,
    reason: str,
    actor: Actor,
) -> int:
    """Open the round again until `review_by`, its final reviews back to draft; how many."""
    why = _reason(reason)
    if review_by.tzinfo is None:
        raise Invalid("review_by needs a time zone offset", extra={"field": "review_by"})
    now = runtime.clock()
    if review_by <= now:
        raise Invalid("the new deadline must be in the future", extra={"field": "review_by"})
    async with runtime.db.write() as session:
        call, jury = await call_with_jury(session, runtime, call_id)
        run_by(call, call_id, runtime=runtime, actor=actor)
        round_ = jury.round(round_name)
        if call.state not in REVIEWING:
            raise Conflict(
                f"call {call_id} is {call.state}: its jury no longer reviews",
                extra={"state": call.state},
            )
        row = await session.scalar(
            select(JuryRound).where(
                col(JuryRound.call_id) == call_id, col(JuryRound.name) == round_.name
            )
        )
        if row is None:
            row = JuryRound(call_id=call_id, name=round_.name)
            session.add(row)
        row.closed_at = None
        row.review_by = review_by
        of_round = _of_round(call_id, round_.name)
        returned = await session.execute(
            update(Review)
            .where(
                col(Review.assignment_id).in_(select(col(Assignment.id)).where(*of_round)),
                col(Review.final),
            )
            .values(final=False, version=col(Review.version) + 1, updated_at=now)
        )
        count = cast(CursorResult[Any], returned).rowcount
        deadline = local(review_by, call.timezone)
        audit = record_change(
            session,
            call,
            "reopen_round",
            actor=actor,
            now=now,
            reason=f"round {round_.name} until {deadline}, {count} final reviews back to "
            f"draft: {why}",
        )
        await session.flush()
        jurors = await session.scalars(
            select(User).where(col(User.id).in_(select(col(Assignment.juror_id)).where(*of_round)))
        )
        await mail_people(
            session,
            runtime,
            "round_reopened",
            call=call,
            people=list(jurors),
            audit=audit,
            values={
                "round": named(runtime, runtime.kind(call.kind), "round", round_.name),
                "deadline": deadline,
                "reason": why,
                "url": absolute(runtime.settings.base_url, JURY),
            },
        )
    return count


def _of_round(call_id: int, round_name: str) -> tuple[Any, ...]:
    """Where an assignment is an active one of the round."""
    return (
        col(Assignment.call_id) == call_id,
        col(Assignment.round) == round_name,
        col(Assignment.active),
    )


def _reason(reason: str) -> str:
    if not reason.strip():
        raise Invalid("reopening a final review needs a reason", extra={"field": "reason"})
    return reason.strip()
