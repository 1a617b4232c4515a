"""Timers: what happens by the clock, with no request (the worker fires them).

- A call closes once its deadline, grace period and every extension have passed.
- Drafts are reminded the days before the deadline the edition's settings list (the
  nearest one due, once).
- A submission that has waited a kind's `timers` days in a state is mailed once (e.g. a
  scholarship's yearly report falling due).
- Submissions past their kind's retention lose their contents (`awards.privacy.retention`).

Each firing is its own transaction with its audit entry; a mail's Message-ID is derived from
what it reminds of, so two workers (or a rerun) never send one twice: the second insert
meets the unique Message-ID and its transaction is rolled back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from awards.clock import local
from awards.db.tables import AuditEntry, Call, Extension, Submission
from awards.errors import AwardsError
from awards.kinds.edition import EditionSettings
from awards.kinds.kind import StateTimer
from awards.notify.recipients import mail_organisation
from awards.privacy.retention import apply_retention
from awards.transitions.actor import SYSTEM
from awards.transitions.apply import apply
from awards.transitions.guards import last_instant
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.urls import absolute, my_submission
from awards.vocabulary import CallState

log = logging.getLogger(__name__)


@dataclass
class TimerReport:
    closed: list[int] = field(default_factory=list)
    """Calls closed at their deadline."""
    reminded: int = 0
    """Reminder mails queued."""
    purged: int = 0
    """Submissions whose contents retention deleted."""


async def fire_due_timers(runtime: Runtime) -> TimerReport:
    report = TimerReport()
    now = runtime.clock()
    async with runtime.db.read() as session:
        open_calls = list(
            await session.scalars(select(Call).where(col(Call.state) == CallState.OPEN))
        )
        latest_extension = dict(
            (
                await session.execute(
                    select(col(Extension.call_id), func.max(col(Extension.until))).group_by(
                        col(Extension.call_id)
                    )
                )
            ).all()
        )
    for call in open_calls:
        edition = EditionSettings.parse(call.settings)
        last = last_instant(
            call.closes_at,
            grace_minutes=edition.grace_minutes,
            extension=latest_extension.get(call.id or 0),
        )
        if now > last:
            if await _close(runtime, call):
                report.closed.append(call.id or 0)
            continue
        due = [d for d in edition.reminder_days if call.closes_at - timedelta(days=d) <= now]
        if due and now < call.closes_at:
            # Only the nearest: a worker that was down does not send every missed reminder.
            report.reminded += await _remind_drafts(runtime, call, days=min(due), now=now)
    for kind in runtime.kinds.values():
        for timer in kind.timers:
            report.reminded += await _state_timer(runtime, kind.slug, timer, now=now)
    report.purged = len((await apply_retention(runtime)).purged)
    return report


async def _close(runtime: Runtime, call: Call) -> bool:
    try:
        async with runtime.db.write() as session:
            fresh = await session.get(Call, call.id)
            assert fresh is not None
            await apply(
                session, runtime, "close", fresh, call=fresh, actor=SYSTEM, reason="deadline passed"
            )
    except AwardsError as refused:  # closed meanwhile by another worker or by hand
        log.info("timers: call %s not closed: %s", call.id, refused)
        return False
    return True


async def _remind_drafts(runtime: Runtime, call: Call, *, days: int, now: datetime) -> int:
    """Once per call and reminder day: every organisation with a draft is told the deadline."""
    change = f"remind_{days}d"
    initial = runtime.kind(call.kind).submission_workflow.initial
    try:
        async with runtime.db.write() as session:
            done = await session.scalar(
                select(func.count()).where(
                    col(AuditEntry.call_id) == call.id, col(AuditEntry.transition) == change
                )
            )
            if done:
                return 0
            drafts = list(
                await session.scalars(
                    select(Submission).where(
                        col(Submission.call_id) == call.id, col(Submission.state) == initial
                    )
                )
            )
            audit = record_change(
                session,
                call,
                change,
                actor=SYSTEM,
                now=now,
                reason=f"{len(drafts)} drafts reminded",
            )
            await session.flush()
            for draft in drafts:
                await mail_organisation(
                    session,
                    runtime,
                    "deadline_reminder",
                    call=call,
                    organisation_id=draft.organisation_id,
                    audit=audit,
                    submission_id=draft.id,
                    cause=f"reminder{days}d-s{draft.id}",
                    values={
                        "submission_id": draft.id,
                        "days": days,
                        "deadline": local(call.closes_at, call.timezone),
                        "url": absolute(runtime.settings.base_url, my_submission(draft.id or 0)),
                    },
                )
    except IntegrityError:
        return 0  # another worker reminded them first
    return len(drafts)


async def _state_timer(runtime: Runtime, kind: str, timer: StateTimer, *, now: datetime) -> int:
    """Mail each submission that entered `timer.state` at least `after_days` ago, once."""
    change = f"timer:{timer.name}"
    entered = (
        select(col(AuditEntry.submission_id), func.max(col(AuditEntry.at)).label("at"))
        .where(col(AuditEntry.to_state) == timer.state, col(AuditEntry.submission_id).is_not(None))
        .group_by(col(AuditEntry.submission_id))
        .subquery()
    )
    async with runtime.db.read() as session:
        due = list(
            await session.scalars(
                select(Submission)
                .join(Call, col(Call.id) == col(Submission.call_id))
                .join(entered, entered.c.submission_id == col(Submission.id))
                .where(
                    col(Call.kind) == kind,
                    col(Submission.state) == timer.state,
                    entered.c.at <= now - timedelta(days=timer.after_days),
                )
            )
        )
    sent = 0
    for submission in due:
        try:
            async with runtime.db.write() as session:
                done = await session.scalar(
                    select(func.count()).where(
                        col(AuditEntry.submission_id) == submission.id,
                        col(AuditEntry.transition) == change,
                    )
                )
                call = await session.get(Call, submission.call_id)
                if done or call is None:
                    continue
                audit = record_change(session, submission, change, actor=SYSTEM, now=now)
                await session.flush()
                await mail_organisation(
                    session,
                    runtime,
                    timer.mail,
                    call=call,
                    organisation_id=submission.organisation_id,
                    audit=audit,
                    submission_id=submission.id,
                    cause=f"{change}-s{submission.id}",
                    values={
                        "submission_id": submission.id,
                        "state": submission.state,
                        "url": absolute(
                            runtime.settings.base_url, my_submission(submission.id or 0)
                        ),
                    },
                )
            sent += 1
        except IntegrityError:
            continue
    return sent
