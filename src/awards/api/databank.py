"""HTTP: public search and open data under /api/v1, the Atom feed and the calls calendar."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Stream

from awards.api.attachments import stored_file
from awards.databank.feeds import to_csv
from awards.databank.records import EntryOut, PageOut
from awards.databank.search import DatabankQuery
from awards.databank.service import DatabankService
from awards.http.params import PageNumber, RowId, Year
from awards.transitions.runtime import Runtime


class DatabankController(Controller):
    path = "/databank"
    tags = ("databank",)

    @get("/")
    async def search_databank(
        self,
        runtime: NamedDependency[Runtime],
        q: FromQuery[str] = "",
        kind: FromQuery[str | None] = None,
        year: Year = None,
        country: FromQuery[str | None] = None,
        theme: FromQuery[str | None] = None,
        principle: FromQuery[int | None] = None,
        lang: FromQuery[str | None] = None,
        distinction: FromQuery[str | None] = None,
        page: PageNumber = 1,
    ) -> PageOut:
        """Anyone: published entries, newest year first, 20 a page; `total` counts up to
        1000 matches, `total_capped` says there are more."""
        query = DatabankQuery(q, kind, year, country, theme, principle, lang, distinction, page)
        return await DatabankService(runtime).search(query)

    @get("/{entry_id:int}")
    async def get_entry(self, entry_id: RowId, runtime: NamedDependency[Runtime]) -> EntryOut:
        """Anyone: one published entry (404 once unpublished)."""
        return await DatabankService(runtime).entry(entry_id)

    @get("/{entry_id:int}/documents/{number:int}")
    async def get_document(
        self, entry_id: RowId, number: RowId, runtime: NamedDependency[Runtime]
    ) -> Stream:
        """Anyone: a document the applicant agreed to publish (404 once unpublished)."""
        download = await DatabankService(runtime).document(entry_id, number)
        return stored_file(download.chunks, download.document)

    @get("/export.json")
    async def export_json(self, runtime: NamedDependency[Runtime]) -> list[EntryOut]:
        """Anyone: every published entry (open data)."""
        return await DatabankService(runtime).export()

    @get("/export.csv")
    async def export_csv(self, runtime: NamedDependency[Runtime]) -> Response[str]:
        """Anyone: every published entry as CSV with a header row (open data)."""
        body = to_csv(await DatabankService(runtime).export(), base_url=runtime.settings.base_url)
        return Response(body, media_type="text/csv; charset=utf-8")


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
