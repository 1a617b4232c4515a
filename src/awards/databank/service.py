"""The databank's use cases: search, exports, feed, the calls calendar, taking entries down."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlmodel import col

from awards.auth.actor import Actor
from awards.calls.kinds import CallState
from awards.databank.feeds import atom_feed, calendar
from awards.databank.records import EntryOut, PageOut
from awards.databank.search import DatabankQuery, everything, search
from awards.databank.takedown import unpublish
from awards.db.tables import Call
from awards.runtime import Runtime


class DatabankService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def search(self, query: DatabankQuery) -> PageOut:
        async with self.runtime.db.read() as session:
            page = await search(session, query)
        return PageOut(
            entries=[EntryOut.of(entry) for entry in page.entries],
            total=page.total,
            page=page.page,
            page_size=page.page_size,
        )

    async def export(self) -> list[EntryOut]:
        async with self.runtime.db.read() as session:
            return [EntryOut.of(entry) for entry in await everything(session)]

    async def feed(self) -> bytes:
        async with self.runtime.db.read() as session:
            entries = [
                (EntryOut.of(entry), entry.published_at) for entry in await everything(session)
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

    async def unpublish(self, entry_id: int, *, actor: Actor, reason: str) -> EntryOut:
        async with self.runtime.db.write() as session:
            entry = await unpublish(
                session, entry_id, actor=actor, reason=reason, now=self.runtime.clock()
            )
            return EntryOut.of(entry)
