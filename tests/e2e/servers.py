"""The real service for the browser tests: `awards serve` on a free local port, on a fresh
SQLite database seeded through the services, mailing through a real SMTP server."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from awards.assembly import build_runtime
from awards.auth.users import add_user
from awards.calls.service import CallService, NewCall
from awards.db.migrate import upgrade
from awards.members.register import upsert_members
from awards.settings import load_settings
from awards.transitions.actor import Actor
from conftest import AWARD_TITLE, ROOT, SmtpServer, city

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
    name = {"en": "Lille", "fr": "Nantes"}.get(language, "Lyon")
    slug = name.lower()
    return People(
        city=f"mayor@{slug}.example",
        secretariat=f"staff-{language}@iaec.example",
        juror=f"nadia-{language}@jury.example",
        organisation=name,
        contact="Ada Serra",
        contact_email=f"ada.serra@{slug}.example",
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(database_url: str, people: People, *, language: str) -> None:
    """Migrate, then through the services: the city, the people, an open award call."""
    upgrade(database_url)
    settings = replace(
        load_settings(
            {"AWARDS_DATABASE_URL": database_url}, defaults_file=ROOT / "config" / "settings.toml"
        ),
        config_dir=ROOT / "config",
    )

    async def go() -> None:
        runtime = build_runtime(settings, pooled=False)
        now = datetime.now(UTC)
        try:
            await upsert_members(runtime.db, [city(people.organisation, country="FR")])
            staff = await add_user(
                runtime.db, people.secretariat, role="secretariat", locale=language, now=now
            )
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
            calls = CallService(runtime)
            call = await calls.create(
                NewCall(
                    kind="educating-cities-award",
                    edition="2026",
                    title=AWARD_TITLE,
                    opens_at=now - timedelta(days=1),
                    closes_at=now + timedelta(days=30),
                    timezone="Europe/Madrid",
                    languages=["en", "fr", "es", "pt"],
                ),
                actor=Actor.of(staff),
            )
            await calls.fire(call.id or 0, "open", actor=Actor.of(staff))
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


def awards_command() -> list[str]:
    """`awards` as the environment installed it."""
    script = Path(sys.executable).with_name("awards")
    if script.exists():
        return [str(script)]
    found = shutil.which("awards")
    return [found] if found else [sys.executable, "-m", "awards.cli"]


@contextmanager
def running_service(
    tmp: Path, smtp: SmtpServer, people: People, *, language: str
) -> Iterator[RunningService]:
    """`awards serve` with its in-process mail worker, stopped (and waited for) on exit."""
    database_url = f"sqlite+aiosqlite:///{tmp / 'awards.db'}"
    seed(database_url, people, language=language)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
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
    with serving(environment, port=port, log=log):
        yield RunningService(base_url, smtp, log)


@contextmanager
def serving(environment: dict[str, str], *, port: int, log: Path) -> Iterator[None]:
    """`awards serve` on `port` in `environment`, once it answers; stopped (and waited for)
    on exit. What it writes goes to `log`."""
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*awards_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(base_url, process, log)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"awards serve exited with {process.returncode}: {log.read_text()}"
            )
        try:
            with urllib.request.urlopen(f"{base_url}/", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"awards serve did not answer within 20 s: {log.read_text()}")
