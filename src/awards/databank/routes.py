"""HTTP: public search and open data under /api/v1, the Atom feed and the calls calendar."""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from awards.api.auth import secretariat
from awards.auth.actor import Actor
from awards.databank.feeds import to_csv
from awards.databank.records import EntryOut, PageOut
from awards.databank.search import DatabankQuery
from awards.databank.service import DatabankService
from awards.runtime import Runtime


class UnpublishIn(msgspec.Struct, frozen=True):
    reason: str


class DatabankController(Controller):
    path = "/databank"
    tags = ("databank",)

    @get("/")
    async def search_databank(
        self,
        runtime: NamedDependency[Runtime],
        q: FromQuery[str] = "",
        kind: FromQuery[str | None] = None,
        year: FromQuery[int | None] = None,
        country: FromQuery[str | None] = None,
        theme: FromQuery[str | None] = None,
        principle: FromQuery[int | None] = None,
        lang: FromQuery[str | None] = None,
        distinction: FromQuery[str | None] = None,
        page: FromQuery[int] = 1,
    ) -> PageOut:
        """Anyone: published entries, newest year first, 20 a page."""
        query = DatabankQuery(q, kind, year, country, theme, principle, lang, distinction, page)
        return await DatabankService(runtime).search(query)

    @get("/export.json")
    async def export_json(self, runtime: NamedDependency[Runtime]) -> list[EntryOut]:
        """Anyone: every published entry (open data)."""
        return await DatabankService(runtime).export()

    @get("/export.csv")
    async def export_csv(self, runtime: NamedDependency[Runtime]) -> Response[str]:
        """Anyone: every published entry as CSV with a header row (open data)."""
        body = to_csv(await DatabankService(runtime).export())
        return Response(body, media_type="text/csv; charset=utf-8")

    @post("/{entry_id:int}/unpublish", guards=[secretariat], status_code=HTTP_200_OK)
    async def unpublish_entry(
        self,
        entry_id: FromPath[int],
        data: JSONBody[UnpublishIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> EntryOut:
        """Secretariat: take an entry down from every public output, with a reason."""
        return await DatabankService(runtime).unpublish(entry_id, actor=actor, reason=data.reason)


@get("/databank/feed.atom", tags=["databank"])
async def databank_feed(runtime: NamedDependency[Runtime]) -> Response[bytes]:
    """Anyone: published entries as an Atom 1.0 feed."""
    body = await DatabankService(runtime).feed()
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@get("/calls.ics", tags=["calls"])
async def calls_calendar(runtime: NamedDependency[Runtime]) -> Response[str]:
    """Anyone: every open call's deadline as an iCalendar event in the call's time zone."""
    body = await DatabankService(runtime).calendar()
    return Response(body, media_type="text/calendar; charset=utf-8")
