"""The mailbox transport: the worker delivers into files, through the same claim and record
as SMTP, so a message is kept once, even when a worker dies between writing and recording."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col
from test_mail_delivery import queue

from awards.db.tables import OutboxMessage
from awards.notify.delivery import DeliveryPolicy, Tally, claim
from awards.notify.mailbox import Mailbox
from awards.notify.worker import Worker
from awards.settings import Settings
from awards.transitions.runtime import Runtime


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return replace(settings, mail_transport="mailbox", mailbox_dir=tmp_path / "mailbox")


async def test_the_worker_keeps_mail_in_the_mailbox_and_records_it_sent_once(
    runtime: Runtime, settings: Settings
) -> None:
    await queue(runtime, ["mayor@barcelona.test", "mayor@lisboa.test"])
    worker = Worker(runtime)

    first = await worker.drain()
    again = await worker.drain()

    async with runtime.db.read() as session:
        rows = list(await session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id))))
    letters = await Mailbox(
        settings.mailbox_dir, sender=settings.mail_from, secret_key=settings.secret_key
    ).letters()
    assert worker.sender.destination == (
        f"the mailbox {settings.mailbox_dir} (read it at /mailbox)"
    )
    assert (first, again) == (Tally(sent=2), Tally())
    assert [(row.status, row.attempts) for row in rows] == [("sent", 1), ("sent", 1)]
    assert len(list(settings.mailbox_dir.glob("*.eml"))) == 2
    assert sorted((letter.recipient, letter.subject, letter.text) for letter in letters) == [
        (
            "mayor@barcelona.test",
            "Result of Educating Cities Award 2026 for candidacy 1",
            "Outcome: laureate\n",
        ),
        (
            "mayor@lisboa.test",
            "Result of Educating Cities Award 2026 for candidacy 2",
            "Outcome: laureate\n",
        ),
    ]
    assert {letter.language for letter in letters} == {"en"}


async def test_a_message_kept_again_after_a_crash_is_in_the_mailbox_once(
    runtime: Runtime, settings: Settings
) -> None:
    await queue(runtime, ["mayor@barcelona.test"])
    mailbox = Mailbox(
        settings.mailbox_dir, sender=settings.mail_from, secret_key=settings.secret_key
    )
    policy = DeliveryPolicy()
    claimed = await claim(runtime.db, worker="w1", now=runtime.clock(), policy=policy)

    # The worker writes the message and dies before recording it; the next one writes it again.
    first = await mailbox.send_batch(claimed)
    second = await mailbox.send_batch(claimed)

    assert first.sent == second.sent == [claimed[0].id]
    assert len(list(settings.mailbox_dir.glob("*.eml"))) == 1
    assert len(await mailbox.letters()) == 1


async def test_a_mailbox_that_cannot_be_written_is_retried_later(
    runtime: Runtime, settings: Settings
) -> None:
    settings.mailbox_dir.write_text("a file where the directory should be")
    await queue(runtime, ["mayor@barcelona.test"])

    tally = await Worker(runtime).drain()

    async with runtime.db.read() as session:
        row = await session.scalar(select(OutboxMessage))
    assert tally == Tally(retrying=1)
    assert row is not None
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == (
        f"cannot write to {settings.mailbox_dir}: [Errno 17] File exists: '{settings.mailbox_dir}'"
    )
