"""Poison mail: a mail whose sending kills the worker every time ends dead after its last
attempt, without taking the mail claimed beside it down too, and nothing goes twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from test_mail_delivery import QUICK, outbox, queue

from awards.db.tables import OutboxMessage
from awards.notify.delivery import DeliveryPolicy, dead_mail
from awards.notify.sender import BatchReport, Made, SmtpSender
from awards.notify.worker import Worker
from awards.transitions.runtime import Runtime
from conftest import MovableClock, SmtpServer

POISON = "poison@city1.test"
POLICY = replace(QUICK, max_attempts=3)


class WorkerKilled(BaseException):
    """The worker's process dying mid-send, as the test sees it: nothing after it runs, not
    even the worker's own error handling (which catches `Exception`)."""


class DyingSender(SmtpSender):
    """Sends over real SMTP, but the worker dies on reaching the mail to `POISON`."""

    async def send_batch(
        self,
        mails: Sequence[OutboxMessage],
        *,
        keep_going: Callable[[], bool] = lambda: True,
        made: Made | None = None,
    ) -> BatchReport:
        recipients = [mail.recipient for mail in mails]
        if POISON not in recipients:
            return await super().send_batch(mails, keep_going=keep_going, made=made)
        await super().send_batch(
            mails[: recipients.index(POISON)], keep_going=keep_going, made=made
        )
        raise WorkerKilled(POISON)


def restarted_worker(runtime: Runtime, smtp_server: SmtpServer, policy: DeliveryPolicy) -> Worker:
    """A fresh worker process, as a supervisor starts after the last one died."""
    settings = replace(runtime.settings, smtp_port=smtp_server.port)
    return Worker(runtime, policy=policy, sender=DyingSender(settings))


async def test_mail_that_kills_its_worker_is_dead_after_its_last_attempt_and_the_rest_go_once(
    runtime: Runtime, clock: MovableClock, smtp_server: SmtpServer
) -> None:
    poison, deferred, plain = await queue(runtime, [POISON, "a@lisboa.test", "b@lisboa.test"])
    smtp_server.defer(1)  # the first mail to reach the server is retried as usual
    deaths = 0

    for _ in range(5):
        try:
            await restarted_worker(runtime, smtp_server, POLICY).drain()
        except WorkerKilled:
            deaths += 1
        clock.advance(POLICY.lease)

    rows = {row.message_id: row for row in await outbox(runtime)}
    [dead] = await dead_mail(runtime.db)
    assert deaths == POLICY.max_attempts
    assert smtp_server.message_ids == [plain, deferred]
    # Claimed with the poison, then alone: the deferred one twice more, 451 then sent.
    assert [(rows[key].status, rows[key].attempts) for key in (deferred, plain)] == [
        ("sent", 3),
        ("sent", 2),
    ]
    assert (dead.message_id, dead.status, dead.attempts, dead.last_error) == (
        poison,
        "dead",
        3,
        "sending never finished: the worker stopped (crashed or was killed) during attempt 3"
        " of 3; not tried again, in case this mail is what stops it",
    )
