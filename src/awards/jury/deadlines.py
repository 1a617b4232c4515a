"""Jurors' time: a round's review deadline, accepting or declining an assignment, reminders,
and who is late.

- The Secretariat sets a round's deadline (an instant) and the days before it on which jurors
  with reviews left are reminded (`DEFAULT_REMINDER_DAYS` unless it says otherwise).
- A juror accepts an assignment, or declines it before accepting: declining withdraws it and
  gives the submission to another allowed juror, as a declared conflict does.
- The worker reminds (`remind_jurors`, a duty of `awards.assembly`): for each open round, the
  nearest reminder day due (a worker that was down does not send every missed one), once per
  round and day, in each juror's language. The audit entry of a reminder and each mail's
  Message-ID are derived from the round, the day and the juror, so a second worker's
  transaction meets them and is rolled back: sent once even with two workers.
- The Secretariat lists who is late: past the deadline with reviews not final.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.clock import local
from awards.db.tables import Assignment, AuditEntry, Call, JuryRound, Review, Submission, User
from awards.errors import Conflict, Forbidden, Invalid
from awards.jury.assignment import reassign_after_conflict
from awards.jury.membership import call_with_jury
from awards.jury.reviews import open_round, own_assignment
from awards.notify.recipients import mail_people, named
from awards.transitions.actor import SYSTEM, Actor
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.urls import JURY, absolute
from awards.vocabulary import CallState

log = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = (7, 1)
"""Reminders a week and a day before a round's deadline, unless the Secretariat says."""
REVIEWING = (CallState.REVIEWING, CallState.DECIDING)


@dataclass(frozen=True)
class RoundDeadline:
    round: str
    review_by: datetime
    reminder_days: tuple[int, ...]


@dataclass(frozen=True)
class LateJuror:
    """A juror of a round past its deadline, with reviews not final."""

    name: str
    email: str
    round: str
    review_by: datetime
    pending: int
    """Active assignments of the round without a final review."""


async def set_deadline(
    runtime: Runtime,
    call_id: int,
    *,
    round_name: str,
    review_by: datetime,
    reminder_days: Sequence[int] | None,
    actor: Actor,
) -> RoundDeadline:
    """The Secretariat sets (or moves) the deadline of a round's reviews; audited."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat sets the jury's deadlines")
    if review_by.tzinfo is None:
        raise Invalid("review_by needs a time zone offset", extra={"field": "review_by"})
    days = tuple(sorted(set(reminder_days), reverse=True)) if reminder_days is not None else None
    if days is not None and any(day < 1 for day in days):
        raise Invalid("reminder days are whole days from 1", extra={"field": "reminder_days"})
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, jury = await call_with_jury(session, runtime, call_id)
        round_ = jury.round(round_name)
        row = await session.scalar(
            select(JuryRound).where(
                col(JuryRound.call_id) == call_id, col(JuryRound.name) == round_.name
            )
        )
        if row is None:
            row = JuryRound(call_id=call_id, name=round_.name)
            session.add(row)
        elif row.closed_at is not None:
            raise Conflict(
                f"round {round_.name} of call {call_id} is closed", extra={"round": round_.name}
            )
        row.review_by = review_by
        row.reminder_days = list(days) if days is not None else None
        record_change(
            session,
            call,
            "set_review_deadline",
            actor=actor,
            now=now,
            reason=f"round {round_.name}: reviews by {local(review_by, call.timezone)}",
        )
    return RoundDeadline(round_.name, review_by, days or DEFAULT_REMINDER_DAYS)


async def round_deadlines(runtime: Runtime, call_id: int, *, actor: Actor) -> list[RoundDeadline]:
    """The deadlines set for the call's rounds, earliest first (Secretariat)."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat follows the jury's deadlines")
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(JuryRound)
            .where(col(JuryRound.call_id) == call_id, col(JuryRound.review_by).is_not(None))
            .order_by(col(JuryRound.review_by))
        )
        return [
            RoundDeadline(
                row.name,
                row.review_by,
                tuple(row.reminder_days)
                if row.reminder_days is not None
                else DEFAULT_REMINDER_DAYS,
            )
            for row in rows
            if row.review_by is not None
        ]


async def accept_assignment(runtime: Runtime, assignment_id: int, *, actor: Actor) -> Assignment:
    """The juror takes the assignment on; accepting again changes nothing."""
    async with runtime.db.write() as session:
        assignment, _ = await own_assignment(session, assignment_id, actor)
        if assignment.accepted_at is None:
            assignment.accepted_at = runtime.clock()
    return assignment


async def decline_assignment(
    runtime: Runtime, assignment_id: int, *, reason: str, actor: Actor
) -> bool:
    """Withdraw an assignment the juror has not accepted and give its submission to another
    allowed juror; whether one was found."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        assignment, call = await own_assignment(session, assignment_id, actor)
        await open_round(
            session, runtime, call, assignment, refused="its assignments can no longer be declined"
        )
        if assignment.accepted_at is not None:
            raise Conflict(
                f"assignment {assignment_id} was accepted: to step down, declare a conflict "
                "of interest",
                extra={"accepted_at": assignment.accepted_at.isoformat()},
            )
        submission = await session.get(Submission, assignment.submission_id)
        assert submission is not None
        assignment.active = False
        assignment.withdrawn_reason = (
            f"declined: {reason.strip()}" if reason.strip() else "declined"
        )
        audit = record_change(
            session,
            submission,
            "decline_assignment",
            actor=actor,
            now=now,
            reason=f"juror {actor.id} declined in round {assignment.round}",
        )
        await session.flush()
        return await reassign_after_conflict(session, runtime, assignment, audit=audit) is not None


async def late_jurors(runtime: Runtime, call_id: int, *, actor: Actor) -> list[LateJuror]:
    """Jurors of the call's open rounds past their deadline with reviews not final."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat follows the jury's deadlines")
    now = runtime.clock()
    async with runtime.db.read() as session:
        await call_with_jury(session, runtime, call_id)
        rounds = await session.scalars(
            select(JuryRound).where(
                col(JuryRound.call_id) == call_id,
                col(JuryRound.closed_at).is_(None),
                col(JuryRound.review_by) < now,
            )
        )
        late = []
        for row in rounds:
            assert row.review_by is not None
            for user, pending in await _pending(session, row):
                late.append(
                    LateJuror(user.name or user.email, user.email, row.name, row.review_by, pending)
                )
    return sorted(late, key=lambda juror: (juror.review_by, juror.round, juror.email))


async def remind_jurors(runtime: Runtime) -> int:
    """Remind the jurors of every open round whose reminder day has come; mails queued."""
    now = runtime.clock()
    async with runtime.db.read() as session:
        rounds = list(
            await session.scalars(
                select(JuryRound)
                .join(Call, col(Call.id) == col(JuryRound.call_id))
                .where(
                    col(Call.state).in_(REVIEWING),
                    col(JuryRound.closed_at).is_(None),
                    col(JuryRound.review_by) > now,
                )
            )
        )
    sent = 0
    for row in rounds:
        assert row.review_by is not None
        days = row.reminder_days if row.reminder_days is not None else DEFAULT_REMINDER_DAYS
        due = [day for day in days if row.review_by - timedelta(days=day) <= now]
        if due:
            sent += await _remind(runtime, row, days=min(due), now=now)
    return sent


async def _remind(runtime: Runtime, row: JuryRound, *, days: int, now: datetime) -> int:
    """One transaction: the reminder's audit entry and a mail to each juror with work left."""
    change = f"remind_jurors:{row.name}:{days}d"
    try:
        async with runtime.db.write() as session:
            done = await session.scalar(
                select(func.count()).where(
                    col(AuditEntry.call_id) == row.call_id, col(AuditEntry.transition) == change
                )
            )
            call = await session.get(Call, row.call_id)
            if done or call is None or row.review_by is None:
                return 0
            pending = await _pending(session, row)
            audit = record_change(
                session, call, change, actor=SYSTEM, now=now, reason=f"{len(pending)} jurors"
            )
            await session.flush()
            for user, count in pending:
                await mail_people(
                    session,
                    runtime,
                    "review_reminder",
                    call=call,
                    people=[user],
                    audit=audit,
                    values={
                        "round": named(runtime, runtime.kind(call.kind), "round", row.name),
                        "pending": count,
                        "days": days,
                        "deadline": local(row.review_by, call.timezone),
                        "url": absolute(runtime.settings.base_url, JURY),
                    },
                    cause=f"review-reminder-r{row.id}-{days}d-u{user.id}",
                )
    except IntegrityError:
        log.info(
            "jury reminders: round %s of call %s reminded by another worker", row.name, row.call_id
        )
        return 0
    return len(pending)


async def _pending(session: AsyncSession, row: JuryRound) -> list[tuple[User, int]]:
    """Each juror of the round with active assignments not finally reviewed, and how many."""
    final = select(col(Review.assignment_id)).where(col(Review.final))
    rows = await session.execute(
        select(User, func.count(col(Assignment.id)))
        .join(Assignment, col(Assignment.juror_id) == col(User.id))
        .where(
            col(Assignment.call_id) == row.call_id,
            col(Assignment.round) == row.name,
            col(Assignment.active),
            col(Assignment.id).not_in(final),
        )
        .group_by(col(User.id))
        .order_by(col(User.email))
    )
    return [(user, count) for user, count in rows]
