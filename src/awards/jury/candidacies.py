"""What a member of a body that votes or selects reads and declares: the candidacies before
the body (anonymised as it judges), and the conflicts that keep them off one.

A scoring body works through assignments (`awards.jury.reviews`); a body that votes or
selects judges every candidacy together, so its members are seated, not assigned.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import (
    Call,
    ConflictOfInterest,
    Organisation,
    PanelMember,
    Submission,
    User,
)
from awards.errors import Conflict, Invalid, NotFound
from awards.jury.anonymise import anonymised_answers
from awards.jury.conflicts import blocked_pairs, detect
from awards.jury.dossier import is_revealed, redactor_for
from awards.jury.membership import panel_role
from awards.kinds.bodies import Body, Mode
from awards.kinds.jury_spec import ConflictRule
from awards.transitions.actor import Actor
from awards.transitions.reasons import Reason, because
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState

JUDGING_STATES = (CallState.REVIEWING, CallState.DECIDING)
"""A body votes or selects while its call is under review or being decided."""


class BodyRefused(Conflict):
    """What a body's member or the Secretariat asked is refused; `extra` has the reason's
    `code` and English `reason` (the pages say it from the code)."""

    def __init__(self, call_id: int, reason: Reason) -> None:
        self.reason = reason
        super().__init__(
            f"call {call_id}: {reason}",
            extra={"code": reason.code, "reason": str(reason), "params": dict(reason.params)},
        )


@dataclass(frozen=True)
class Candidacy:
    """A candidacy before the body, as a member reads it."""

    submission_id: int
    pseudonym: str
    organisation: str | None
    """Set only when the body may know who applied."""
    answers: dict[str, Any]
    conflicted: bool
    """The member must not judge it."""


async def body_call(
    session: AsyncSession, runtime: Runtime, call_id: int, *, modes: Collection[Mode]
) -> tuple[Call, Body]:
    """The call and its body, which judges in one of `modes`; NotFound, or Invalid for
    another body."""
    call = await session.get(Call, call_id)
    if call is None:
        raise NotFound(f"no call {call_id}")
    body = runtime.kind(call.kind).body
    if body is None or body.mode not in modes:
        raise Invalid(
            f"call {call_id}: {call.kind} has no body that works by {' or '.join(modes)}",
            extra={"field": "call"},
        )
    return call, body


UNASSIGNED = (Mode.VOTE, Mode.SELECT)
"""The modes whose members judge every candidacy before the body."""


def before_the_body(body: Body) -> tuple[str, ...]:
    """The states of the candidacies a body that votes or selects judges."""
    spec = body.vote or body.select
    assert spec is not None
    return spec.candidates_in


async def seated(session: AsyncSession, call: Call, actor: Actor) -> str:
    """The member's role on the call's body; NotFound for anyone else (the call's body is
    not theirs to know about)."""
    role = await panel_role(session, call.id or 0, actor.id)
    if role is None:
        raise NotFound(f"no call {call.id} whose body you sit on")
    return role


def judging(call: Call) -> None:
    if call.state not in JUDGING_STATES:
        raise Conflict(
            f"call {call.id} is {call.state}: its body judges while it is reviewing or deciding",
            extra={"state": call.state},
        )


async def candidates(session: AsyncSession, call: Call, states: Sequence[str]) -> list[Submission]:
    rows = await session.scalars(
        select(Submission)
        .where(col(Submission.call_id) == call.id, col(Submission.state).in_(states))
        .order_by(col(Submission.id))
    )
    return list(rows)


async def candidate(
    session: AsyncSession, call: Call, submission_id: int, states: Sequence[str]
) -> Submission:
    """A submission of the call before the body, or NotFound."""
    submission = await session.get(Submission, submission_id)
    if submission is None or submission.call_id != call.id or submission.state not in states:
        raise NotFound(f"no candidacy {submission_id} before the body of call {call.id}")
    return submission


async def conflicted_organisations(
    session: AsyncSession, call: Call, body: Body, actor: Actor
) -> set[int]:
    """The organisations the member must not judge: by the body's rules, and whatever they
    declared themselves."""
    user = await session.get(User, actor.id)
    assert user is not None and user.id is not None
    findings = await detect(session, call, [user], rules={*body.conflicts, ConflictRule.DECLARED})
    return {organisation for _, organisation in blocked_pairs(findings)}


async def refuse_if_conflicted(
    session: AsyncSession, call: Call, body: Body, actor: Actor, submission: Submission
) -> None:
    if submission.organisation_id in await conflicted_organisations(session, call, body, actor):
        raise BodyRefused(
            call.id or 0, because("conflicted_member", submission=submission.pseudonym)
        )


@dataclass(frozen=True)
class Seat:
    """A body that votes or selects, and the member's role on it."""

    call: Call
    role: str
    mode: Mode


async def seats(runtime: Runtime, *, actor: Actor) -> list[Seat]:
    """The bodies that vote or select on which the member sits, newest call first."""
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(Call, col(PanelMember.role))
            .join(PanelMember, col(PanelMember.call_id) == col(Call.id))
            .where(col(PanelMember.user_id) == actor.id)
            .order_by(col(Call.id).desc())
        )
        found = []
        for call, role in rows.all():
            body = runtime.kind(call.kind).body
            if body is not None and body.mode in UNASSIGNED:
                found.append(Seat(call, role, body.mode))
    return found


async def seat_of(runtime: Runtime, call_id: int, *, actor: Actor) -> Seat:
    """One of `seats`, or NotFound."""
    found = next((s for s in await seats(runtime, actor=actor) if s.call.id == call_id), None)
    if found is None:
        raise NotFound(f"no call {call_id} whose body you sit on")
    return found


async def candidacies(runtime: Runtime, call_id: int, *, actor: Actor) -> list[Candidacy]:
    """The candidacies before the body, for one of its members."""
    async with runtime.db.read() as session:
        call, body = await body_call(session, runtime, call_id, modes=UNASSIGNED)
        await seated(session, call, actor)
        kind = runtime.kind(call.kind)
        revealed = is_revealed(kind, call)
        blocked = await conflicted_organisations(session, call, body, actor)
        found = []
        for submission in await candidates(session, call, before_the_body(body)):
            organisation = await session.get(Organisation, submission.organisation_id)
            assert organisation is not None and submission.id is not None
            found.append(
                Candidacy(
                    submission_id=submission.id,
                    pseudonym=submission.pseudonym,
                    organisation=organisation.name if revealed else None,
                    answers=dict(submission.answers)
                    if revealed
                    else anonymised_answers(
                        kind.form,
                        submission.answers,
                        redactor=await redactor_for(session, kind, submission, organisation),
                        languages=tuple(call.languages),
                    ),
                    conflicted=submission.organisation_id in blocked,
                )
            )
    return found


async def declare_conflict_on(
    runtime: Runtime, call_id: int, submission_id: int, *, reason: str, actor: Actor
) -> None:
    """The member declares a conflict with a candidacy: they no longer judge it."""
    if not reason.strip():
        raise Invalid("a declared conflict needs a reason", extra={"field": "reason"})
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, body = await body_call(session, runtime, call_id, modes=UNASSIGNED)
        await seated(session, call, actor)
        submission = await candidate(session, call, submission_id, before_the_body(body))
        assert actor.id is not None
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
        record_change(
            session,
            submission,
            "declare_conflict",
            actor=actor,
            now=now,
            reason=f"member {actor.id} no longer judges it",
        )
