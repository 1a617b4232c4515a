"""Pushing databank changes to the external databank: the worker's half of the webhook.

    pending --claim--> sending --2xx----------------------------------------> sent
                               --no connection, timeout, 5xx, 408, 429-----> pending, later
                               --any other answer, or max attempts----------> dead
    dead --resend--> pending;  a lease over without an outcome: see `awards.notify.queue`

The rules of mail (`awards.notify.delivery`), with the same policy: a claim commits before
the POST and each outcome after it, only where the worker still holds the row, so a change
acknowledged with a 2xx and recorded is never pushed again. A worker dying between the answer
and the record pushes it once more with the same `X-Awards-Delivery`, for the receiver to
drop. A change waits until the earlier changes of its entry were sent or given up on, so the
receiver sees an entry's changes in order.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlmodel import col

from awards.db.cas import update_if
from awards.db.database import Database
from awards.db.tables import DatabankDelivery
from awards.notify.delivery import DeliveryPolicy, Tally
from awards.notify.outbox import MailStatus as Status
from awards.notify.queue import Queue
from awards.settings import Settings
from awards.transitions.runtime import Runtime

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Awards-Signature"
DELIVERY_HEADER = "X-Awards-Delivery"
EVENT_HEADER = "X-Awards-Event"
TIMEOUT_SECONDS = 10.0
_RETRIED_ANSWERS = {408, 429}


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex>`: the HMAC-SHA256 of the exact body bytes under the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Outcome:
    error: str | None = None
    """None: the receiver acknowledged it."""
    permanent: bool = False


async def push_due(
    runtime: Runtime,
    *,
    worker: str,
    policy: DeliveryPolicy,
    transport: httpx.AsyncBaseTransport | None = None,
    stop: asyncio.Event | None = None,
) -> Tally:
    """Claim the changes due, POST each to the webhook, record each outcome; once `stop` is
    set, POST no more (what is claimed goes back)."""
    total = Tally()
    if not runtime.settings.databank_webhook_url:
        return total

    async def claim() -> list[DatabankDelivery]:
        return await DELIVERIES.claim(runtime.db, worker=worker, now=runtime.clock(), policy=policy)

    claimed = await claim()
    if not claimed:
        return total  # the usual turn of the worker's loop: no client to build
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, transport=transport) as client:
        # Again while every change claimed went: the next change of an entry waits for the
        # one before it, so it is claimable only now.
        while claimed:
            tally = await _push(runtime, client, claimed, worker=worker, policy=policy, stop=stop)
            log.info("worker %s: webhook: %s", worker, tally)
            total += tally
            if tally.sent < len(claimed):
                break
            claimed = await claim()
    return total


async def _push(
    runtime: Runtime,
    client: httpx.AsyncClient,
    claimed: list[DatabankDelivery],
    *,
    worker: str,
    policy: DeliveryPolicy,
    stop: asyncio.Event | None,
) -> Tally:
    loop = asyncio.get_running_loop()
    # Start no POST after half the lease: the rest must be recorded before it ends.
    give_up_at = loop.time() + policy.lease.total_seconds() / 2
    tally = Tally()
    for delivery in claimed:
        attempted = loop.time() < give_up_at and not (stop is not None and stop.is_set())
        outcome = await _post(client, runtime.settings, delivery) if attempted else None
        tally += await _record(
            runtime.db, delivery, outcome, worker=worker, now=runtime.clock(), policy=policy
        )
    return tally


async def _post(
    client: httpx.AsyncClient, settings: Settings, delivery: DatabankDelivery
) -> Outcome:
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(settings.databank_webhook_secret, body),
        DELIVERY_HEADER: delivery.delivery_id,
        EVENT_HEADER: delivery.event,
    }
    try:
        answer = await client.post(settings.databank_webhook_url, content=body, headers=headers)
    except httpx.TransportError as error:
        return Outcome(f"{type(error).__name__}: {error}")
    if answer.is_success:
        return Outcome()
    retried = answer.status_code >= 500 or answer.status_code in _RETRIED_ANSWERS
    return Outcome(f"HTTP {answer.status_code}: {answer.text[:200]}", permanent=not retried)


_earlier = aliased(DatabankDelivery)
DELIVERIES = Queue(
    DatabankDelivery,
    noun="webhook delivery",
    place="the webhook queue",
    # An entry's changes go in order: one waits while an earlier one may still go.
    ready=~exists().where(
        col(_earlier.entry_id) == col(DatabankDelivery.entry_id),
        col(_earlier.id) < col(DatabankDelivery.id),
        col(_earlier.status).in_([Status.PENDING, Status.SENDING]),
    ),
)
dead_deliveries = DELIVERIES.dead
resend_delivery = DELIVERIES.resend


async def _record(
    db: Database,
    delivery: DatabankDelivery,
    outcome: Outcome | None,
    *,
    worker: str,
    now: datetime,
    policy: DeliveryPolicy,
) -> Tally:
    """Write `outcome` (None: not attempted) where `worker` still holds `delivery`."""
    assert delivery.id is not None
    attempts = delivery.attempts + (outcome is not None)
    if outcome is None:
        values: dict[str, object] = {"status": Status.PENDING}
        tally = Tally(released=1)
    elif outcome.error is None:
        values = {"status": Status.SENT, "sent_at": now, "last_error": None}
        tally = Tally(sent=1)
    elif outcome.permanent or attempts >= policy.max_attempts:
        values = {"status": Status.DEAD, "last_error": outcome.error}
        tally = Tally(dead=1)
        log.warning(
            "webhook delivery %s of databank entry %s is dead after %d attempts: %s",
            delivery.delivery_id,
            delivery.entry_id,
            attempts,
            outcome.error,
        )
    else:
        retry_at = now + policy.retry_delay(attempts)
        values = {
            "status": Status.PENDING,
            "last_error": outcome.error,
            "next_attempt_at": retry_at,
        }
        tally = Tally(retrying=1)
    async with db.write() as session:
        held = await update_if(
            session,
            DatabankDelivery,
            delivery.id,
            expect={"status": Status.SENDING, "claimed_by": worker},
            values={**values, "attempts": attempts, "claimed_by": None, "claimed_until": None},
        )
    return tally if held else Tally()
