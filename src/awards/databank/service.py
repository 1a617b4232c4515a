"""The databank's use cases: search, exports, feed, published documents, the calls
calendar, the Secretariat's good practices, taking entries down and back up, and the
webhook's dead deliveries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlmodel import col

from awards.calls.service import CallService
from awards.databank.changes import ChangeOut, entry_history
from awards.databank.feeds import atom_feed, calendar
from awards.databank.practices import PracticeIn, create_practice, update_practice
from awards.databank.records import DeliveryOut, DocumentOut, EntryOut, PageOut
from awards.databank.search import DatabankQuery, everything, of_call, published, search
from awards.databank.takedown import republish, unpublish
from awards.databank.webhook import dead_deliveries, resend_delivery
from awards.db.tables import Call, DatabankEntry
from awards.errors import Forbidden, NotFound
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState


@dataclass(frozen=True)
class DocumentDownload:
    document: DocumentOut
    chunks: AsyncIterator[bytes]


class DatabankService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def _push(self) -> bool:
        """Changes are queued for the external databank only while its webhook is set."""
        return bool(self.runtime.settings.databank_webhook_url)

    async def search(self, query: DatabankQuery) -> PageOut:
        async with self.runtime.db.read() as session:
            page = await search(session, query)
        return PageOut(
            entries=[EntryOut.of(entry) for entry in page.entries],
            total=page.total,
            page=page.page,
            page_size=page.page_size,
            total_capped=page.total_capped,
        )

    async def of_call(self, call_id: int) -> list[EntryOut]:
        """A call's published distinctions (its results page)."""
        async with self.runtime.db.read() as session:
            return [EntryOut.of(entry) for entry in await of_call(session, call_id)]

    async def results(self, call_id: int, *, actor: Actor) -> list[EntryOut]:
        """A published call's distinctions, as the databank publishes them (anyone who may
        see the call)."""
        call = await CallService(self.runtime).get(call_id, actor=actor)
        if call.state != CallState.PUBLISHED:
            raise NotFound(f"call {call_id} has no published results")
        return await self.of_call(call_id)

    async def entry(self, entry_id: int) -> EntryOut:
        async with self.runtime.db.read() as session:
            entry = await published(session, entry_id)
        if entry is None:
            raise NotFound(f"no published databank entry {entry_id}")
        return EntryOut.of(entry)

    async def document(self, entry_id: int, number: int) -> DocumentDownload:
        """Document `number` (from 1) of a published entry, for anyone."""
        entry = await self.entry(entry_id)
        if not 1 <= number <= len(entry.documents):
            raise NotFound(f"databank entry {entry_id} has no document {number}")
        document = entry.documents[number - 1]
        return DocumentDownload(document, await self.runtime.files.open(document.sha256))

    async def export(self) -> list[EntryOut]:
        async with self.runtime.db.read() as session:
            return [EntryOut.of(entry) for entry in await everything(session)]

    async def feed(self) -> bytes:
        async with self.runtime.db.read() as session:
            entries = [
                (EntryOut.of(entry), entry.updated_at) for entry in await everything(session)
            ]
        return atom_feed(entries, base_url=self.runtime.settings.base_url, now=self.runtime.clock())

    async def calendar(self) -> str:
        """Every open call's deadline."""
        async with self.runtime.db.read() as session:
            calls = list(
                await session.scalars(
                    select(Call).where(col(Call.state) == CallState.OPEN).order_by(col(Call.id))
                )
            )
        host = urlsplit(self.runtime.settings.base_url).hostname or "awards"
        return calendar(calls, host=host, now=self.runtime.clock())

    async def add_practice(self, practice: PracticeIn, *, actor: Actor) -> EntryOut:
        async with self.runtime.db.write() as session:
            entry = await create_practice(
                session, practice, actor=actor, now=self.runtime.clock(), push=self._push
            )
            return EntryOut.of(entry)

    async def edit_practice(
        self, entry_id: int, practice: PracticeIn, *, actor: Actor, version: int | None = None
    ) -> EntryOut:
        """Rewrite good practice `entry_id` if it is still at `version` (None: whatever it is)."""
        async with self.runtime.db.write() as session:
            entry = await update_practice(
                session,
                entry_id,
                practice,
                actor=actor,
                now=self.runtime.clock(),
                push=self._push,
                version=version,
            )
            return EntryOut.of(entry)

    async def unpublish(self, entry_id: int, *, actor: Actor, reason: str) -> EntryOut:
        async with self.runtime.db.write() as session:
            entry = await unpublish(
                session,
                entry_id,
                actor=actor,
                reason=reason,
                now=self.runtime.clock(),
                push=self._push,
            )
            return EntryOut.of(entry)

    async def republish(self, entry_id: int, *, actor: Actor) -> EntryOut:
        async with self.runtime.db.write() as session:
            entry = await republish(
                session,
                entry_id,
                actor=actor,
                now=self.runtime.clock(),
                kind_of=self.runtime.kind,
                push=self._push,
            )
            return EntryOut.of(entry)

    async def history(self, entry_id: int, *, actor: Actor) -> list[ChangeOut]:
        _staff(actor, "read the history of databank entries")
        async with self.runtime.db.read() as session:
            if await session.get(DatabankEntry, entry_id) is None:
                raise NotFound(f"no databank entry {entry_id}")
            return await entry_history(session, entry_id)

    async def dead_deliveries(self, *, actor: Actor) -> list[DeliveryOut]:
        _staff(actor, "read the webhook's deliveries")
        return [DeliveryOut.of(row) for row in await dead_deliveries(self.runtime.db)]

    async def resend(self, delivery_id: int, *, actor: Actor) -> DeliveryOut:
        _staff(actor, "resend webhook deliveries")
        row = await resend_delivery(self.runtime.db, delivery_id, now=self.runtime.clock())
        return DeliveryOut.of(row)


def _staff(actor: Actor, action: str) -> None:
    if not actor.is_secretariat:
        raise Forbidden(f"only the Secretariat may {action}")
