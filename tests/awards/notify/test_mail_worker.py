"""Delivery as the service runs it: mail caused through the API, the web service's own worker,
and the `awards worker` and `awards mail` commands."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from test_mail_delivery import queue

from awards.app import create_app
from awards.db.tables import OutboxMessage
from awards.notify.worker import Worker
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from conftest import ROOT, Client, MovableClock, SmtpServer, Tokens
from harness.databases import repository_settings
from harness.processes import AWARDS, environment, run_awards
from harness.seeding import complete_answers


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    """Mail goes to the test's SMTP server, and only the worker a test starts delivers it."""
    return replace(settings, smtp_port=smtp_server.port, worker_in_process="false")


async def submit_candidacy(client: Client, tokens: Tokens, call_id: int) -> int:
    """Barcelona submits a complete candidacy, which queues its acknowledgement."""
    draft = await client.post(
        f"/api/v1/calls/{call_id}/submissions",
        json={"answers": complete_answers()},
        headers=tokens.owner,
    )
    submission_id: int = draft.json()["id"]
    submitted = await client.post(
        f"/api/v1/submissions/{submission_id}/transitions",
        json={"name": "submit"},
        headers=tokens.owner,
    )
    assert submitted.json()["state"] == "submitted", submitted.text
    return submission_id


async def outbox(runtime: Runtime) -> list[OutboxMessage]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(OutboxMessage)))


async def awards(
    settings: Settings, *args: str, config_dir: Path = ROOT / "config"
) -> asyncio.subprocess.Process:
    """`awards ARGS` as an operator runs it, on the test's database and SMTP server."""
    return await asyncio.create_subprocess_exec(
        *AWARDS,
        *args,
        cwd=ROOT,
        env=environment(
            {
                "AWARDS_DATABASE_URL": settings.database_url,
                "AWARDS_SMTP_PORT": str(settings.smtp_port),
                "AWARDS_CONFIG_DIR": str(config_dir),
                "AWARDS_SECRET_KEY": "mail-worker-tests",  # not the demo's
            }
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def output(process: asyncio.subprocess.Process) -> tuple[int, str, str]:
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_the_acknowledgement_of_a_submission_arrives_as_it_was_rendered(
    client: Client, tokens: Tokens, open_award: int, runtime: Runtime, smtp_server: SmtpServer
) -> None:
    submission_id = await submit_candidacy(client, tokens, open_award)

    tally = await Worker(runtime).drain()

    [row] = await outbox(runtime)
    [message] = smtp_server.messages
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None
    assert html is not None
    assert tally.sent == 1
    assert (message["To"], message["Subject"], message["Message-ID"]) == (
        "mayor@barcelona.test",
        f"Candidatura {submission_id} recibida: Premio Ciudades Educadoras 2026",
        row.message_id,
    )
    assert (text.get_content(), html.get_content()) == (row.body_text, row.body_html)
    assert "Ada Serra" in text.get_content()
    assert (row.status, row.sent_at) == ("sent", runtime.clock())


async def test_the_web_service_delivers_mail_itself_when_told_to(
    settings: Settings,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    smtp_server: SmtpServer,
) -> None:
    app = create_app(replace(settings, worker_in_process="true"), clock=clock)
    async with AsyncTestClient(app=app) as client:
        submission_id = await submit_candidacy(client, tokens, open_award)
        await smtp_server.wait_for(1)

    [message] = smtp_server.messages
    assert message["Subject"] == (
        f"Candidatura {submission_id} recibida: Premio Ciudades Educadoras 2026"
    )


async def test_awards_worker_delivers_until_sigterm_then_stops_cleanly(
    client: Client, tokens: Tokens, open_award: int, settings: Settings, smtp_server: SmtpServer
) -> None:
    await submit_candidacy(client, tokens, open_award)

    worker = await awards(settings, "worker")
    await smtp_server.wait_for(1)
    worker.send_signal(signal.SIGTERM)
    code, stdout, _ = await output(worker)

    assert code == 0
    assert stdout.splitlines()[-1].endswith("stopped: 1 sent, 0 to retry, 0 dead, 0 released")
    assert len(smtp_server.messages) == 1


async def test_the_secretariat_lists_dead_mail_and_resends_it_once(
    client: Client,
    tokens: Tokens,
    open_award: int,
    runtime: Runtime,
    settings: Settings,
    smtp_server: SmtpServer,
) -> None:
    smtp_server.reject("mayor@barcelona.test", "550 5.2.1 Mailbox disabled")
    await submit_candidacy(client, tokens, open_award)
    await Worker(runtime).drain()
    [row] = await outbox(runtime)

    listed = await output(await awards(settings, "mail", "dead"))
    resent = await output(await awards(settings, "mail", "resend", str(row.id)))
    again = await output(await awards(settings, "mail", "resend", str(row.id)))
    [after] = await outbox(runtime)

    header, line = listed[1].splitlines()
    assert header.split() == ["id", "queued", "(UTC)", "attempts", "recipient", "template", "error"]
    assert line.split() == [
        str(row.id),
        *("2025-09-01", "10:00", "1", "mayor@barcelona.test", "submission_received"),
        *("550", "5.2.1", "Mailbox", "disabled"),
    ]
    assert resent == (0, f"mail {row.id} to mayor@barcelona.test is queued again\n", "")
    assert again == (2, "", f"awards: cannot resend mail {row.id}: it is pending, not dead\n")
    assert (after.status, after.attempts) == ("pending", 0)


async def test_check_templates_names_each_missing_translation_and_fails(tmp_path: Path) -> None:
    settings = repository_settings(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
    config, emails = tmp_path / "config", tmp_path / "templates" / "emails"
    (config / "calls").mkdir(parents=True)
    shutil.copy(ROOT / "config" / "calls" / "educating-cities-award.yaml", config / "calls")
    shutil.copytree(ROOT / "config" / "calls" / "lists", config / "calls" / "lists")
    shutil.copytree(ROOT / "templates" / "emails", emails)

    async def check() -> tuple[int, str, str]:
        return await output(await awards(settings, "mail", "check-templates", config_dir=config))

    complete = await check()
    (emails / "pt" / "found_eligible.j2").unlink()
    (emails / "en" / "result.j2").unlink()
    gaps = await check()

    assert complete == (
        0,
        "every e-mail of every call kind is written in each of its languages\n",
        "",
    )
    assert gaps == (
        2,
        "educating-cities-award: e-mail 'found_eligible' has no pt text; pt readers get it in en\n"
        "educating-cities-award: e-mail 'result' has no en text; it cannot be sent to en readers\n",
        "awards: e-mails missing in a language of their call: 2\n",
    )


async def test_mail_send_delivers_results_to_sixty_cities_with_progress_and_never_twice(
    runtime: Runtime, settings: Settings, smtp_server: SmtpServer
) -> None:
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("the command runs on the test's SQLite file")
    await queue(runtime, [f"mayor@city-{n}.test" for n in range(60)])

    def send() -> subprocess.CompletedProcess[str]:
        return run_awards(
            "mail",
            "send",
            database_url=settings.database_url,
            check=True,
            AWARDS_SMTP_PORT=str(smtp_server.port),
        )

    first, again = send(), send()

    assert "done: 60 sent, 0 to retry, 0 dead" in first.stderr
    assert "done: 0 sent" in again.stderr
    assert len(smtp_server.message_ids) == len(set(smtp_server.message_ids)) == 60
