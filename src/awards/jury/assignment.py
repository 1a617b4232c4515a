"""Assigning submissions of a round to the panel: in bulk, by hand, and after a conflict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import (
    Assignment,
    AuditEntry,
    Call,
    JuryRound,
    PanelMember,
    Submission,
    User,
)
from awards.errors import Conflict, Forbidden
from awards.jury.conflicts import blocked_pairs, detect
from awards.jury.membership import call_with_jury
from awards.jury.panel import panel_of
from awards.jury.planning import plan_assignments
from awards.kinds.jury_spec import JurySpec, Round
from awards.notify.recipients import mail_people, named
from awards.transitions.actor import Actor
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.urls import JURY, absolute
from awards.vocabulary import CallState


@dataclass(frozen=True)
class AssignmentReport:
    round: str
    created: int
    short: dict[int, int]
    """Submission id -> reviews that could not be assigned for want of allowed jurors."""


async def assign_round(
    runtime: Runtime, call_id: int, *, round_name: str | None, actor: Actor
) -> AssignmentReport:
    """Give every submission of the round its reviews, never across a conflict."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat assigns the jury")
    async with runtime.db.write() as session:
        call, jury = await _reviewing_call(session, runtime, call_id)
        round_ = jury.round(round_name)
        await _open_round(session, call, round_)
        seated = await panel_of(session, call_id)
        panel = [user for _, user in seated]
        if not panel:
            raise Conflict(f"call {call_id} has no panel yet", extra={"field": "panel"})
        submissions = list(
            await session.execute(
                select(
                    col(Submission.id),
                    col(Submission.organisation_id),
                    col(Submission.answers)["category"].as_string(),
                    col(Submission.pseudonym),
                )
                .where(col(Submission.call_id) == call_id)
                .where(col(Submission.state).in_(round_.submissions_in))
                .order_by(col(Submission.id))
            )
        )
        existing = await _pairs(session, call_id, round_.name, active_only=True)
        everyone = await _pairs(session, call_id, round_.name, active_only=False)
        findings = await detect(session, call, panel, rules=jury.conflicts)
        plan = plan_assignments(
            [(s or 0, o) for s, o, _, _ in submissions],
            [user.id or 0 for user in panel],
            reviews=jury.reviews_per_submission,
            blocked=blocked_pairs(findings),
            existing=existing,
            withdrawn=everyone - existing,
            outside=_outside(seated, [(s or 0, c) for s, _, c, _ in submissions]),
        )
        now = runtime.clock()
        # Made in pseudonym order: a juror sees their assignments' ids, and ids given in
        # submission order would tell them which candidacy came first (invariant 4).
        labels = {s: label for s, _, _, label in submissions}
        session.add_all(
            Assignment(
                call_id=call_id, submission_id=s, juror_id=j, round=round_.name, created_at=now
            )
            for s, j in sorted(plan.pairs, key=lambda pair: (labels[pair[0]], pair[1]))
        )
        audit = record_change(
            session,
            call,
            "assign",
            actor=actor,
            now=now,
            reason=f"round {round_.name}: {len(plan.pairs)} assignments, "
            f"{sum(plan.short.values())} reviews short",
        )
        await session.flush()
        await _notify_jurors(session, runtime, call, panel, plan.pairs, audit)
    return AssignmentReport(round_.name, len(plan.pairs), plan.short)


async def reassign_after_conflict(
    session: AsyncSession, runtime: Runtime, assignment: Assignment, *, audit: AuditEntry
) -> Assignment | None:
    """Give a withdrawn assignment's submission to another allowed juror, if any."""
    call = await session.get(Call, assignment.call_id)
    submission = await session.get(Submission, assignment.submission_id)
    assert call is not None and submission is not None
    jury = runtime.kind(call.kind).jury
    assert jury is not None
    seated = await panel_of(session, call.id or 0)
    panel = [user for _, user in seated]
    findings = await detect(session, call, panel, rules=jury.conflicts)
    # Whoever had it once, this juror included, does not get it back.
    everyone = await _pairs(session, call.id or 0, assignment.round, active_only=False)
    plan = plan_assignments(
        [(submission.id or 0, submission.organisation_id)],
        [user.id or 0 for user in panel if (submission.id, user.id) not in everyone],
        reviews=1,
        blocked=blocked_pairs(findings),
        outside=_outside(seated, [(submission.id or 0, submission.answers.get("category"))]),
    )
    if not plan.pairs:
        return None
    _, juror_id = plan.pairs[0]
    replacement = Assignment(
        call_id=assignment.call_id,
        submission_id=assignment.submission_id,
        juror_id=juror_id,
        round=assignment.round,
        created_at=runtime.clock(),
    )
    session.add(replacement)
    await session.flush()
    await _notify_jurors(session, runtime, call, panel, [(submission.id or 0, juror_id)], audit)
    return replacement


def _outside(
    seated: Sequence[tuple[PanelMember, User]], submissions: Sequence[tuple[int, str | None]]
) -> set[tuple[int, int]]:
    """(submission, juror) pairs of jurors who sit for another category than the
    submission's; a juror without a category sits for all."""
    return {
        (submission, user.id or 0)
        for member, user in seated
        if member.category
        for submission, category in submissions
        if category != member.category
    }


async def _reviewing_call(
    session: AsyncSession, runtime: Runtime, call_id: int
) -> tuple[Call, JurySpec]:
    call, jury = await call_with_jury(session, runtime, call_id)
    if call.state not in (CallState.REVIEWING, CallState.DECIDING):
        raise Conflict(
            f"cannot assign the jury of call {call_id} while it is {call.state}",
            extra={"state": call.state},
        )
    return call, jury


async def _open_round(session: AsyncSession, call: Call, round_: Round) -> None:
    row = await session.scalar(
        select(JuryRound).where(
            col(JuryRound.call_id) == call.id, col(JuryRound.name) == round_.name
        )
    )
    if row is None:
        session.add(JuryRound(call_id=call.id or 0, name=round_.name))
    elif row.closed_at is not None:
        raise Conflict(
            f"round {round_.name} of call {call.id} is closed", extra={"round": round_.name}
        )


async def _pairs(
    session: AsyncSession, call_id: int, round_name: str, *, active_only: bool
) -> set[tuple[int, int]]:
    """(submission id, juror id) of the round's assignments."""
    query = select(col(Assignment.submission_id), col(Assignment.juror_id)).where(
        col(Assignment.call_id) == call_id, col(Assignment.round) == round_name
    )
    if active_only:
        query = query.where(col(Assignment.active))
    return {(s, j) for s, j in await session.execute(query)}


async def _notify_jurors(
    session: AsyncSession,
    runtime: Runtime,
    call: Call,
    panel: list[User],
    pairs: list[tuple[int, int]],
    audit: AuditEntry,
) -> None:
    """One mail per juror listing the pseudonyms of their new assignments: no identities."""
    rows = await session.execute(
        select(col(Submission.id), col(Submission.pseudonym)).where(
            col(Submission.id).in_({s for s, _ in pairs})
        )
    )
    pseudonyms = {submission: label for submission, label in rows}
    for juror in panel:
        mine = sorted(pseudonyms[s] for s, j in pairs if j == juror.id)
        if mine:
            await mail_people(
                session,
                runtime,
                "juror_assigned",
                call=call,
                people=[juror],
                audit=audit,
                values={"pseudonyms": mine, "url": absolute(runtime.settings.base_url, JURY)},
            )


async def close_round(runtime: Runtime, call_id: int, *, round_name: str, actor: Actor) -> None:
    """Freeze the round's reviews and tell its jurors."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat closes a round")
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, jury = await _reviewing_call(session, runtime, call_id)
        round_ = jury.round(round_name)
        await _open_round(session, call, round_)
        await session.flush()
        row = await session.scalar(
            select(JuryRound).where(
                col(JuryRound.call_id) == call_id, col(JuryRound.name) == round_.name
            )
        )
        assert row is not None
        row.closed_at = now
        audit = record_change(
            session, call, "close_round", actor=actor, now=now, reason=f"round {round_.name}"
        )
        await session.flush()
        jurors = await session.scalars(
            select(User).where(
                col(User.id).in_(
                    select(col(Assignment.juror_id)).where(
                        col(Assignment.call_id) == call_id,
                        col(Assignment.round) == round_.name,
                        col(Assignment.active),
                    )
                )
            )
        )
        await mail_people(
            session,
            runtime,
            "round_closed",
            call=call,
            people=list(jurors),
            audit=audit,
            values={"round": named(runtime, runtime.kind(call.kind), "round", round_.name)},
        )
