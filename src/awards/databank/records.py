"""The public shape of a databank entry: for the API, the JSON export and the CSV rows."""

from __future__ import annotations

import msgspec

from awards.calls.kinds import LANGUAGES
from awards.databank.entries import unlisted
from awards.db.tables import DatabankEntry


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
        )


class PageOut(msgspec.Struct, frozen=True):
    entries: list[EntryOut]
    total: int
    page: int
    page_size: int


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
)


def csv_row(entry: EntryOut) -> list[str]:
    """One CSV row under `CSV_HEADER`; lists are joined with `;`."""
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
    ]
