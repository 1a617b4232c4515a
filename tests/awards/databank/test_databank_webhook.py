"""Pushing databank changes to an external databank: signed, in order, retried, never twice
once acknowledged, given up on visibly. Against a real HTTP server on a thread."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import msgspec
import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.assembly import build_runtime
from awards.assembly import worker as service_worker
from awards.calls.service import CallService
from awards.databank.practices import PracticeIn
from awards.databank.service import DatabankService
from awards.databank.webhook import dead_deliveries, push_due
from awards.db.tables import DatabankDelivery
from awards.errors import ConfigurationError
from awards.notify.delivery import DeliveryPolicy, Tally
from awards.settings import Settings, load_settings
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import ROOT, Client, MovableClock, Tokens, candidacies_in_review

SECRET = "shared-secret"
POLICY = DeliveryPolicy(max_attempts=3, retry_base=timedelta(seconds=30))
PRACTICE = PracticeIn(
    title={"fr": "Jardins partagés"}, organisation="Ville de Nantes", country="FR", year=2021
)


class Receiver:
    """The external databank: checks each signature, keeps what it accepts, and answers
    `failures` (status codes) first when told to."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.attempts: list[str] = []
        """The delivery id of every POST, accepted or not."""
        self.failures: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                with receiver.lock:
                    receiver.attempts.append(self.headers["X-Awards-Delivery"])
                    status = receiver.failures.pop(0) if receiver.failures else 204
                    if not hmac.compare_digest(expected, self.headers["X-Awards-Signature"]):
                        status = 401
                    elif status == 204:
                        payload = json.loads(body)
                        assert payload["delivery"] == self.headers["X-Awards-Delivery"]
                        assert payload["event"] == self.headers["X-Awards-Event"]
                        receiver.received.append(payload)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/awards"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
async def pushing(
    settings: Settings, clock: MovableClock, receiver: Receiver, runtime: Runtime
) -> AsyncIterator[Runtime]:
    """The services, with the receiver as the external databank (same database as `runtime`)."""
    configured = replace(
        settings, databank_webhook_url=receiver.url, databank_webhook_secret=SECRET
    )
    pushing = build_runtime(configured, clock=clock, pooled=False)
    yield pushing
    await pushing.close()


async def statuses(runtime: Runtime) -> list[tuple[str, int]]:
    async with runtime.db.read() as session:
        rows = await session.scalars(select(DatabankDelivery).order_by(col(DatabankDelivery.id)))
        return [(row.status, row.attempts) for row in rows]


async def test_each_change_is_pushed_signed_in_order_and_retried_after_a_server_error(
    pushing: Runtime, tokens: Tokens, clock: MovableClock, receiver: Receiver
) -> None:
    staff = tokens.actors["secretariat"]
    service = DatabankService(pushing)
    entry = await service.add_practice(PRACTICE, actor=staff)
    await service.edit_practice(entry.id, msgspec.structs.replace(PRACTICE, year=2022), actor=staff)
    await service.unpublish(entry.id, actor=staff, reason="closed")
    receiver.failures = [503]

    first = await push_due(pushing, worker="w1", policy=POLICY)
    clock.advance(timedelta(minutes=1))
    second = await push_due(pushing, worker="w1", policy=POLICY)
    third = await push_due(pushing, worker="w1", policy=POLICY)

    assert (first, second, third) == (Tally(retrying=1), Tally(sent=3), Tally())
    assert [payload["event"] for payload in receiver.received] == [
        "published",
        "updated",
        "unpublished",
    ]
    assert [payload["entry"].get("year") for payload in receiver.received] == [2021, 2022, None]
    assert receiver.received[2]["entry"] == {"id": entry.id}
    ids = [payload["delivery"] for payload in receiver.received]
    assert receiver.attempts == [ids[0], *ids]  # the retry carried the same delivery id
    assert await statuses(pushing) == [("sent", 2), ("sent", 1), ("sent", 1)]


async def test_changes_are_queued_only_while_a_webhook_url_is_set(
    pushing: Runtime, runtime: Runtime, tokens: Tokens, receiver: Receiver
) -> None:
    staff = tokens.actors["secretariat"]
    quiet = DatabankService(runtime)  # no URL set
    entry = await quiet.add_practice(PRACTICE, actor=staff)
    await quiet.edit_practice(entry.id, msgspec.structs.replace(PRACTICE, year=2022), actor=staff)
    await quiet.unpublish(entry.id, actor=staff, reason="closed")
    await quiet.republish(entry.id, actor=staff)
    assert await statuses(runtime) == []

    await DatabankService(pushing).edit_practice(
        entry.id, msgspec.structs.replace(PRACTICE, year=2023), actor=staff
    )

    assert await push_due(pushing, worker="w1", policy=POLICY) == Tally(sent=1)
    assert [(payload["event"], payload["entry"]["year"]) for payload in receiver.received] == [
        ("updated", 2023)
    ]


async def test_publishing_a_laureate_through_its_call_pushes_it(
    pushing: Runtime,
    runtime: Runtime,
    tokens: Tokens,
    clock: MovableClock,
    open_award: int,
    receiver: Receiver,
) -> None:
    staff = tokens.actors["secretariat"]
    laureate = (await candidacies_in_review(runtime, clock, tokens, open_award, cities=0))[
        "barcelona"
    ][0]
    submissions, calls = SubmissionService(pushing), CallService(pushing)
    await calls.fire(open_award, "deliberate", actor=staff)
    await submissions.fire(laureate, "award", actor=staff)
    await calls.fire(open_award, "publish", actor=staff)
    await submissions.fire(laureate, "publish", actor=staff)

    assert await push_due(pushing, worker="w1", policy=POLICY) == Tally(sent=1)
    (payload,) = receiver.received
    assert (payload["event"], payload["entry"]["distinction"]) == ("published", "laureate")
    assert payload["entry"]["title"]["en"] == "Schools open to the neighbourhood (en)"


async def test_nothing_is_pushed_before_its_retry_time_or_without_a_webhook_url(
    pushing: Runtime, runtime: Runtime, tokens: Tokens, receiver: Receiver
) -> None:
    await DatabankService(pushing).add_practice(PRACTICE, actor=tokens.actors["secretariat"])
    receiver.failures = [500]
    await push_due(pushing, worker="w1", policy=POLICY)

    assert await push_due(pushing, worker="w1", policy=POLICY) == Tally()
    assert await push_due(runtime, worker="w1", policy=POLICY) == Tally()  # no URL set
    assert receiver.received == [] and len(receiver.attempts) == 1


async def test_a_refused_change_is_dead_listed_for_the_secretariat_and_can_be_resent(
    pushing: Runtime, client: Client, tokens: Tokens, clock: MovableClock, receiver: Receiver
) -> None:
    service = DatabankService(pushing)
    entry = await service.add_practice(PRACTICE, actor=tokens.actors["secretariat"])
    receiver.failures = [422, 500, 500, 500]
    assert await push_due(pushing, worker="w1", policy=POLICY) == Tally(dead=1)
    await service.add_practice(
        msgspec.structs.replace(PRACTICE, year=2023), actor=tokens.actors["secretariat"]
    )
    for _ in range(POLICY.max_attempts):
        await push_due(pushing, worker="w1", policy=POLICY)
        clock.advance(POLICY.retry_cap)
    path = "/api/v1/databank/deliveries"
    for who, status in ((tokens.anonymous, 401), (tokens.owner, 403), (tokens.juror, 403)):
        assert (await client.get(path, headers=who)).status_code == status
        assert (await client.post(f"{path}/1/resend", headers=who)).status_code == status

    dead = (await client.get(path, headers=tokens.secretariat)).json()

    assert [(row["entry_id"], row["attempts"], row["last_error"]) for row in dead] == [
        (entry.id, 1, "HTTP 422: "),
        (entry.id + 1, 3, "HTTP 500: "),
    ]
    resent = await client.post(f"{path}/{dead[0]['id']}/resend", headers=tokens.secretariat)
    assert resent.json()["status"] == "pending"
    again = await client.post(f"{path}/{dead[0]['id']}/resend", headers=tokens.secretariat)
    assert again.status_code == 409, again.text
    assert await push_due(pushing, worker="w1", policy=POLICY) == Tally(sent=1)
    assert [payload["delivery"] for payload in receiver.received] == [dead[0]["delivery_id"]]


class WorkerKilled(Exception):
    """The worker process dies mid-push: no outcome is written, its row stays `sending`."""


def killing_transport() -> httpx.MockTransport:
    def die(request: httpx.Request) -> httpx.Response:
        raise WorkerKilled(str(request.url))

    return httpx.MockTransport(die)


async def test_a_change_whose_push_kills_its_worker_is_dead_after_its_last_attempt(
    pushing: Runtime, tokens: Tokens, clock: MovableClock, receiver: Receiver
) -> None:
    staff = tokens.actors["secretariat"]
    service = DatabankService(pushing)
    entry = await service.add_practice(PRACTICE, actor=staff)
    await service.unpublish(entry.id, actor=staff, reason="closed")
    for _ in range(POLICY.max_attempts):
        with pytest.raises(WorkerKilled):
            await push_due(pushing, worker="w1", policy=POLICY, transport=killing_transport())
        clock.advance(POLICY.lease)  # a supervisor restarts the worker after its lease

    tally = await push_due(pushing, worker="w2", policy=POLICY)

    [dead] = await dead_deliveries(pushing.db)
    assert tally == Tally(sent=1)  # the next change of the entry no longer waits
    assert [payload["event"] for payload in receiver.received] == ["unpublished"]
    assert await statuses(pushing) == [("dead", 3), ("sent", 1)]
    assert dead.last_error == (
        "sending never finished: the worker stopped (crashed or was killed) during attempt 3"
        " of 3; not tried again, in case this webhook delivery is what stops it"
    )


async def test_an_unreachable_databank_is_retried_later(
    pushing: Runtime, tokens: Tokens, receiver: Receiver
) -> None:
    await DatabankService(pushing).add_practice(PRACTICE, actor=tokens.actors["secretariat"])
    receiver.server.shutdown()
    receiver.server.server_close()  # nothing listens any more

    assert await push_due(pushing, worker="w1", policy=POLICY) == Tally(retrying=1)
    async with pushing.db.read() as session:
        error = await session.scalar(select(col(DatabankDelivery.last_error)))
    assert error is not None and error.startswith("ConnectError")


async def test_the_worker_loop_pushes_databank_changes(
    pushing: Runtime, tokens: Tokens, receiver: Receiver
) -> None:
    await DatabankService(pushing).add_practice(PRACTICE, actor=tokens.actors["secretariat"])
    stop = asyncio.Event()
    worker = asyncio.create_task(service_worker(pushing, policy=POLICY).run(stop))

    for _ in range(100):
        if receiver.received:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await worker

    assert [payload["event"] for payload in receiver.received] == ["published"]


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        (
            {"AWARDS_DATABANK_WEBHOOK_URL": "https://databank.example/hook"},
            "AWARDS_DATABANK_WEBHOOK_URL is set but AWARDS_DATABANK_WEBHOOK_SECRET is empty",
        ),
        (
            {"AWARDS_DATABANK_WEBHOOK_URL": "ftp://x", "AWARDS_DATABANK_WEBHOOK_SECRET": "k"},
            "AWARDS_DATABANK_WEBHOOK_URL must start with http:// or https://",
        ),
    ],
)
def test_a_webhook_url_needs_a_secret_and_http(environ: dict[str, str], problem: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings(environ, defaults_file=ROOT / "config" / "settings.toml")

    assert raised.value.message.startswith(problem)
