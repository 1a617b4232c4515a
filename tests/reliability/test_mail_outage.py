"""Mail outage, end to end (invariant 6): while the mail relay is down, `awards serve` still
acknowledges submissions and queues their mail; `awards worker` fails to connect and retries
later; once the relay is back each mail arrives exactly once."""

from __future__ import annotations

import httpx
from aiosmtpd.controller import Controller

from awards.notify.outbox import MailStatus
from awards.transitions.runtime import Runtime
from conftest import SmtpServer
from reliability.conftest import (
    MAIL_RETRY_SECONDS,
    Launcher,
    Stage,
    assert_delivered_once,
    candidacies,
    surge,
    wait_for_outbox,
)

CLIENTS = 8
RETRY_WITHIN = 8 * MAIL_RETRY_SECONDS
"""Retries come 1.5-3 s after the first failure, then twice that (DeliveryPolicy's backoff)."""


async def test_mail_queued_while_the_relay_is_down_arrives_once_when_it_is_back(
    stage: Stage, launch: Launcher, runtime: Runtime
) -> None:
    relay = SmtpServer(launch.smtp_port)  # nothing listens on its port yet: the relay is down
    server = launch.serve()
    wanted = candidacies(stage, CLIENTS)
    async with httpx.AsyncClient(timeout=30) as http:
        await surge(http, [server.base_url], stage.call_id, wanted)
    assert [mine.failure for mine in wanted] == [None] * CLIENTS
    launch.worker()  # after the surge: it tries every mail in one batch, so all retry later

    tried = await wait_for_outbox(
        runtime, lambda rows: len(rows) == CLIENTS and all(row.attempts for row in rows), within=10
    )
    assert {(row.status, row.attempts) for row in tried} == {(MailStatus.PENDING, 1)}
    assert all(f"cannot connect to 127.0.0.1:{relay.port}" in str(row.last_error) for row in tried)

    controller = Controller(relay, hostname=relay.host, port=relay.port)
    controller.start()
    try:
        sent = await assert_delivered_once(runtime, relay, within=RETRY_WITHIN)
    finally:
        controller.stop()
    assert all(row.attempts >= 2 for row in sent)  # failed while down, sent on a retry
    assert sorted(str(message["To"]) for message in relay.messages) == sorted(
        row.recipient for row in tried
    )
