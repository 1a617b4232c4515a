"""Public search of the databank: words in any language, filters, pages in a stable order.

Full text reads `search_text` (lower-cased title, summary, organisation and city in every
language); every word must match. On SQLite through the FTS5 index `databank_fts` (whole
words, accents ignored), kept in step by triggers in the entry's own transaction; on
PostgreSQL a word-by-word `LIKE` (substrings, no index: fine for thousands of entries).
Order: year, newest first, then id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import SEARCH_INDEX, DatabankEntry

PAGE_SIZE = 20


@dataclass(frozen=True)
class DatabankQuery:
    """What a visitor searches for; None (or empty) means any."""

    q: str = ""
    kind: str | None = None
    year: int | None = None
    country: str | None = None
    theme: str | None = None
    principle: int | None = None
    lang: str | None = None
    distinction: str | None = None
    page: int = 1


@dataclass(frozen=True)
class DatabankPage:
    entries: Sequence[DatabankEntry]
    total: int
    page: int
    page_size: int


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phrase(words: list[str]) -> str:
    """An FTS5 query where every word must appear, each quoted so none is an operator."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _filtered(query: DatabankQuery, *, fts: bool) -> Select[DatabankEntry]:
    statement = select(DatabankEntry).where(col(DatabankEntry.unpublished_at).is_(None))
    words = query.q.lower().split()
    if words and fts:
        matching = text(f"SELECT rowid FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH :match")
        statement = statement.where(
            col(DatabankEntry.id).in_(matching.bindparams(match=_phrase(words)))
        )
    for word in [] if fts else words:
        statement = statement.where(
            col(DatabankEntry.search_text).like(f"%{_escaped(word)}%", escape="\\")
        )
    listed = {
        DatabankEntry.themes: query.theme,
        DatabankEntry.languages: query.lang,
        DatabankEntry.principles: None if query.principle is None else str(query.principle),
    }
    for column, value in listed.items():
        if value:
            statement = statement.where(col(column).like(f"%,{_escaped(value)},%", escape="\\"))
    if query.kind:
        statement = statement.where(col(DatabankEntry.kind) == query.kind)
    if query.year is not None:
        statement = statement.where(col(DatabankEntry.year) == query.year)
    if query.country:
        statement = statement.where(col(DatabankEntry.country) == query.country.upper())
    if query.distinction:
        statement = statement.where(col(DatabankEntry.distinction) == query.distinction)
    return statement


async def search(session: AsyncSession, query: DatabankQuery) -> DatabankPage:
    """One page of the published entries matching `query`."""
    page = max(query.page, 1)
    statement = _filtered(query, fts=_has_fts(session))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(col(DatabankEntry.year).desc(), col(DatabankEntry.id))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return DatabankPage(entries=list(rows), total=total or 0, page=page, page_size=PAGE_SIZE)


async def everything(session: AsyncSession) -> list[DatabankEntry]:
    """Every published entry, in the search order: the open-data exports and the feed."""
    rows = await session.scalars(
        _filtered(DatabankQuery(), fts=False).order_by(
            col(DatabankEntry.year).desc(), col(DatabankEntry.id)
        )
    )
    return list(rows)


def _has_fts(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"
