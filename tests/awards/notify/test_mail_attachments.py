"""What a mail carries is made when the mail is composed: a source that fails leaves the mail
to the usual retry, so it is neither lost nor sent without its files, and dead after the last
attempt with the reason; a kind's file names only attachments and mails that exist."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col
from test_mail_delivery import QUICK, outbox, queue, worker

from awards.assembly import load_kind
from awards.db.tables import OutboxMessage
from awards.errors import ConfigurationError
from awards.transitions.runtime import Attached, Runtime
from conftest import ROOT, MovableClock, SmtpServer

LEAFLET = Attached("leaflet.pdf", "application/pdf", b"%PDF-1.4\n% a leaflet\n")


async def carrying(runtime: Runtime, message_id: str, source: str) -> None:
    """The mail `message_id` carries the attachment `source` makes."""
    async with runtime.db.write() as session:
        await session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.message_id) == message_id)
            .values(attachments=[{"source": source, "edition": "2026"}])
        )


async def test_a_mail_whose_attachment_fails_waits_then_goes_once_with_it(
    runtime: Runtime, clock: MovableClock, smtp_server: SmtpServer
) -> None:
    ids = await queue(runtime, ["mayor@lisboa.test", "mayor@porto.test"])
    await carrying(runtime, ids[0], "leaflet")
    asked: list[tuple[Mapping[str, Any], str]] = []

    async def flaky(_: Runtime, about: Mapping[str, Any], language: str) -> Attached:
        asked.append((about, language))
        if len(asked) == 1:
            raise OSError("the store did not answer")
        return LEAFLET

    with_leaflets = replace(runtime, attachments={"leaflet": flaky})

    first = await worker(with_leaflets, smtp_server).drain()
    waiting = (await outbox(runtime))[0]
    clock.advance(QUICK.retry_cap)
    second = await worker(with_leaflets, smtp_server).drain()

    assert (first.sent, first.retrying, second.sent) == (1, 1, 1)
    assert (waiting.status, waiting.last_error) == (
        "pending",
        "cannot make an attachment: OSError: the store did not answer",
    )
    assert smtp_server.message_ids == [ids[1], ids[0]]
    [attached] = list(smtp_server.messages[1].iter_attachments())
    assert (attached.get_filename(), attached.get_content()) == ("leaflet.pdf", LEAFLET.data)
    assert asked[-1] == ({"source": "leaflet", "edition": "2026"}, "en")
    assert [row.status for row in await outbox(runtime)] == ["sent", "sent"]


async def test_a_mail_whose_attachment_cannot_be_made_is_dead_after_its_last_attempt(
    runtime: Runtime, smtp_server: SmtpServer
) -> None:
    [mail] = await queue(runtime, ["mayor@lisboa.test"])
    await carrying(runtime, mail, "gone")

    tally = await worker(runtime, smtp_server, replace(QUICK, max_attempts=1)).drain()

    [row] = await outbox(runtime)
    assert tally.dead == 1
    assert smtp_server.messages == []
    assert (row.status, row.last_error) == (
        "dead",
        "cannot make an attachment: ConfigurationError: no feature makes the attachment 'gone'",
    )


@pytest.mark.parametrize(
    ("section", "fault"),
    [
        ("  submission_received: [leaflet]", "unknown attachment 'leaflet' (known: receipt)"),
        ("  submission_recieved: [receipt]", "no transition sends the mail 'submission_recieved'"),
    ],
)
def test_a_kind_naming_an_unknown_attachment_or_mail_fails_at_load(
    kind_directory: Path, section: str, fault: str
) -> None:
    award = ROOT / "config" / "calls" / "educating-cities-award.yaml"
    text = award.read_text(encoding="utf-8").replace("  submission_received: [receipt]", section)
    broken = kind_directory / award.name
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(broken)

    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == section)
    assert raised.value.message == f"{broken}:{line}: {fault}"
