"""Search reads indexes on each database, not every row: full text, the public order, and
a count that stops at `COUNT_CAP`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, text

from awards.databank.search import COUNT_CAP, DatabankQuery, filtered, page_ids
from awards.db.tables import DatabankEntry
from awards.transitions.runtime import Runtime
from conftest import Client


def entry_row(number: int) -> dict[str, object]:
    """A bare public entry: newer years for higher numbers, every third in Portugal."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return {
        "year": 2000 + number // 100,
        "distinction": "laureate",
        "title": {"en": f"Experience {number}"},
        "summary": {},
        "organisation": f"Town {number}",
        "country": "PT" if number % 3 == 0 else "ES",
        "links": [],
        "search_text": f"experience {number}",
        "published_at": now,
        "updated_at": now,
    }


async def test_full_text_search_is_answered_from_the_databases_own_index(
    runtime: Runtime,
) -> None:
    async with runtime.db.write() as session:
        await session.execute(insert(DatabankEntry), [entry_row(number) for number in range(500)])
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("ANALYZE databank_entries"))  # as autovacuum would
    async with runtime.db.read() as session:
        dialect = session.get_bind().dialect
        if dialect.name == "postgresql":
            # So few rows are cheapest to scan: ask for the plan a large databank gets.
            await session.execute(text("SET LOCAL enable_seqscan = off"))
        statement = filtered(DatabankQuery(q="Expérience 7"), dialect=dialect.name)
        sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        explain = "EXPLAIN QUERY PLAN" if dialect.name == "sqlite" else "EXPLAIN"
        plan = (await session.execute(text(f"{explain} {sql}"))).all()
    expected = "SCAN databank_fts VIRTUAL TABLE" if dialect.name == "sqlite" else "databank_fts_gin"
    described = "\n".join(str(row[-1]) for row in plan)
    assert expected in described, described
    assert "experience" in sql and "Expérience" not in sql  # folded as the stored words are


@pytest.mark.parametrize(
    "query",
    [DatabankQuery(), DatabankQuery(theme="childhood", year=2020)],
    ids=["browse", "filters"],
)
async def test_a_page_is_read_in_the_public_order_from_its_index_without_sorting(
    runtime: Runtime, query: DatabankQuery
) -> None:
    async with runtime.db.read() as session:
        dialect = session.get_bind().dialect
        statement = page_ids(query, dialect=dialect.name)
        sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        explain = "EXPLAIN QUERY PLAN" if dialect.name == "sqlite" else "EXPLAIN"
        plan = (await session.execute(text(f"{explain} {sql}"))).all()
    described = "\n".join(str(row[-1]) for row in plan)
    assert "ix_databank_entries_public_order" in described, described
    assert "TEMP B-TREE" not in described and "Sort" not in described, described


async def test_past_a_thousand_matches_the_total_says_more_and_pages_stay_in_order(
    runtime: Runtime, client: Client
) -> None:
    async with runtime.db.write() as session:
        await session.execute(insert(DatabankEntry), [entry_row(number) for number in range(1200)])

    everything = (await client.get("/api/v1/databank")).json()
    portugal = (await client.get("/api/v1/databank", params={"country": "pt", "page": 3})).json()
    lisbon = (await client.get("/api/v1/databank", params={"q": "experience 1197"})).json()

    assert (everything["total"], everything["total_capped"]) == (COUNT_CAP, True)
    assert [entry["title"]["en"] for entry in everything["entries"]] == [
        f"Experience {number}" for number in range(1199, 1179, -1)
    ]
    assert (portugal["total"], portugal["total_capped"]) == (400, False)
    assert [entry["title"]["en"] for entry in portugal["entries"]] == [
        f"Experience {number}" for number in range(1077, 1019, -3)
    ]
    assert (lisbon["total"], lisbon["total_capped"]) == (1, False)
