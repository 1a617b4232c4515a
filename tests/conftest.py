"""Fixtures: a migrated database per test (SQLite always, PostgreSQL when
AWARDS_TEST_DATABASE_URL is set), settings, a movable clock, and the running app.

Where a test goes (tests/README.md says it whole): in the folder of the package of
`src/awards/` whose code decides what it asserts, `tests/awards/<package>/`, whichever door it
goes through, a service call or the JSON API; a top-level module's tests in
`tests/awards/test_<module>.py`. What the tests share with the benchmarks (ports, processes,
seeding, the HTTP candidacy) is `harness`, in bench/harness/.
"""

from __future__ import annotations

import asyncio
import os
import queue
import shutil
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from awards.app import create_app
from awards.assembly import build_runtime
from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.db.migrate import upgrade
from awards.members.register import Member, upsert_members
from awards.settings import Settings
from awards.storage.s3 import s3_client
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from harness.databases import on_postgres_server, repository_settings
from harness.processes import free_port, s3_server
from harness.seeding import (
    AWARD,
    AWARD_TITLE,
    LANGUAGES,
    applicant,
    city,
    complete_answers,
    open_award_call,
)

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("AWARDS_TEST_DATABASE_URL", "")
DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="AWARDS_TEST_DATABASE_URL is not set"),
    ),
]


class MovableClock:
    """A clock the test moves; the app and the test read the same instant."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "awards.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """The run's PostgreSQL database, migrated once; each test gets a database cloned from it.

    Under pytest-xdist each worker migrates a template of its own: two workers migrating one
    database at once would collide.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        upgrade(POSTGRES_URL)
        yield make_url(POSTGRES_URL).database or ""
        return
    name = f"{make_url(POSTGRES_URL).database}_{worker}"
    on_postgres_server(
        POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    upgrade(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    yield name
    on_postgres_server(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class PostgresClones:
    """Databases cloned from a template ahead of the tests that take them, and dropped after
    them, by one thread of their own: making one (a quarter of a second, mostly the server's
    I/O) overlaps the test before it, and a drop, which waits for any clone being made, waits
    in that thread rather than in a test.

    A clone commits without waiting for its WAL to reach the disk (`synchronous_commit`): what
    a test asserts is what the service committed, not that this machine's disk kept it.
    """

    def __init__(self, template: str, *, ahead: int = 2) -> None:
        self._template = template
        self._ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=ahead)
        self._done: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="postgres-clones", daemon=True)
        self._thread.start()

    def take(self) -> str:
        made = self._ready.get(timeout=120)
        if isinstance(made, BaseException):
            raise made
        return made

    def give_back(self, name: str) -> None:
        self._done.put(name)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def _work(self) -> None:
        while True:
            try:
                name = self._done.get(timeout=0.05)  # drops first: they free the disk
            except queue.Empty:
                if self._stop.is_set():
                    break
                if not self._ready.full():
                    self._ready.put(self._clone())
                continue
            self._drop(name)
        while not self._ready.empty():
            made = self._ready.get_nowait()
            if isinstance(made, str):
                self._drop(made)

    def _clone(self) -> str | BaseException:
        name = f"{self._template}_{uuid.uuid4().hex[:10]}"
        try:
            on_postgres_server(
                POSTGRES_URL,
                f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"',
                f'ALTER DATABASE "{name}" SET synchronous_commit TO off',
            )
        except Exception as error:  # raised in the test that takes it
            return error
        return name

    @staticmethod
    def _drop(name: str) -> None:
        on_postgres_server(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_clones(postgres_template: str) -> Iterator[PostgresClones]:
    clones = PostgresClones(postgres_template)
    yield clones
    clones.close()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "awards.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = request.getfixturevalue("postgres_clones").take()
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    request.getfixturevalue("postgres_clones").give_back(name)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return replace(
        repository_settings(database_url),
        data_dir=tmp_path / "data",
        base_url="https://awards.test",
        # Tests fire timers and deliver mail themselves, when they mean to.
        worker_in_process="false",
    )


S3_REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One S3-compatible server for the run; each test takes a bucket of its own."""
    with s3_server(tmp_path_factory.mktemp("s3")) as endpoint:
        yield endpoint


def s3_settings(settings: Settings, endpoint: str, *, versioned: bool = True) -> Settings:
    """`settings` with uploads in a new bucket of the server at `endpoint`."""
    bucket = f"awards-{uuid.uuid4().hex[:12]}"
    s3 = replace(
        settings,
        storage_url=f"s3://{bucket}/uploads",
        s3_endpoint_url=endpoint,
        s3_region=S3_REGION,
        s3_access_key_id="test",
        s3_secret_access_key="test",
    )
    client = s3_client(s3)
    client.create_bucket(Bucket=bucket)
    if versioned:
        client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return s3


@pytest.fixture
def kind_directory(tmp_path: Path) -> Path:
    """A directory to write a changed call kind in, beside the lists shipped kinds include."""
    shutil.copytree(ROOT / "config" / "calls" / "lists", tmp_path / "lists")
    return tmp_path


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2025, 9, 1, 10, 0, tzinfo=UTC))


@pytest.fixture
async def runtime(settings: Settings, clock: MovableClock) -> AsyncIterator[Runtime]:
    """The services on the test's own event loop, to arrange and inspect the database."""
    runtime = build_runtime(settings, clock=clock, pooled=False)
    yield runtime
    await runtime.close()


Client = AsyncTestClient[Litestar]
"""The test client of the service, as the `client` fixture yields it."""


_APPS: dict[tuple[Path, str, str], Litestar] = {}
"""The apps this process has built, by what their routes are made of."""


def app_for(settings: Settings, clock: MovableClock) -> Litestar:
    """The service for `settings`: one app per worker and shape, started again by each test on
    its own database and clock (building an app costs some 0.65 s: half of the suite's time
    was building the same app again)."""
    shape = (settings.templates_dir, settings.base_url, settings.secret_key)
    app = _APPS.get(shape) or _APPS.setdefault(shape, create_app(settings, clock=clock))
    app.state.settings, app.state.clock = settings, clock
    return app


@pytest.fixture
async def client(settings: Settings, clock: MovableClock) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app_for(settings, clock)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Tokens:
    """Bearer headers of one user per role the tests try, and those users as actors."""

    secretariat: dict[str, str]
    owner: dict[str, str]
    other_applicant: dict[str, str]
    juror: dict[str, str]
    anonymous: dict[str, str]
    actors: dict[str, Actor]


@pytest.fixture
async def tokens(runtime: Runtime, clock: MovableClock) -> Tokens:
    """Two member cities, an applicant of each, a juror and the Secretariat, with tokens."""
    await upsert_members(
        runtime.db,
        [
            Member("Barcelona", "ES", "Europe", "IAEC", 1994, fees_up_to_date=True),
            Member("Lisboa", "PT", "Europe", "IAEC", 1994, fees_up_to_date=True),
        ],
    )
    people = {
        "secretariat": ("staff@edcities.test", "secretariat", None, "en"),
        "owner": ("mayor@barcelona.test", "applicant", "barcelona", "es"),
        "other_applicant": ("mayor@lisboa.test", "applicant", "lisboa", "pt"),
        "juror": ("juror@jury.test", "juror", None, "fr"),
    }
    headers = {}
    actors = {}
    for who, (email, role, organisation, locale) in people.items():
        user = await add_user(
            runtime.db, email, role=role, organisation=organisation, locale=locale, now=clock()
        )
        actors[who] = Actor.of(user)
        token = await issue_token(runtime.db, email, now=clock())
        headers[who] = {"Authorization": f"Bearer {token}"}
    return Tokens(anonymous={}, actors=actors, **headers)


@pytest.fixture
async def open_award(runtime: Runtime, tokens: Tokens, clock: MovableClock) -> int:
    """The id of an open Educating Cities Award call (closing in 30 days), made by the services."""
    return await open_award_call(runtime, tokens.actors["secretariat"], opens_at=clock())


def award_call(clock: MovableClock, **overrides: object) -> dict[str, object]:
    """A new-call body for the award, open from now for 30 days, closing in Barcelona time."""
    body: dict[str, object] = {
        "kind": AWARD,
        "edition": "2026",
        "title": AWARD_TITLE,
        "opens_at": clock().isoformat(),
        "closes_at": (clock() + timedelta(days=30)).isoformat(),
        "timezone": "Europe/Madrid",
        "languages": list(LANGUAGES),
    }
    body.update(overrides)
    return body


class SmtpServer:
    """A real SMTP server (aiosmtpd, on its own thread) that keeps what it accepts in
    `messages`, and misbehaves when asked: hangs up, answers 4xx, refuses a recipient."""

    def __init__(self, port: int) -> None:
        self.host = "127.0.0.1"
        self.port = port
        self.messages: list[EmailMessage] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._hang_ups = 0
        self._deferrals = 0
        self.rejected: dict[str, str] = {}
        """Recipients refused, with the reply; clear it to accept them again."""
        self._stall = 0.0

    @property
    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages]

    def refuse_connections(self, count: int) -> None:
        """Hang up on the next `count` connections before greeting them."""
        with self._lock:
            self._hang_ups = count

    def defer(self, count: int) -> None:
        """Answer 451 (try again later) to the next `count` messages."""
        with self._lock:
            self._deferrals = count

    def reject(self, address: str, reply: str = "550 5.1.1 No such mailbox here") -> None:
        """Refuse every message to `address` with `reply`."""
        self.rejected[address] = reply

    def stall(self, seconds: float) -> None:
        """Wait `seconds` before answering each message."""
        self._stall = seconds

    async def wait_for(self, count: int) -> None:
        """Return once `count` messages have arrived; fail after 15 seconds (a worker process
        started on a busy machine, importing the service and writing a receipt, takes a few)."""

        def arrived() -> bool:
            with self._arrived:
                return self._arrived.wait_for(lambda: len(self.messages) >= count, 15.0)

        if not await asyncio.to_thread(arrived):
            raise AssertionError(f"{len(self.messages)} of {count} messages in 15 s")

    def admit(self) -> bool:
        with self._lock:
            self.connections += 1
            if self._hang_ups:
                self._hang_ups -= 1
                return False
            return True

    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd calls
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.rejected:
            return self.rejected[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - the name aiosmtpd calls
        await asyncio.sleep(self._stall)
        with self._lock:
            if self._deferrals:
                self._deferrals -= 1
                return "451 4.3.0 Try again later"
        assert isinstance(envelope.content, bytes)
        # As a mail client shows it: lines end in \n once off the wire.
        content = envelope.content.replace(b"\r\n", b"\n")
        message = BytesParser(policy=policy.default).parsebytes(content)
        assert isinstance(message, EmailMessage)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 OK queued"


class _Gatekeeper(SMTP):
    """aiosmtpd's SMTP session, hanging up at once when the server says so."""

    def __init__(self, server: SmtpServer, **options: Any) -> None:
        super().__init__(server, **options)
        self.gate = server.admit

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        fresh = self.transport is None  # not the TLS layer of a STARTTLS
        super().connection_made(transport)
        if fresh and not self.gate():
            transport.close()  # before the greeting is even queued


class _GatedController(Controller):
    def factory(self) -> _Gatekeeper:
        return _Gatekeeper(self.handler, **self.SMTP_kwargs)


@contextmanager
def running_smtp_server(**options: Any) -> Iterator[SmtpServer]:
    """An `SmtpServer` on a free port; `options` go to aiosmtpd (TLS, authentication)."""
    port = free_port()
    server = SmtpServer(port)
    controller = _GatedController(server, hostname=server.host, port=port, **options)
    controller.start()
    server.connections = 0  # start() knocked once to see the server answer
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server


async def chunks_of(content: bytes) -> AsyncIterator[bytes]:
    """`content` as an upload streams it to a service: a thousand bytes at a time."""
    for start in range(0, len(content), 1000):
        yield content[start : start + 1000]


def long_pdf(pages: int, *, stated: int | None = None) -> bytes:
    """A PDF of `pages` pages, written by hand in a few kilobytes: every page is one page
    object, listed again and again in a two-level page tree, and shares one content stream
    ("Annex page"). Its tree states `stated` pages (a lie, when it differs)."""
    per_node = min(pages, 1000)
    assert pages % per_node == 0
    content = b"BT /F1 12 Tf 20 100 Td (Annex page) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join([b"3 0 R"] * (pages // per_node)), pages if stated is None else stated),
        b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>"
        % (b" ".join([b"4 0 R"] * per_node), per_node),
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 200 200] /Contents 5 0 R"
        b" /Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


async def draft(runtime: Runtime, call_id: int, actor: Actor, **answers: object) -> int:
    """A complete draft of the award by `actor`'s city."""
    submission = await SubmissionService(runtime).create(
        call_id, {**complete_answers(), **answers}, actor=actor
    )
    assert submission.id is not None
    return submission.id


async def candidacies_in_review(
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    call_id: int,
    *,
    cities: int,
    with_lisboa: bool = False,
    annex: bytes | None = None,
) -> dict[str, list[int]]:
    """`cities` cities ("City 1"...) with one candidacy each and Barcelona with two (and
    Lisboa with one if asked), all eligible and in review, the call reviewing:
    {city slug: submission ids}. With `annex`, each candidacy has it as its annex (a PDF)."""
    staff, service = tokens.actors["secretariat"], SubmissionService(runtime)
    actors = {"barcelona": tokens.actors["owner"]}
    if with_lisboa:
        actors["lisboa"] = tokens.actors["other_applicant"]
    for number in range(1, cities + 1):
        member = city(f"City {number}")
        actors[member.slug] = await applicant(runtime, clock, member)
    ids: dict[str, list[int]] = {}
    for slug, actor in actors.items():
        for _ in range(2 if slug == "barcelona" else 1):
            submission = await draft(runtime, call_id, actor)
            if annex is not None:
                await AttachmentService(runtime).upload(
                    submission, "annex", chunks_of(annex), f"{slug}-annex.pdf", actor=actor
                )
            await service.fire(submission, "submit", actor=actor)
            await service.fire(submission, "mark_eligible", actor=staff)
            ids.setdefault(slug, []).append(submission)
    calls = CallService(runtime)
    for step in ("close", "start_review"):
        await calls.fire(call_id, step, actor=staff)
    for submissions in ids.values():
        for submission in submissions:
            await service.fire(submission, "start_review", actor=staff)
    return ids


@contextmanager
def counted_queries(runtime: Runtime) -> Iterator[list[str]]:
    """The SELECT statements run meanwhile (not SQLite's BEGIN)."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        if args[2].startswith("SELECT"):
            statements.append(args[2])

    event.listen(runtime.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(runtime.db.engine.sync_engine, "before_cursor_execute", count)


class DeadlockDetected(Exception):
    """What the driver raises for PostgreSQL's deadlock_detected."""

    sqlstate = "40P01"


@contextmanager
def deadlocking_updates(client: Client, times: int) -> Iterator[list[str]]:
    """The next `times` updates of a submission fail as a deadlock's victim; yields them."""
    failed: list[str] = []
    app_runtime: Runtime = client.app.state.runtime
    engine = app_runtime.db.engine.sync_engine

    def fail(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.startswith("UPDATE submissions") and len(failed) < times:
            failed.append(statement)
            raise OperationalError(statement, parameters, DeadlockDetected("deadlock detected"))

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield failed
    finally:
        event.remove(engine, "before_cursor_execute", fail)


HEALTH_CHECKS = 3
"""How many times `/health` answers while work held off the loop waits."""


class Hold:
    """Holds a function that runs off the loop until `/health` has answered `HEALTH_CHECKS`
    times (or 10 s, if it cannot); `seen` says how many times it had, each time it ran."""

    def __init__(self) -> None:
        self.started, self.released = threading.Event(), threading.Event()
        self.answered = 0
        self.seen: list[int] = []

    def around(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            self.started.set()
            self.released.wait(timeout=10)
            self.seen.append(self.answered)
            return function(*args, **kwargs)

        return held

    async def meanwhile(
        self, http: httpx.AsyncClient, request: Coroutine[Any, Any, httpx.Response]
    ) -> httpx.Response:
        """`request`'s answer, with `/health` asked while the held function waits."""
        opening = asyncio.create_task(request)
        assert await asyncio.to_thread(self.started.wait, 10)
        while self.answered < HEALTH_CHECKS and not opening.done():
            self.answered += (await http.get("/health")).status_code == 200
        self.released.set()
        return await opening


@asynccontextmanager
async def served(settings: Settings, clock: MovableClock) -> AsyncIterator[httpx.AsyncClient]:
    """The app started on this test's loop, asked through `httpx.ASGITransport`: the test
    client sends each request on its own thread, one at a time, and so could not ask for
    `/health` while another waits."""
    app = create_app(settings, clock=clock)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's narrower ASGI types
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="https://awards.test") as http,
    ):
        yield http
