"""The worker's duty for commitments: each awaited agreement or report is reminded to its
laureate the days before it is due (the section's `before_days`) and on the day, and the
Secretariat is told once it is late; while the submission stays in the state its decision
put it in (a discontinued scholarship is reminded of nothing).

Only the latest stage reached is sent (a worker that was down does not send every missed
reminder), each once: the stage is an audit entry of the submission, named after the
obligation, its due date and the stage, and its mail's Message-ID is derived from that name,
so a second worker meets the unique Message-ID and rolls back. Extending a due date starts
the stages again for the new date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from awards.commitments.access import late_from, laureate, starts
from awards.commitments.obligations import AWAITED, mail_values
from awards.commitments.spec import commitments_of
from awards.db.tables import AuditEntry, Call, Obligation, Organisation, Submission, User
from awards.notify.recipients import mail_organisation, mail_people
from awards.transitions.actor import SYSTEM, Role
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.urls import absolute, secretariat_commitments

log = logging.getLogger(__name__)

LATE = "late"


@dataclass(frozen=True)
class Stage:
    """A reminder stage of one obligation: `14d` before, `0d` on the day, or `late`."""

    name: str
    at: datetime
    days: int


def stages(obligation: Obligation, *, before_days: tuple[int, ...], timezone: str) -> list[Stage]:
    """The obligation's stages, earliest first."""
    due = obligation.due_on
    found = [
        Stage(f"{days}d", starts(due - timedelta(days=days), timezone), days)
        for days in sorted(set(before_days) | {0}, reverse=True)
    ]
    return [*found, Stage(LATE, late_from(due, timezone), 0)]


async def remind_commitments(runtime: Runtime) -> int:
    """Send each awaited obligation's latest stage reached, once; the number sent."""
    now = runtime.clock()
    async with runtime.db.read() as session:
        awaited = (
            await session.execute(
                select(Obligation, Call, col(Submission.state))
                .join(Call, col(Call.id) == col(Obligation.call_id))
                .join(Submission, col(Submission.id) == col(Obligation.submission_id))
                .where(col(Obligation.state).in_(list(AWAITED)))
                .order_by(col(Obligation.due_on), col(Obligation.id))
            )
        ).all()
    sent = 0
    for obligation, call, state in awaited:
        spec = commitments_of(runtime.kind(call.kind))
        if spec is None or state not in spec.opened_in:
            continue
        reached = [
            stage
            for stage in stages(obligation, before_days=spec.before_days, timezone=call.timezone)
            if stage.at <= now
        ]
        if reached and await _send(runtime, obligation, reached[-1], now=now):
            sent += 1
    return sent


async def _send(runtime: Runtime, obligation: Obligation, stage: Stage, *, now: datetime) -> bool:
    change = f"remind:{obligation.name}:{obligation.due_on}:{stage.name}"
    try:
        async with runtime.db.write() as session:
            done = await session.scalar(
                select(func.count()).where(
                    col(AuditEntry.submission_id) == obligation.submission_id,
                    col(AuditEntry.transition) == change,
                )
            )
            fresh = await session.get(Obligation, obligation.id)
            if (
                done
                or fresh is None
                or fresh.state not in AWAITED
                or fresh.due_on != obligation.due_on
            ):
                return False
            found = await laureate(session, runtime, obligation.submission_id, actor=SYSTEM)
            audit = record_change(
                session,
                found.submission,
                change,
                actor=SYSTEM,
                now=now,
                reason=f"{obligation.name} due on {obligation.due_on}",
            )
            await session.flush()
            values = {**mail_values(runtime, found, fresh), "days": stage.days}
            cause = f"{change}-s{obligation.submission_id}"
            if stage.name != LATE:
                await mail_organisation(
                    session,
                    runtime,
                    "commitment_reminder",
                    call=found.call,
                    organisation_id=found.submission.organisation_id,
                    audit=audit,
                    submission_id=found.submission.id,
                    cause=cause,
                    values=values,
                )
                return True
            organisation = await session.get(Organisation, found.submission.organisation_id)
            staff = await session.scalars(select(User).where(col(User.role) == Role.SECRETARIAT))
            await mail_people(
                session,
                runtime,
                "commitment_late",
                call=found.call,
                people=list(staff),
                audit=audit,
                submission_id=found.submission.id,
                cause=cause,
                values={
                    **values,
                    "organisation": organisation.name if organisation else "",
                    "url": absolute(
                        runtime.settings.base_url, secretariat_commitments(found.call.id or 0)
                    ),
                },
            )
    except IntegrityError:
        log.info(
            "commitments: %s of submission %s sent by another worker",
            change,
            obligation.submission_id,
        )
        return False
    return True
