"""The real service for the browser tests: `awards serve` on a free local port, on a fresh
SQLite database seeded through the services, mailing through a real SMTP server."""

from __future__ import annotations

import asyncio
import io
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfWriter

from awards.assembly import build_runtime
from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.db.migrate import upgrade
from awards.members.register import upsert_members
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import SmtpServer
from harness.databases import repository_settings
from harness.processes import AWARDS, free_port, running, start_server, wait_for_server
from harness.seeding import applicant, city, complete_answers, open_award_call, secretariat

LINK = re.compile(r"http://127\.0\.0\.1:\d+/login/link/[\w-]+")


@dataclass(frozen=True)
class People:
    """Who takes part in a journey; names that must never reach the jury are in `secrets`."""

    city: str
    secretariat: str
    juror: str
    organisation: str
    contact: str
    contact_email: str

    @property
    def secrets(self) -> tuple[str, ...]:
        slug = self.organisation.lower()
        return (self.organisation, slug, self.city, self.contact, self.contact_email)


def people_of(language: str) -> People:
    """A journey's people, apart for each language so two journeys never meet."""
    name = {"en": "Lille", "fr": "Nantes", "es": "Lyon", "pt": "Rennes"}[language]
    slug = name.lower()
    return People(
        city=f"mayor@{slug}.example",
        secretariat=f"staff-{language}@iaec.example",
        juror=f"nadia-{language}@jury.example",
        organisation=name,
        contact="Ada Serra",
        contact_email=f"ada.serra@{slug}.example",
    )


Seeding = Callable[[Runtime, Actor], Awaitable[None]]
"""More to seed after the people and the award call, by the Secretariat."""


def submitted(candidacies: int) -> Seeding:
    """`candidacies` sent to the open award call, one each by cities "Ciudad 1"... and
    contact "Núria Peña 1"..., each with its letter of support (`LETTER`)."""

    async def seed_them(runtime: Runtime, staff: Actor) -> None:
        [summary] = await CallService(runtime).visible(actor=staff)
        call, service = summary.call.id or 0, SubmissionService(runtime)
        for number in range(1, candidacies + 1):
            owner = await applicant(runtime, runtime.clock, city(f"Ciudad {number}"))
            answers = {**complete_answers(), "contact_name": f"Núria Peña {number}"}
            submission = await service.create(call, answers, actor=owner)
            await AttachmentService(runtime).upload(
                submission.id or 0, LETTER, chunks(letter()), "carta.pdf", actor=owner
            )
            await service.fire(submission.id or 0, "submit", actor=owner)

    return seed_them


LETTER = "support_letter"


def letter() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def chunks(content: bytes) -> AsyncIterator[bytes]:
    yield content


def seed(
    database_url: str,
    people: People,
    *,
    language: str,
    data_dir: Path,
    more: Seeding | None = None,
) -> None:
    """Migrate, then through the services: the city, the people, an open award call, and
    what `more` adds (its uploads in `data_dir`, where the server reads them)."""
    upgrade(database_url)

    async def go() -> None:
        settings = repository_settings(database_url, AWARDS_DATA_DIR=str(data_dir))
        runtime = build_runtime(settings, pooled=False)
        now = runtime.clock()
        try:
            await upsert_members(runtime.db, [city(people.organisation, country="FR")])
            staff = await secretariat(runtime, people.secretariat, locale=language)
            await add_user(
                runtime.db,
                people.juror,
                role="juror",
                name="Nadia Diallo",
                locale=language,
                now=now,
            )
            await add_user(
                runtime.db,
                people.city,
                role="applicant",
                organisation=people.organisation.lower(),
                name="Office municipal",
                locale=language,
                now=now,
            )
            await open_award_call(runtime, staff)
            if more is not None:
                await more(runtime, staff)
        finally:
            await runtime.close()

    asyncio.run(go())


@dataclass
class RunningService:
    base_url: str
    smtp: SmtpServer
    log: Path

    def new_sign_in_link(self, recipient: str, *, used: set[str], timeout: float = 15.0) -> str:
        """The sign-in link of the latest mail to `recipient` not in `used` (then it is)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.smtp.messages):
                if recipient not in str(message["To"]):
                    continue
                body = message.get_body(preferencelist=("plain",))
                found = LINK.search(body.get_content()) if body is not None else None
                if found and found.group(0) not in used:
                    used.add(found.group(0))
                    return found.group(0)
            time.sleep(0.1)
        raise AssertionError(
            f"no sign-in link for {recipient} in {timeout} s: {self.log.read_text()[-2000:]}"
        )


@contextmanager
def running_service(
    tmp: Path, smtp: SmtpServer, people: People, *, language: str, more: Seeding | None = None
) -> Iterator[RunningService]:
    """`awards serve` with its in-process mail worker, stopped (and waited for) on exit."""
    database_url = f"sqlite+aiosqlite:///{tmp / 'awards.db'}"
    seed(database_url, people, language=language, data_dir=tmp / "data", more=more)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    variables = {
        "AWARDS_DATABASE_URL": database_url,
        "AWARDS_DATA_DIR": str(tmp / "data"),
        "AWARDS_BASE_URL": base_url,
        "AWARDS_SMTP_HOST": smtp.host,
        "AWARDS_SMTP_PORT": str(smtp.port),
        "AWARDS_SMTP_TLS": "none",
        "AWARDS_SECRET_KEY": "e2e-" + os.urandom(8).hex(),
        "AWARDS_WORKER_IN_PROCESS": "true",
    }
    log = tmp / "server.log"
    with running(
        start_server([*AWARDS, "serve"], log=log, variables=variables, port=port)
    ) as server:
        wait_for_server(server)
        yield RunningService(base_url, smtp, log)
