"""Moving an open call's dates: the Secretariat may give a later deadline (or move another date
still to come), never move a date that has passed.

`plan_dates` says what a move would do, written nowhere: the confirmation page words it as
whom it affects ("32 organisations with drafts will have until ..."). `move_dates` does it in
one transaction: the new dates at the version the form was read, an audit record with the
dates before and after, and, when the deadline moves, the `deadline_moved` mail to the
applicants of every organisation with a draft, each in their language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards import urls
from awards.calls.instants import utc_instant
from awards.calls.service import CallService
from awards.clock import local
from awards.db.cas import update_if
from awards.db.tables import Call, Submission
from awards.errors import Conflict, Forbidden, Invalid
from awards.notify.recipients import mail_organisation
from awards.transitions.actor import Actor
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState

DATES = ("opens_at", "closes_at")
TEMPLATE = "deadline_moved"


@dataclass(frozen=True)
class NewDates:
    opens_at: datetime
    closes_at: datetime

    def of(self, name: str) -> datetime:
        value: datetime = getattr(self, name)
        return value


@dataclass(frozen=True)
class Move:
    """What moving the dates does, checked and counted now."""

    call: Call
    dates: NewDates
    moved: tuple[str, ...]
    """The dates that change, of `DATES`."""
    drafts: int
    """Organisations with a draft: told by mail when the deadline moves."""

    @property
    def deadline_moves(self) -> bool:
        return "closes_at" in self.moved


async def plan_dates(runtime: Runtime, call_id: int, dates: NewDates, *, actor: Actor) -> Move:
    """What moving call `call_id` to `dates` would do; `Invalid` naming the date at fault,
    `Conflict` for a call that is not open. Nothing is written."""
    call = await CallService(runtime).get(call_id, actor=actor)
    async with runtime.db.read() as session:
        return await _checked(session, runtime, call, dates, actor=actor)


async def move_dates(
    runtime: Runtime, call_id: int, dates: NewDates, *, version: int, actor: Actor
) -> Move:
    """Move call `call_id` to `dates` at `version`; audited, drafts told if the deadline moves."""
    call = await CallService(runtime).get(call_id, actor=actor)
    now = runtime.clock()
    async with runtime.db.write() as session:
        call = await session.get(Call, call_id) or call
        move = await _checked(session, runtime, call, dates, actor=actor)
        before = {name: getattr(call, name) for name in move.moved}
        values = {name: dates.of(name) for name in move.moved} | {"version": version + 1}
        expect = {"version": version, "state": CallState.OPEN}
        if not await update_if(session, Call, call_id, expect=expect, values=values):
            raise Conflict(
                f"call {call_id} is at version {call.version}, not {version}: reload it",
                extra={"version": call.version},
            )
        await session.refresh(call)
        changes = [
            f"{name} {local(before[name], call.timezone)} -> {local(dates.of(name), call.timezone)}"
            for name in move.moved
        ]
        audit = record_change(
            session, call, "move_dates", actor=actor, now=now, reason="; ".join(changes)
        )
        await session.flush()
        if move.deadline_moves:
            for organisation_id in await _with_drafts(session, runtime, call):
                await mail_organisation(
                    session,
                    runtime,
                    TEMPLATE,
                    call=call,
                    organisation_id=organisation_id,
                    audit=audit,
                    values={
                        "deadline": local(call.closes_at, call.timezone),
                        "previous": local(before["closes_at"], call.timezone),
                        "url": urls.absolute(runtime.settings.base_url, urls.MY),
                    },
                    cause=f"audit{audit.id}-o{organisation_id}",
                )
    return move


async def _checked(
    session: AsyncSession, runtime: Runtime, call: Call, dates: NewDates, *, actor: Actor
) -> Move:
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat moves a call's dates")
    if call.state != CallState.OPEN:
        raise Conflict(
            f"cannot move the dates of call {call.id} in state {call.state}: only an open call's "
            "dates move (a draft is edited)",
            extra={"state": call.state},
        )
    now = runtime.clock()
    moved = []
    for name in DATES:
        before, after = getattr(call, name), utc_instant(name, dates.of(name))
        if after == before:
            continue
        if before <= now:
            raise Invalid(
                f"{name} of call {call.id} passed at {local(before, call.timezone)}: it no "
                "longer moves",
                extra={"field": name, "code": "passed"},
            )
        if after <= now:
            raise Invalid(
                f"{name} {local(after, call.timezone)} has passed: a date moves to the future",
                extra={"field": name, "code": "past"},
            )
        moved.append(name)
    if not moved:
        raise Invalid(
            "no date moved: these are the call's dates",
            extra={"field": "closes_at", "code": "same"},
        )
    if dates.closes_at <= dates.opens_at:
        raise Invalid(
            "closes_at must be after opens_at", extra={"field": "closes_at", "code": "order"}
        )
    drafts = len(await _with_drafts(session, runtime, call)) if "closes_at" in moved else 0
    return Move(call, dates, tuple(moved), drafts=drafts)


async def _with_drafts(session: AsyncSession, runtime: Runtime, call: Call) -> list[int]:
    """The organisations with a draft in `call`, as the reminders find them (`awards.timers`)."""
    initial = runtime.kind(call.kind).submission_workflow.initial
    rows = await session.scalars(
        select(col(Submission.organisation_id))
        .distinct()
        .where(col(Submission.call_id) == call.id, col(Submission.state) == initial)
        .order_by(col(Submission.organisation_id))
    )
    return [row for row in rows if row is not None]
