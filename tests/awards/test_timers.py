"""Timers: the deadline closes the call with no request; drafts are reminded once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import col

from awards.assembly import DUTIES, build_runtime
from awards.calls.extensions import grant_extension
from awards.calls.service import CallService
from awards.db.tables import AuditEntry, OutboxMessage
from awards.notify.delivery import DeliveryPolicy
from awards.notify.worker import Worker
from awards.settings import Settings
from awards.submissions.service import SubmissionService
from awards.timers import fire_due_timers
from awards.transitions.actor import SYSTEM
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens
from harness.seeding import complete_answers


async def test_the_call_closes_itself_once_the_deadline_and_extensions_have_passed(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    staff = tokens.actors["secretariat"]
    call = await CallService(runtime).get(open_award, actor=staff)
    await grant_extension(
        runtime,
        open_award,
        organisation="lisboa",
        until=call.closes_at + timedelta(hours=5),
        reason="strike",
        actor=staff,
    )

    clock.now = call.closes_at + timedelta(hours=1)
    during_extension = await fire_due_timers(runtime)
    clock.now = call.closes_at + timedelta(hours=5, seconds=1)
    after = await fire_due_timers(runtime)
    again = await fire_due_timers(runtime)

    closed = await CallService(runtime).get(open_award, actor=staff)
    assert (during_extension.closed, after.closed, again.closed) == ([], [open_award], [])
    assert closed.state == "closed"
    async with runtime.db.read() as session:
        entry = await session.scalar(
            select(AuditEntry).where(col(AuditEntry.transition) == "close")
        )
    assert entry is not None
    assert (entry.actor_id, entry.reason) == (None, "deadline passed")


async def test_drafts_are_reminded_once_per_reminder_day_and_submitted_ones_are_not(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    owner, lisboa = tokens.actors["owner"], tokens.actors["other_applicant"]
    service = SubmissionService(runtime)
    await service.create(open_award, {}, actor=owner)
    done = await service.create(open_award, complete_answers(), actor=lisboa)
    await service.fire(done.id or 0, "submit", actor=lisboa)
    call = await CallService(runtime).get(open_award, actor=tokens.actors["secretariat"])

    clock.now = call.closes_at - timedelta(days=13)
    fourteen = await fire_due_timers(runtime)
    rerun = await fire_due_timers(runtime)
    clock.now = call.closes_at - timedelta(days=2)
    three = await fire_due_timers(runtime)

    assert (fourteen.reminded, rerun.reminded, three.reminded) == (1, 0, 1)
    async with runtime.db.read() as session:
        mails = list(
            await session.scalars(
                select(OutboxMessage).where(col(OutboxMessage.template) == "deadline_reminder")
            )
        )
    assert [(m.recipient, m.language) for m in mails] == [("mayor@barcelona.test", "es")] * 2
    assert "cierra el 2025-10-01 12:00 Europe/Madrid" in mails[0].body_text


async def test_two_workers_firing_at_once_remind_each_draft_once(
    runtime: Runtime, settings: Settings, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await SubmissionService(runtime).create(open_award, {}, actor=tokens.actors["owner"])
    call = await CallService(runtime).get(open_award, actor=tokens.actors["secretariat"])
    clock.now = call.closes_at - timedelta(days=1)
    workers = [build_runtime(settings, clock=clock, pooled=False) for _ in range(2)]

    try:
        reports = await asyncio.gather(*(fire_due_timers(w) for w in workers))
    finally:
        for worker in workers:
            await worker.close()

    async with runtime.db.read() as session:
        mails = list(
            await session.scalars(
                select(OutboxMessage).where(col(OutboxMessage.template) == "deadline_reminder")
            )
        )
    assert len(mails) == 1
    assert sorted(r.reminded for r in reports) == [0, 1]


async def test_the_worker_fires_timers_with_no_request(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    call = await CallService(runtime).get(open_award, actor=tokens.actors["secretariat"])
    clock.now = call.closes_at + timedelta(seconds=1)
    worker = Worker(runtime, duties=DUTIES, policy=DeliveryPolicy(poll_seconds=0.01))
    stop = asyncio.Event()

    async def until_closed() -> None:
        for _ in range(500):
            if (await CallService(runtime).get(open_award, actor=SYSTEM)).state == "closed":
                break
            await asyncio.sleep(0.01)
        stop.set()

    await asyncio.gather(worker.run(stop), until_closed())

    assert (await CallService(runtime).get(open_award, actor=SYSTEM)).state == "closed"
