"""Queuing a databank change for the external databank, in the transaction of the change.

The body is rendered when queued, so what is pushed is the entry as it was published. Rows
are queued only while a webhook URL is set (callers pass `push`): a URL set later receives
the changes from then on, not the databank's history; the worker pushes them in order per
entry (`awards.databank.webhook`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from awards.databank.records import EntryOut
from awards.db.tables import DatabankDelivery, DatabankEntry


class EntryEvent(StrEnum):
    PUBLISHED = "published"
    UPDATED = "updated"
    UNPUBLISHED = "unpublished"


class EntryRef(msgspec.Struct, frozen=True):
    id: int


class DeliveryBody(msgspec.Struct, frozen=True):
    """What the webhook receives: `entry` in full, or only its id once unpublished."""

    delivery: str
    event: str
    at: datetime
    entry: EntryOut | EntryRef


def queue_delivery(
    session: AsyncSession, entry: DatabankEntry, event: EntryEvent, *, now: datetime
) -> DatabankDelivery:
    assert entry.id is not None
    delivery_id = str(uuid.uuid4())
    shown = EntryRef(entry.id) if event is EntryEvent.UNPUBLISHED else EntryOut.of(entry)
    body = DeliveryBody(delivery=delivery_id, event=event, at=now, entry=shown)
    delivery = DatabankDelivery(
        delivery_id=delivery_id,
        entry_id=entry.id,
        event=event,
        body=msgspec.json.encode(body).decode(),
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    return delivery
