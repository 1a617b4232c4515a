"""Graceful shutdown (issue #8): SIGTERM to `awards serve` lets a request in flight finish,
and SIGTERM to `awards worker` hands back the mail it claimed but did not send, at once rather
than when its lease runs out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from sqlmodel import col

from awards.db.tables import Attachment
from awards.notify.outbox import MailStatus
from awards.storage import LocalFileStore
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import MovableClock, SmtpServer, draft
from harness.applying import API
from harness.seeding import applicant, city
from reliability.conftest import (
    DOCUMENT_FIELD,
    Launcher,
    Stage,
    assert_delivered_once,
    candidacies,
    outbox,
    sha256,
    until,
)

BOUNDARY = "reliability-upload"
MAILS = 6


def multipart(document: bytes) -> bytes:
    """The body of an upload of `document` to the document field, as a browser sends it."""
    return (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="field"\r\n\r\n'
            f"{DOCUMENT_FIELD}\r\n"
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="letter.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + document
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


async def test_sigterm_to_the_server_lets_an_upload_in_flight_finish(
    stage: Stage, launch: Launcher, runtime: Runtime
) -> None:
    server = launch.serve()
    [mine] = candidacies(stage, 1)
    body = multipart(mine.document)
    halfway = asyncio.Event()

    async def trickle() -> AsyncIterator[bytes]:
        yield body[: len(body) // 2]
        halfway.set()
        await asyncio.sleep(1.0)  # the server is told to stop meanwhile
        yield body[len(body) // 2 :]

    async with httpx.AsyncClient(base_url=f"{server.base_url}{API}", timeout=30) as http:
        created = await http.post(
            f"/calls/{stage.call_id}/submissions",
            json={"answers": mine.answers},
            headers=mine.headers,
        )
        upload = asyncio.create_task(
            http.post(
                f"/submissions/{created.json()['id']}/attachments",
                content=trickle(),
                headers={
                    **mine.headers,
                    "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                    "Content-Length": str(len(body)),
                },
            )
        )
        await halfway.wait()
        await asyncio.sleep(0.3)  # past the request's headers: the request is in flight
        server.popen.terminate()  # SIGTERM; not `server.terminate()`, which would wait here
        answer = await upload

    assert answer.status_code == 201, answer.text
    assert answer.json()["sha256"] == sha256(mine.document)
    await asyncio.to_thread(server.popen.wait, 15)
    assert "Application shutdown complete." in server.output
    async with runtime.db.read() as session:
        kept = await session.scalar(
            select(Attachment).where(col(Attachment.id) == answer.json()["id"])
        )
    assert kept is not None and kept.sha256 == sha256(mine.document)
    blob = LocalFileStore(stage.settings.data_dir).path_of(kept.sha256)
    assert sha256(blob.read_bytes()) == kept.sha256


async def test_sigterm_to_a_worker_hands_back_the_mail_it_claimed_at_once(
    stage: Stage,
    launch: Launcher,
    runtime: Runtime,
    clock: MovableClock,
    smtp_server: SmtpServer,
) -> None:
    clock.now = datetime.now(UTC)  # the stage's call is open on the system clock
    for number in range(MAILS):
        actor = await applicant(runtime, clock, city(f"Town {number}"))
        submission = await draft(runtime, stage.call_id, actor)
        await SubmissionService(runtime).fire(submission, "submit", actor=actor)
    launch.smtp_port = smtp_server.port
    smtp_server.stall(2.0)  # each message takes 2 s: the worker is mid-batch when told to stop
    worker = launch.worker()
    await until(lambda: smtp_server.connections > 0, within=10, what="connection to the relay")
    await asyncio.sleep(1.0)

    told = time.monotonic()
    assert worker.terminate() == 0
    assert time.monotonic() - told < 5, "the worker waited for more than the mail in flight"
    rows = await outbox(runtime)
    sent = [row for row in rows if row.status == MailStatus.SENT]
    assert len(sent) == len(smtp_server.messages) <= 1
    assert {(row.status, row.claimed_by, row.attempts) for row in rows if row not in sent} == {
        (MailStatus.PENDING, None, 0)
    }

    smtp_server.stall(0)
    launch.worker()
    assert len(await assert_delivered_once(runtime, smtp_server, within=10)) == MAILS
