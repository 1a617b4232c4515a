"""The databank's public `q` fed the syntax of the search engines underneath (SQLite FTS5 on
SQLite, tsquery on PostgreSQL) and of `LIKE`: no query errs, and none finds more or other
than its plain words do, so no operator reaches the index."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from sqlalchemy import insert

from awards.databank.words import words
from awards.db.tables import DatabankEntry
from awards.transitions.runtime import Runtime
from conftest import Client

HOSTILE = [
    '"',
    "'",
    'experience 7" OR "experience',
    "experience OR 8",
    "experience NOT 7",
    "NEAR(experience 7)",
    "experience*",
    "-experience",
    "^experience",
    "title:experience",
    "databank_fts:7",
    "{search_text}: 7",
    "experience & !7",
    "experience | 8",
    "7 <-> experience",
    "experience:*",
    "((((",
    "))",
    "\\",
    "%",
    "_",
    "experience\x00 7",
    "'; DROP TABLE databank_entries; --",
    "*",
    "AND",
]


@pytest.fixture
async def entries(runtime: Runtime) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "year": 2020,
            "distinction": "laureate",
            "title": {"en": f"Experience {number}"},
            "summary": {},
            "organisation": f"Town {number}",
            "country": "ES",
            "links": [],
            "search_text": f"experience {number} town",
            "published_at": now,
            "updated_at": now,
        }
        for number in range(1, 10)
    ]
    async with runtime.db.write() as session:
        await session.execute(insert(DatabankEntry), rows)


async def found(client: Client, q: str) -> list[int]:
    answer = await client.get(f"/api/v1/databank/?q={quote(q)}")
    assert answer.status_code == 200, (q, answer.text)
    return [entry["id"] for entry in answer.json()["entries"]]


@pytest.mark.usefixtures("entries")
@pytest.mark.parametrize("q", HOSTILE)
async def test_search_syntax_in_q_finds_what_its_plain_words_find(client: Client, q: str) -> None:
    assert await found(client, q) == await found(client, " ".join(words(q)))
    page = await client.get(f"/databank?q={quote(q)}")
    assert page.status_code == 200, page.text


@pytest.mark.usefixtures("entries")
async def test_plain_words_still_find_their_entries(client: Client) -> None:
    assert len(await found(client, "Experience 7")) == 1
    assert len(await found(client, "town")) == 9
