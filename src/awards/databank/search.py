"""Public search of the databank: words in any language, filters, pages in a stable order.

Full text reads `search_text` (the folded words of title, summary, organisation and city in
every language, `awards.databank.words`); the query is folded the same way and every one of
its words must be a word of the entry. On SQLite through the FTS5 index `databank_fts`, kept
in step by triggers in the entry's own transaction (migration 0008); on PostgreSQL through
the generated column `databank_fts_vector`, `to_tsvector('simple', search_text)`, and its GIN
index `databank_fts_gin` (migration 0009).
Both see the same tokens, so they find the same entries. Order, on both: year, then id,
newest first, read from the index `ix_databank_entries_public_order`.

The cost of a search stays flat as the databank grows: a page is chosen by ids in that order
and only its 20 rows are loaded, and `total` counts at most `COUNT_CAP` matches (past it,
`total_capped` says "more than `total`"), as public search engines do. Themes, principles
and languages stay a `LIKE` on their `,a,b,` column, checked on the rows the order index
yields: a page stops at its 20th match, so a common value costs little; a value in very
few entries reads more of the index (bench/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnClause, ColumnElement, Select, func, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.databank.words import words
from awards.db.tables import SEARCH_INDEX, DatabankEntry, Submission

PAGE_SIZE = 20
COUNT_CAP = 1000
_SIMPLE: ColumnClause[Any] = literal_column("'simple'::regconfig")
_VECTOR: ColumnClause[Any] = literal_column(f"databank_entries.{SEARCH_INDEX}_vector")


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
    """How many entries match, at most `COUNT_CAP`."""
    page: int
    page_size: int
    total_capped: bool = False
    """More than `total` entries match."""


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matching(tokens: list[str], *, dialect: str) -> ColumnElement[bool]:
    """Entries holding every one of `tokens` (letters and digits only: no operator)."""
    if dialect == "sqlite":
        phrase = " ".join(f'"{token}"' for token in tokens)
        matching = text(f"SELECT rowid FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH :match")
        return col(DatabankEntry.id).in_(matching.bindparams(match=phrase))
    return _VECTOR.bool_op("@@")(func.plainto_tsquery(_SIMPLE, " ".join(tokens)))


def filtered(query: DatabankQuery, *, dialect: str) -> Select[DatabankEntry]:
    statement = select(DatabankEntry).where(col(DatabankEntry.unpublished_at).is_(None))
    tokens = words(query.q)
    if tokens:
        statement = statement.where(_matching(tokens, dialect=dialect))
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


def _ordered(statement: Select[Any]) -> Select[Any]:
    return statement.order_by(col(DatabankEntry.year).desc(), col(DatabankEntry.id).desc())


def _ids(query: DatabankQuery, *, dialect: str) -> Select[Any]:
    return filtered(query, dialect=dialect).with_only_columns(col(DatabankEntry.id))


def page_ids(query: DatabankQuery, *, dialect: str) -> Select[Any]:
    """The ids on the page `query` asks for, in the public order."""
    offset = (max(query.page, 1) - 1) * PAGE_SIZE
    return _ordered(_ids(query, dialect=dialect)).limit(PAGE_SIZE).offset(offset)


async def search(session: AsyncSession, query: DatabankQuery) -> DatabankPage:
    """One page of the published entries matching `query`."""
    dialect = session.get_bind().dialect.name
    counted = await session.scalar(
        select(func.count()).select_from(
            _ids(query, dialect=dialect).limit(COUNT_CAP + 1).subquery()
        )
    )
    shown = page_ids(query, dialect=dialect).scalar_subquery()
    rows = await session.scalars(
        _ordered(select(DatabankEntry).where(col(DatabankEntry.id).in_(shown)))
    )
    return DatabankPage(
        entries=list(rows),
        total=min(counted or 0, COUNT_CAP),
        page=max(query.page, 1),
        page_size=PAGE_SIZE,
        total_capped=(counted or 0) > COUNT_CAP,
    )


async def of_call(session: AsyncSession, call_id: int) -> list[DatabankEntry]:
    """The published entries of `call_id`'s submissions, all of them, in the search order."""
    of_its_submissions = select(col(Submission.id)).where(col(Submission.call_id) == call_id)
    rows = await session.scalars(
        _ordered(filtered(DatabankQuery(), dialect="")).where(
            col(DatabankEntry.submission_id).in_(of_its_submissions)
        )
    )
    return list(rows)


async def everything(session: AsyncSession) -> list[DatabankEntry]:
    """Every published entry, in the search order: the open-data exports and the feed."""
    rows = await session.scalars(_ordered(filtered(DatabankQuery(), dialect="")))
    return list(rows)


async def published(session: AsyncSession, entry_id: int) -> DatabankEntry | None:
    """Entry `entry_id` if it is public."""
    entry = await session.get(DatabankEntry, entry_id)
    return entry if entry is not None and entry.unpublished_at is None else None
