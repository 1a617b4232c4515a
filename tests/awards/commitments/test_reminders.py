"""The worker reminds each laureate of what it owes 14 and 3 days before and on the day, in
its language, and tells the Secretariat once it is late; each once, even with two workers;
a due date extended starts them again. Driven by the injectable clock, never by waiting."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.assembly import build_runtime, worker
from awards.commitments.obligations import extend_due_date, sign_agreement
from awards.commitments.reminders import remind_commitments
from awards.db.tables import OutboxMessage
from awards.notify.worker import Turn
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens
from harness.laureates import Prize, decided_prize

# The agreement is due on 2025-10-11 in Paris (CEST, UTC+2): its days start at 22:00 UTC.
FOURTEEN_DAYS_BEFORE = datetime(2025, 9, 26, 22, 0, tzinfo=UTC)
THREE_DAYS_BEFORE = datetime(2025, 10, 7, 22, 0, tzinfo=UTC)
ON_THE_DAY = datetime(2025, 10, 10, 22, 0, tzinfo=UTC)
LATE = datetime(2025, 10, 11, 22, 0, tzinfo=UTC)


@pytest.fixture
async def prize(runtime: Runtime, clock: MovableClock, tokens: Tokens) -> Prize:
    return await decided_prize(runtime, clock, tokens.actors["secretariat"])


async def sent(runtime: Runtime, template: str) -> list[OutboxMessage]:
    async with runtime.db.read() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(col(OutboxMessage.template) == template)
                .order_by(col(OutboxMessage.id))
            )
        )


async def test_reminders_before_and_on_the_day_then_the_secretariat_is_told_once_late(
    runtime: Runtime, prize: Prize, clock: MovableClock
) -> None:
    await sign_agreement(runtime, prize.laureates[0], actor=prize.applicants[0])
    counts = []
    for now in (
        datetime(2025, 9, 26, 21, 59, tzinfo=UTC),
        FOURTEEN_DAYS_BEFORE,
        THREE_DAYS_BEFORE,
        ON_THE_DAY,
        LATE,
        LATE,
    ):
        clock.now = now
        counts.append(await remind_commitments(runtime))

    # Two laureates have not signed: each reminded at each stage, once.
    assert counts == [0, 2, 2, 2, 2, 0]
    reminders = await sent(runtime, "commitment_reminder")
    assert [m.recipient for m in reminders[:2]] == [
        "applicant@union-des-villes-du-benin.test",
        "applicant@femmes-batisseuses.test",
    ]
    assert [m.subject for m in reminders[::2]] == [
        "À remettre dans 14 jours : Convention de subvention",
        "À remettre dans 3 jours : Convention de subvention",
        "À remettre aujourd'hui : Convention de subvention",
    ]
    late = await sent(runtime, "commitment_late")
    assert [(m.recipient, m.language, m.subject) for m in late] == [
        ("staff@edcities.test", "en", "Late: Union des Villes du Bénin, Grant agreement"),
        ("staff@edcities.test", "en", "Late: Femmes Bâtisseuses, Grant agreement"),
    ]
    assert f"/secretariat/calls/{prize.call}/commitments" in late[0].body_text


async def test_a_worker_that_was_down_sends_only_the_latest_stage(
    runtime: Runtime, prize: Prize, clock: MovableClock
) -> None:
    clock.now = ON_THE_DAY

    assert await remind_commitments(runtime) == 3
    assert {m.subject for m in await sent(runtime, "commitment_reminder")} == {
        "À remettre aujourd'hui : Convention de subvention"
    }


async def test_two_workers_send_each_reminder_once(
    runtime: Runtime, settings: Settings, prize: Prize, clock: MovableClock
) -> None:
    second = build_runtime(settings, clock=clock, pooled=False)
    clock.now = FOURTEEN_DAYS_BEFORE
    try:
        counts = await asyncio.gather(remind_commitments(runtime), remind_commitments(second))
    finally:
        await second.close()

    assert sum(counts) == 3
    assert len(await sent(runtime, "commitment_reminder")) == 3


async def test_an_extended_due_date_is_reminded_again_for_the_new_day(
    runtime: Runtime, prize: Prize, clock: MovableClock
) -> None:
    clock.now = THREE_DAYS_BEFORE
    await remind_commitments(runtime)
    await extend_due_date(
        runtime,
        prize.laureates[1],
        "agreement",
        due_on=date(2025, 11, 15),
        reason="Board meets in November.",
        actor=prize.staff,
    )

    clock.now = LATE
    late = await remind_commitments(runtime)
    clock.now = datetime(2025, 11, 14, 23, 0, tzinfo=UTC)  # the day, in Paris (CET)
    on_the_new_day = await remind_commitments(runtime)

    assert late == 2  # the two others; the extended one is not late
    assert on_the_new_day == 1
    last = (await sent(runtime, "commitment_reminder"))[-1]
    assert (last.recipient, last.subject) == (
        "applicant@union-des-villes-du-benin.test",
        "À remettre aujourd'hui : Convention de subvention",
    )


async def test_the_worker_reminds_as_one_of_its_duties(
    runtime: Runtime, prize: Prize, clock: MovableClock, tmp_path: Path
) -> None:
    clock.now = FOURTEEN_DAYS_BEFORE
    running = worker(runtime)

    for duty in running.duties:
        await duty(Turn(runtime, running.name, running.policy, None))

    assert len(await sent(runtime, "commitment_reminder")) == 3
