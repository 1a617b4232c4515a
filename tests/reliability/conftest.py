"""Real processes for the reliability tests: `awards serve` and `awards worker` on a database
seeded through the services, a surge of candidacies (draft, upload, submit) over HTTP, and
the world the security tests try every role in (`reliability.roles`).

Here every test's settings mail a real SMTP server, so `/ready` answers that it is ready;
the processes a `Launcher` starts mail where it says.

A package (`__init__.py`), so this conftest does not take the name `conftest` from the one in
`tests/`, which the tests here import their helpers from.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import httpx
import pytest
from pypdf import PdfWriter
from sqlalchemy import select
from sqlmodel import col

from awards.assembly import build_runtime
from awards.calls.service import CallService
from awards.db.tables import OutboxMessage
from awards.notify.outbox import MailStatus
from awards.settings import Settings
from awards.transitions.actor import SYSTEM
from awards.transitions.runtime import Runtime
from conftest import MovableClock, SmtpServer, Tokens
from e2e.servers import people_of, seed
from harness.applying import API, Candidacy, send
from harness.processes import (
    AWARDS,
    Process,
    free_port,
    start,
    start_server,
    wait_for_server,
    wait_until,
)
from harness.seeding import applicants_with_tokens, city, complete_answers
from reliability.roles import World, build_world

DOCUMENT_FIELD = "support_letter"
CITIES = 12
"""Applicant cities seeded; each may submit two candidacies, so a surge of 24 clients."""
MAIL_RETRY_SECONDS = 3
"""Processes retry mail soon, so a test waits seconds, not the default half minute."""


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    """With a mail server, so that `/ready` answers that it is ready."""
    return replace(settings, smtp_host=smtp_server.host, smtp_port=smtp_server.port)


@pytest.fixture
async def world(runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int) -> World:
    return await build_world(runtime, clock, tokens, open_award)


@dataclass(frozen=True)
class Stage:
    """A database the processes share, with an open award call and a bearer token of an
    applicant per city."""

    settings: Settings
    call_id: int
    applicant_tokens: list[str]


@pytest.fixture
def stage(settings: Settings) -> Stage:
    """Seeded as the e2e tests seed theirs, plus `CITIES` applicant cities with tokens.

    The call opens a day before the system clock: the processes run on that clock.
    """
    seed(settings.database_url, people_of("en"), language="en", data_dir=settings.data_dir)
    return asyncio.run(_add_cities(settings))


async def _add_cities(settings: Settings) -> Stage:
    runtime = build_runtime(settings, pooled=False)
    try:
        cities = [city(f"City {number}") for number in range(1, CITIES + 1)]
        tokens = await applicants_with_tokens(runtime, cities)
        [summary] = await CallService(runtime).visible(actor=SYSTEM)
        assert summary.call.id is not None
        return Stage(settings=settings, call_id=summary.call.id, applicant_tokens=tokens)
    finally:
        await runtime.close()


@dataclass(frozen=True)
class Started:
    servers: list[Process]
    workers: list[Process]


@dataclass
class Launcher:
    """Starts processes on a stage's settings (or others); what still runs is killed at the end.

    Processes start together and are then awaited: each takes seconds to import and load.
    """

    stage: Stage
    directory: Path
    smtp_port: int = field(default_factory=free_port)
    """Where mail goes; by default a port nothing listens on, so mail waits in the outbox."""
    processes: list[Process] = field(default_factory=list)
    secret_key: str = field(default_factory=lambda: "reliability-" + os.urandom(8).hex())
    """The one key of this test's processes (a server's cookie holds on another)."""

    def serve(self, *, settings: Settings | None = None) -> Process:
        return self.start(servers=1, settings=settings).servers[0]

    def worker(self) -> Process:
        return self.start(workers=1).workers[0]

    def start(
        self, *, servers: int = 0, workers: int = 0, settings: Settings | None = None
    ) -> Started:
        """`awards serve`s on free ports (no worker inside) and `awards worker`s, returned
        once each server answers `/health` and each worker says where mail goes."""
        started = Started(
            [self.spawn("serve", settings=settings) for _ in range(servers)],
            [self.spawn("worker", settings=settings) for _ in range(workers)],
        )
        for process in started.servers:
            wait_for_server(process)
        for process in started.workers:
            wait_until(process, partial(_says_where_mail_goes, process))
        return started

    def spawn(self, *command: str, settings: Settings | None = None) -> Process:
        """`awards COMMAND...` (`serve` on a free port), started and not waited for."""
        settings = settings or self.stage.settings
        variables = {
            "AWARDS_DATABASE_URL": settings.database_url,
            "AWARDS_DATA_DIR": str(settings.data_dir),
            "AWARDS_CONFIG_DIR": str(settings.config_dir),
            "AWARDS_SECRET_KEY": self.secret_key,
            "AWARDS_TRUSTED_PROXIES": ",".join(settings.trusted_proxies),
            "AWARDS_WORKER_IN_PROCESS": "false",
            "AWARDS_SMTP_HOST": "127.0.0.1",
            "AWARDS_SMTP_PORT": str(self.smtp_port),
            "AWARDS_MAIL_RETRY_SECONDS": str(MAIL_RETRY_SECONDS),
            "AWARDS_STORAGE_URL": settings.storage_url,
            "AWARDS_S3_ENDPOINT_URL": settings.s3_endpoint_url,
            "AWARDS_S3_REGION": settings.s3_region,
            "AWARDS_S3_ACCESS_KEY_ID": settings.s3_access_key_id,
            "AWARDS_S3_SECRET_ACCESS_KEY": settings.s3_secret_access_key,
        }
        log = self.directory / f"{command[0]}-{len(self.processes)}.log"
        if command[0] == "serve":
            process = start_server([*AWARDS, *command], log=log, variables=variables)
        else:
            process = start([*AWARDS, *command], log=log, variables=variables)
        self.processes.append(process)
        return process


def _says_where_mail_goes(worker: Process) -> bool:
    return "mail goes to" in worker.log.read_text()


@pytest.fixture
def launch(stage: Stage, tmp_path: Path) -> Iterator[Launcher]:
    launcher = Launcher(stage, tmp_path)
    yield launcher
    for process in launcher.processes:
        if process.popen.poll() is None:
            process.kill()


def candidacies(stage: Stage, clients: int, *, first: int = 0) -> list[Candidacy]:
    """Clients `first`, `first + 1`... each city's two candidacies in turn, all distinct."""
    assert first + clients <= 2 * len(stage.applicant_tokens), "a city submits two at most"
    return [candidacy(stage, number) for number in range(first, first + clients)]


def candidacy(stage: Stage, number: int) -> Candidacy:
    """Client `number`'s answers and document, distinct from every other's, so nothing can
    pass for another's; its city's token (cities take turns, two clients each)."""
    token = stage.applicant_tokens[number // 2 % len(stage.applicant_tokens)]
    answers = {**complete_answers(), "contact_name": f"Client {number}"}
    return Candidacy(token, answers, pdf(number), field=DOCUMENT_FIELD)


def pdf(number: int) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": f"Letter of support {number}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def surge(
    http: httpx.AsyncClient, base_urls: list[str], call_id: int, wanted: list[Candidacy]
) -> list[Candidacy]:
    """All of `wanted` at once, spread over the servers of `base_urls` in turn."""
    await asyncio.gather(
        *(
            send(http, base_urls[number % len(base_urls)], call_id, mine)
            for number, mine in enumerate(wanted)
        )
    )
    return wanted


async def assert_kept(http: httpx.AsyncClient, base_url: str, wanted: list[Candidacy]) -> None:
    """What was acknowledged of each candidacy is there: its answers; its state, with the
    audit entry of each transition to it; its document, byte for byte."""
    trails = {"draft": ["create"], "submitted": ["create", "submit"]}
    for mine in wanted:
        if mine.submission_id is None:
            continue
        url = f"{base_url}{API}/submissions/{mine.submission_id}"
        found = await http.get(url, headers=mine.headers)
        assert found.status_code == 200, f"acknowledged submission {mine.submission_id} lost"
        stored = found.json()
        assert {name: stored["answers"][name] for name in mine.answers} == mine.answers
        history = (await http.get(f"{url}/history", headers=mine.headers)).json()
        assert [entry["transition"] for entry in history] == trails[stored["state"]]
        if mine.submitted:
            assert stored["state"] == "submitted"
        if mine.attachment_id is not None:
            document = await http.get(
                f"{url}/attachments/{mine.attachment_id}", headers=mine.headers
            )
            assert sha256(document.content) == sha256(mine.document)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


async def until(condition: Callable[[], bool], *, within: float, what: str) -> None:
    """Return once `condition()` holds; fail after `within` seconds, saying `what` it waited for."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {within} s")
        await asyncio.sleep(0.01)


async def outbox(runtime: Runtime) -> list[OutboxMessage]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id))))


async def wait_for_outbox(
    runtime: Runtime, done: Callable[[list[OutboxMessage]], bool], *, within: float
) -> list[OutboxMessage]:
    """The outbox rows once `done` holds for them; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while not done(rows := await outbox(runtime)):
        if time.monotonic() > deadline:
            states = Counter((row.status, row.attempts, row.last_error) for row in rows)
            raise AssertionError(f"outbox not done in {within} s: {states}")
        await asyncio.sleep(0.1)
    return rows


async def assert_delivered_once(
    runtime: Runtime, smtp: SmtpServer, *, within: float
) -> list[OutboxMessage]:
    """Once every outbox row is sent: the SMTP server got each exactly once, by Message-ID."""
    rows = await wait_for_outbox(
        runtime, lambda rows: all(row.status == MailStatus.SENT for row in rows), within=within
    )
    assert sorted(smtp.message_ids) == sorted(row.message_id for row in rows)
    return rows
