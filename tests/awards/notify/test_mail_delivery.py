"""Outbox delivery on each database: claims, retries, dead mail, leases, sharing the queue."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.assembly import build_runtime
from awards.db.tables import OutboxMessage
from awards.errors import Conflict, NotFound
from awards.notify.delivery import DeliveryPolicy, claim, dead_mail, record, resend
from awards.notify.outbox import MailStatus, message_id
from awards.notify.sender import BatchReport, Failure, SmtpSender
from awards.notify.worker import Worker
from awards.transitions.runtime import Runtime
from conftest import MovableClock, SmtpServer

QUICK = DeliveryPolicy(
    batch_size=50,
    retry_base=timedelta(seconds=1),
    retry_cap=timedelta(seconds=10),
    poll_seconds=0.01,
)


async def queue(runtime: Runtime, recipients: list[str]) -> list[str]:
    """Queue one rendered mail to each recipient, as a state change would; their Message-IDs."""
    now = runtime.clock()
    rows = [
        OutboxMessage(
            message_id=message_id(
                template="result",
                cause=f"audit{number}",
                recipient=recipient,
                base_url=runtime.settings.base_url,
            ),
            recipient=recipient,
            language="en",
            template="result",
            subject=f"Result of Educating Cities Award 2026 for candidacy {number}",
            body_text="Outcome: laureate\n",
            body_html="<p>Outcome: laureate</p>\n",
            next_attempt_at=now,
            created_at=now,
        )
        for number, recipient in enumerate(recipients, start=1)
    ]
    async with runtime.db.write() as session:
        session.add_all(rows)
    return [row.message_id for row in rows]


def cities(count: int) -> list[str]:
    return [f"mayor{number}@city{number}.test" for number in range(1, count + 1)]


def worker(runtime: Runtime, smtp_server: SmtpServer, policy: DeliveryPolicy = QUICK) -> Worker:
    settings = replace(runtime.settings, smtp_port=smtp_server.port)
    return Worker(runtime, policy=policy, sender=SmtpSender(settings))


async def outbox(runtime: Runtime) -> list[OutboxMessage]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id))))


async def test_500_mails_all_arrive_once_when_the_server_refuses_connections_at_first(
    runtime: Runtime, clock: MovableClock, smtp_server: SmtpServer
) -> None:
    expected = await queue(runtime, cities(500))
    smtp_server.refuse_connections(4)

    first = await worker(runtime, smtp_server).drain()
    clock.advance(QUICK.retry_cap)
    second = await worker(runtime, smtp_server).drain()

    assert sorted(smtp_server.message_ids) == sorted(expected)
    assert (first.sent, first.retrying, second.sent) == (300, 200, 200)
    assert smtp_server.connections == 4 + 500 // QUICK.batch_size  # one per batch
    rows = await outbox(runtime)
    assert Counter((row.status, row.attempts) for row in rows) == {
        ("sent", 2): 200,
        ("sent", 1): 300,
    }
    assert {(row.last_error, row.claimed_by) for row in rows} == {(None, None)}


async def test_two_workers_share_500_mails_and_each_is_sent_once(
    runtime: Runtime, clock: MovableClock, smtp_server: SmtpServer
) -> None:
    expected = await queue(runtime, cities(500))
    other = build_runtime(runtime.settings, clock=clock, pooled=False)
    policy = replace(QUICK, batch_size=20)
    try:
        one, two = await asyncio.gather(
            worker(runtime, smtp_server, policy).drain(), worker(other, smtp_server, policy).drain()
        )
    finally:
        await other.close()

    assert sorted(smtp_server.message_ids) == sorted(expected)
    assert one.sent + two.sent == 500
    assert min(one.sent, two.sent) > 0  # both took a share
    assert {row.status for row in await outbox(runtime)} == {"sent"}


async def test_a_5xx_for_one_recipient_makes_its_mail_dead_until_resent(
    runtime: Runtime, clock: MovableClock, smtp_server: SmtpServer
) -> None:
    ids = await queue(runtime, ["a@lisboa.test", "gone@porto.test", "c@braga.test"])
    smtp_server.reject("gone@porto.test")

    tally = await worker(runtime, smtp_server).drain()

    assert (tally.sent, tally.dead) == (2, 1)
    assert smtp_server.message_ids == [ids[0], ids[2]]
    [dead] = await dead_mail(runtime.db)
    assert (dead.message_id, dead.recipient, dead.attempts, dead.last_error) == (
        ids[1],
        "gone@porto.test",
        1,
        "550 5.1.1 No such mailbox here",
    )
    assert dead.id is not None

    smtp_server.rejected.clear()  # the Secretariat fixed the address with the city
    resent = await resend(runtime.db, dead.id, now=clock())
    again = await worker(runtime, smtp_server).drain()

    assert (resent.status, resent.attempts) == ("pending", 0)
    assert again.sent == 1
    assert smtp_server.message_ids == [ids[0], ids[2], ids[1]]
    assert await dead_mail(runtime.db) == []


async def test_only_dead_mail_is_resent_and_an_unknown_id_is_named(
    runtime: Runtime, clock: MovableClock
) -> None:
    await queue(runtime, ["a@lisboa.test"])
    [row] = await outbox(runtime)
    assert row.id is not None

    with pytest.raises(Conflict) as pending:
        await resend(runtime.db, row.id, now=clock())
    with pytest.raises(NotFound) as unknown:
        await resend(runtime.db, 999, now=clock())

    assert pending.value.message == f"cannot resend mail {row.id}: it is pending, not dead"
    assert unknown.value.message == "no mail 999 in the outbox"


async def test_a_4xx_is_retried_after_its_backoff_and_not_before(
    runtime: Runtime, clock: MovableClock, smtp_server: SmtpServer
) -> None:
    ids = await queue(runtime, ["a@lisboa.test"])
    smtp_server.defer(1)
    policy = replace(QUICK, retry_base=timedelta(seconds=30), retry_cap=timedelta(hours=1))
    failed_at = clock()

    first = await worker(runtime, smtp_server, policy).drain()
    [waiting] = await outbox(runtime)
    clock.advance(timedelta(seconds=14))
    too_early = await worker(runtime, smtp_server, policy).drain()
    clock.advance(timedelta(seconds=16))
    in_time = await worker(runtime, smtp_server, policy).drain()

    assert first.retrying == 1
    assert (waiting.status, waiting.attempts, waiting.last_error) == (
        "pending",
        1,
        "451 4.3.0 Try again later",
    )
    assert failed_at + timedelta(seconds=15) <= waiting.next_attempt_at
    assert waiting.next_attempt_at <= failed_at + timedelta(seconds=30)
    assert (too_early.claimed, in_time.sent) == (0, 1)
    assert smtp_server.message_ids == ids


async def test_mail_that_keeps_failing_is_dead_after_the_last_attempt(
    runtime: Runtime, clock: MovableClock, smtp_server: SmtpServer
) -> None:
    await queue(runtime, ["a@lisboa.test"])
    smtp_server.defer(100)
    policy = replace(QUICK, max_attempts=3)

    for _ in range(3):
        await worker(runtime, smtp_server, policy).drain()
        clock.advance(QUICK.retry_cap)

    [row] = await outbox(runtime)
    assert (row.status, row.attempts, row.last_error) == ("dead", 3, "451 4.3.0 Try again later")
    assert smtp_server.messages == []


async def test_mail_held_by_a_worker_that_died_is_sent_once_its_lease_is_over(
    runtime: Runtime, clock: MovableClock, smtp_server: SmtpServer
) -> None:
    ids = await queue(runtime, cities(3))
    held = await claim(runtime.db, worker="crashed", now=clock(), policy=QUICK)
    held_ids = [row.id for row in held if row.id is not None]

    while_held = await worker(runtime, smtp_server).drain()
    clock.advance(QUICK.lease)
    after_lease = await worker(runtime, smtp_server).drain()
    late = await record(
        runtime.db,
        held,
        BatchReport(failed=dict.fromkeys(held_ids, Failure("too late"))),
        worker="crashed",
        now=clock(),
        policy=QUICK,
    )

    assert [row.status for row in held] == ["sending"] * 3
    assert (while_held.claimed, after_lease.sent, late.claimed) == (0, 3, 0)
    assert smtp_server.message_ids == ids
    assert {(row.status, row.last_error) for row in await outbox(runtime)} == {("sent", None)}


async def test_a_worker_told_to_stop_finishes_its_message_and_releases_the_rest(
    runtime: Runtime, smtp_server: SmtpServer
) -> None:
    ids = await queue(runtime, cities(5))
    smtp_server.stall(0.05)
    stop = asyncio.Event()
    running = asyncio.create_task(worker(runtime, smtp_server).run(stop))
    await smtp_server.wait_for(1)

    stop.set()
    stopped = await running
    left = [row for row in await outbox(runtime) if row.status != MailStatus.SENT]
    rest = await worker(runtime, smtp_server).drain()

    assert 1 <= stopped.sent < 5
    assert stopped.released == 5 - stopped.sent
    assert {(row.status, row.attempts, row.claimed_by) for row in left} == {("pending", 0, None)}
    assert rest.sent == len(left)
    assert sorted(smtp_server.message_ids) == sorted(ids)


def test_retry_delay_doubles_from_its_base_up_to_its_cap() -> None:
    policy = DeliveryPolicy(retry_base=timedelta(seconds=30), retry_cap=timedelta(hours=1))

    longest = [policy.retry_delay(attempts, rng=lambda: 1.0) for attempts in range(1, 10)]

    assert [delay.total_seconds() for delay in longest] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


@pytest.mark.parametrize("attempts", [1, 2, 5, 8, 12, 100])
def test_retry_delay_jitter_stays_between_half_and_all_of_its_ceiling(attempts: int) -> None:
    policy = DeliveryPolicy(retry_base=timedelta(seconds=30), retry_cap=timedelta(hours=1))
    ceiling = policy.retry_delay(attempts, rng=lambda: 1.0)

    samples = [policy.retry_delay(attempts) for _ in range(200)]

    assert policy.retry_delay(attempts, rng=lambda: 0.0) == ceiling / 2
    assert all(ceiling / 2 <= sample <= ceiling for sample in samples)
    assert max(samples) - min(samples) > ceiling / 4  # retries that failed together spread out
