"""The public shape of a databank entry: for the API, the JSON export and the CSV rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from awards.databank.documents import document_path
from awards.databank.lists import unlisted
from awards.databank.search import COUNT_CAP
from awards.db.tables import DatabankDelivery, DatabankEntry
from awards.vocabulary import LANGUAGES


class DocumentOut(msgspec.Struct, frozen=True):
    """A document its applicant agreed to publish."""

    url: Annotated[str, msgspec.Meta(description="Its download, relative to the service.")]
    filename: str
    content_type: str
    size: int
    sha256: str


class EntryOut(msgspec.Struct, frozen=True):
    """A published experience, as anyone may read it."""

    id: int
    year: int
    kind: str | None
    edition: str | None
    distinction: str
    title: dict[str, str]
    summary: dict[str, str]
    organisation: str
    city: str | None
    country: str
    themes: list[str]
    principles: list[int]
    languages: list[str]
    links: list[str]
    contact: dict[str, str] | None
    target_groups: list[str]
    started_on: date | None
    documents: list[DocumentOut] = []
    version: Annotated[
        int, msgspec.Meta(description="Send it back to edit a good practice (409 if stale).")
    ] = 1

    @classmethod
    def of(cls, entry: DatabankEntry) -> EntryOut:
        assert entry.id is not None
        return cls(
            id=entry.id,
            year=entry.year,
            kind=entry.kind,
            edition=entry.edition,
            distinction=entry.distinction,
            title=dict(entry.title),
            summary=dict(entry.summary),
            organisation=entry.organisation,
            city=entry.city,
            country=entry.country,
            themes=unlisted(entry.themes),
            principles=[int(number) for number in unlisted(entry.principles)],
            languages=unlisted(entry.languages),
            links=list(entry.links),
            contact=dict(entry.contact) if entry.contact else None,
            target_groups=unlisted(entry.target_groups),
            started_on=entry.started_on,
            documents=[
                DocumentOut(
                    url=document_path(entry.id, number),
                    filename=document["filename"],
                    content_type=document["content_type"],
                    size=document["size"],
                    sha256=document["sha256"],
                )
                for number, document in enumerate(entry.documents, 1)
            ],
            version=entry.version,
        )


class PageOut(msgspec.Struct, frozen=True):
    """A page of search results, 20 entries, newest first."""

    entries: list[EntryOut]
    total: Annotated[
        int, msgspec.Meta(description=f"How many entries match, counted up to {COUNT_CAP}.")
    ]
    page: int
    page_size: int
    total_capped: Annotated[
        bool,
        msgspec.Meta(description=f"More entries than `total` match: show '{COUNT_CAP}+'."),
    ] = False


CSV_HEADER = (
    "id",
    "year",
    "kind",
    "edition",
    "distinction",
    *(f"title_{language}" for language in LANGUAGES),
    *(f"summary_{language}" for language in LANGUAGES),
    "organisation",
    "city",
    "country",
    "themes",
    "principles",
    "languages",
    "links",
    "contact",
    "target_groups",
    "started_on",
    "documents",
)


def csv_row(entry: EntryOut, *, base_url: str = "") -> list[str]:
    """One CSV row under `CSV_HEADER`; lists are joined with `;`, documents are their
    addresses under `base_url`."""
    return [
        str(entry.id),
        str(entry.year),
        entry.kind or "",
        entry.edition or "",
        entry.distinction,
        *(entry.title.get(language, "") for language in LANGUAGES),
        *(entry.summary.get(language, "") for language in LANGUAGES),
        entry.organisation,
        entry.city or "",
        entry.country,
        ";".join(entry.themes),
        ";".join(str(number) for number in entry.principles),
        ";".join(entry.languages),
        ";".join(entry.links),
        ";".join((entry.contact or {}).values()),
        ";".join(entry.target_groups),
        entry.started_on.isoformat() if entry.started_on else "",
        ";".join(base_url + document.url for document in entry.documents),
    ]


class DeliveryOut(msgspec.Struct, frozen=True):
    """A change for the external databank's webhook, as the Secretariat follows it."""

    id: int
    delivery_id: str
    entry_id: int
    event: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: DatabankDelivery) -> DeliveryOut:
        return msgspec.convert(row, cls, from_attributes=True)
