"""`/health` answers without a database; `/ready` answers 200 when the database and the SMTP
server (or, with the demo's mailbox transport, the mailbox) both answer, and 503 naming the one
that does not, within its timeout."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypedDict, Unpack

import pytest
from litestar.testing import AsyncTestClient

from awards.app import create_app
from awards.settings import Settings
from conftest import Client, MovableClock, SmtpServer
from harness.processes import free_port

TIMEOUT = 2.0
"""The readiness timeout of these tests: a check that must answer does within it on a loaded
CI machine (one took over 0.5 s), one that must not is waited for that long."""


class Changes(TypedDict, total=False):
    """The settings a test points elsewhere."""

    database_url: str
    smtp_port: int


@asynccontextmanager
async def serving(
    settings: Settings, clock: MovableClock, **changes: Unpack[Changes]
) -> AsyncIterator[Client]:
    """The app on `settings` with `changes`, a short readiness timeout and no mail worker
    (which would knock on the same database and SMTP server)."""
    changed = replace(settings, worker_in_process="false", ready_timeout=TIMEOUT, **changes)
    async with AsyncTestClient(app=create_app(changed, clock=clock)) as client:
        yield client


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word, like a host behind a firewall
    that drops packets after the handshake."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    return free_port()


async def timed_ready(client: Client) -> tuple[float, int, dict[str, Any]]:
    started = time.perf_counter()
    response = await client.get("/ready")
    return time.perf_counter() - started, response.status_code, response.json()


@pytest.mark.parametrize("transport", ["smtp", "mailbox"])
async def test_ready_when_the_database_and_the_mail_transport_answer(
    settings: Settings,
    clock: MovableClock,
    smtp_server: SmtpServer,
    closed_port: int,
    tmp_path: Path,
    transport: str,
) -> None:
    """The demo's mailbox waits for no SMTP server: none listens then."""
    chosen = replace(settings, mail_transport=transport, mailbox_dir=tmp_path / "mailbox")
    port = smtp_server.port if transport == "smtp" else closed_port
    async with serving(chosen, clock, smtp_port=port) as client:
        response = await client.get("/ready")

    assert (response.status_code, response.json()) == (
        200,
        {"status": "ready", "checks": {"database": "ok", transport: "ok"}},
    )


async def test_health_answers_even_when_the_database_is_missing(
    settings: Settings, clock: MovableClock, tmp_path: Path
) -> None:
    missing = tmp_path / "gone" / "awards.db"
    async with serving(settings, clock, database_url=f"sqlite+aiosqlite:///{missing}") as client:
        response = await client.get("/health")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_ready_names_a_missing_sqlite_file_and_does_not_create_it(
    settings: Settings, clock: MovableClock, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    missing = tmp_path / "never-migrated.db"
    url = f"sqlite+aiosqlite:///{missing}"
    async with serving(settings, clock, database_url=url, smtp_port=smtp_server.port) as client:
        response = await client.get("/ready")

    assert (response.status_code, response.json()) == (
        503,
        {
            "status_code": 503,
            "detail": "not ready: database did not answer",
            "extra": {
                "checks": {
                    "database": f"FileNotFoundError: no database file {missing}",
                    "smtp": "ok",
                }
            },
        },
    )
    assert not missing.exists()


async def test_ready_names_a_database_server_that_refuses_connections(
    settings: Settings, clock: MovableClock, smtp_server: SmtpServer, closed_port: int
) -> None:
    url = f"postgresql+asyncpg://awards@127.0.0.1:{closed_port}/awards"
    async with serving(settings, clock, database_url=url, smtp_port=smtp_server.port) as client:
        elapsed, status, body = await timed_ready(client)

    checks = body["extra"]["checks"]
    assert (status, body["detail"], checks["smtp"]) == (
        503,
        "not ready: database did not answer",
        "ok",
    )
    assert checks["database"].startswith(("ConnectionRefusedError", "OSError"))
    assert elapsed < 2 * TIMEOUT


async def test_ready_gives_up_on_a_silent_database_within_its_timeout(
    settings: Settings, clock: MovableClock, smtp_server: SmtpServer, silent_port: int
) -> None:
    url = f"postgresql+asyncpg://awards@127.0.0.1:{silent_port}/awards"
    async with serving(settings, clock, database_url=url, smtp_port=smtp_server.port) as client:
        elapsed, status, body = await timed_ready(client)

    assert (status, body["extra"]) == (
        503,
        {"checks": {"database": f"no answer within {TIMEOUT:g} s", "smtp": "ok"}},
    )
    assert TIMEOUT <= elapsed < 2 * TIMEOUT


async def test_ready_gives_up_on_a_silent_smtp_server_within_its_timeout(
    settings: Settings, clock: MovableClock, silent_port: int
) -> None:
    async with serving(settings, clock, smtp_port=silent_port) as client:
        elapsed, status, body = await timed_ready(client)

    assert (status, body["detail"], body["extra"]) == (
        503,
        "not ready: smtp did not answer",
        {"checks": {"database": "ok", "smtp": f"no answer within {TIMEOUT:g} s"}},
    )
    assert TIMEOUT <= elapsed < 2 * TIMEOUT


async def test_ready_names_an_smtp_server_that_refuses_connections(
    settings: Settings, clock: MovableClock, closed_port: int
) -> None:
    async with serving(settings, clock, smtp_port=closed_port) as client:
        elapsed, status, body = await timed_ready(client)

    checks = body["extra"]["checks"]
    assert (status, checks["database"]) == (503, "ok")
    assert checks["smtp"].startswith("SMTPConnectError: Error connecting to 127.0.0.1")
    assert elapsed < 2 * TIMEOUT


async def test_ready_names_a_demo_mailbox_it_cannot_write_in(
    settings: Settings, clock: MovableClock, tmp_path: Path
) -> None:
    blocked = tmp_path / "mailbox"
    blocked.write_text("a file where the directory should be")
    demo = replace(settings, mail_transport="mailbox", mailbox_dir=blocked)
    async with serving(demo, clock) as client:
        response = await client.get("/ready")

    assert (response.status_code, response.json()["extra"]) == (
        503,
        {
            "checks": {
                "database": "ok",
                "mailbox": f"FileExistsError: [Errno 17] File exists: '{blocked}'",
            }
        },
    )
