"""Publishing an award edition to the databank, searching it, taking entries down."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import feedparser
import pytest
from databank_edition import WORDS, Town, published_edition
from litestar.testing import AsyncTestClient

from awards.calls.kinds import CallKind
from awards.databank.entries import publish_submission
from awards.db.tables import Call, Submission
from awards.runtime import Runtime
from conftest import MovableClock, Tokens

Client = AsyncTestClient  # type: ignore[type-arg]


@pytest.fixture
async def towns(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> list[Town]:
    return await published_edition(runtime, clock, tokens, open_award)


async def found(client: Client, **params: object) -> list[int]:
    """Submission-free view of a search: the entries' title numbers, in the answer's order."""
    response = await client.get("/api/v1/databank", params=params)
    assert response.status_code == 200, response.text
    return [
        int(entry["title"]["en"].split()[0][len("garden") :])
        for entry in response.json()["entries"]
    ]


async def outputs(client: Client) -> dict[str, str]:
    """Every public output of the databank, as text."""
    paths = {
        "search": "/api/v1/databank",
        "json": "/api/v1/databank/export.json",
        "csv": "/api/v1/databank/export.csv",
        "feed": "/databank/feed.atom",
    }
    texts = {}
    for name, path in paths.items():
        response = await client.get(path)
        assert response.status_code == 200, response.text
        texts[name] = response.text
    return texts


async def test_each_entry_is_found_in_each_language_it_was_written_in_and_by_every_filter(
    client: Client, towns: list[Town]
) -> None:
    everyone = [town.number for town in towns]
    assert await found(client) == everyone
    for town in towns:
        for language, word in WORDS.items():
            assert await found(client, q=f"{word}{town.number}") == [town.number], language
            assert await found(client, q=f"{word}{town.number}", lang=language) == [town.number]
        assert await found(client, q=f"town {town.number}") == [town.number]
    assert await found(client, kind="educating-cities-award", year=2026) == everyone
    assert await found(client, year=2024) == []
    assert await found(client, distinction="laureate") == [0, 1, 2]
    assert await found(client, distinction="special_mention") == everyone[3:]
    for town in towns:

        def alike(key: str, town: Town = town) -> list[int]:
            return [other.number for other in towns if getattr(other, key) == getattr(town, key)]

        assert await found(client, country=town.country.lower()) == alike("country")
        assert await found(client, theme=town.theme) == alike("theme")
        assert await found(client, principle=town.principle) == [town.number]
    assert await found(client, principle=17) == everyone
    assert await found(client, q="summaryword1") == [1]
    assert await found(client, q="summaryword4") == []  # no consent: its summary is not searched


async def test_pages_are_twenty_entries_in_a_stable_order(
    client: Client, towns: list[Town]
) -> None:
    response = await client.get("/api/v1/databank", params={"page": 2})
    assert response.json() == {"entries": [], "total": 10, "page": 2, "page_size": 20}


async def test_republishing_changes_nothing(
    runtime: Runtime, client: Client, tokens: Tokens, towns: list[Town]
) -> None:
    before = await outputs(client)
    async with runtime.db.write() as session:
        for town in towns:
            submission = await session.get(Submission, town.submission)
            assert submission is not None
            call = await session.get(Call, submission.call_id)
            assert call is not None
            kind: CallKind = runtime.kind(call.kind)
            state = "laureate" if town.laureate else "special_mention"
            await publish_submission(
                session, submission, call=call, kind=kind, from_state=state, now=runtime.clock()
            )
    again = await client.post(
        f"/api/v1/submissions/{towns[0].submission}/transitions",
        json={"name": "publish"},
        headers=tokens.secretariat,
    )
    assert again.status_code == 409, again.text
    assert await outputs(client) == before


async def test_unpublishing_takes_an_entry_out_of_search_feed_and_exports_with_an_audited_reason(
    client: Client, tokens: Tokens, towns: list[Town]
) -> None:
    entries = (await client.get("/api/v1/databank/export.json")).json()
    entry = next(entry for entry in entries if entry["title"]["en"] == "garden1 school")
    path = f"/api/v1/databank/{entry['id']}/unpublish"
    refused = await client.post(path, json={"reason": "x"}, headers=tokens.owner)
    assert refused.status_code == 403, refused.text

    taken_down = await client.post(
        path, json={"reason": "asked by the city"}, headers=tokens.secretariat
    )
    assert taken_down.status_code == 200, taken_down.text
    twice = await client.post(path, json={"reason": "again"}, headers=tokens.secretariat)
    assert twice.status_code == 409, twice.text

    assert await found(client, q="garden1") == []
    assert 1 not in await found(client)
    for name, text in (await outputs(client)).items():
        assert "garden1 school" not in text, name
    history = await client.get(
        f"/api/v1/submissions/{towns[1].submission}/history", headers=tokens.secretariat
    )
    assert [row["reason"] for row in history.json() if row["transition"] == "unpublish"] == [
        "asked by the city"
    ]


async def test_feed_and_exports_parse_and_hold_only_what_each_applicant_consented_to(
    client: Client, towns: list[Town]
) -> None:
    texts = await outputs(client)
    feed = feedparser.parse(texts["feed"])
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert [item.title for item in feed.entries] == [
        f"garden{town.number} school" for town in towns
    ]
    rows = list(csv.DictReader(io.StringIO(texts["csv"])))
    assert [row["title_fr"] for row in rows] == [f"jardin{town.number} school" for town in towns]
    exported: list[dict[str, Any]] = json.loads(texts["json"])
    assert [entry["organisation"] for entry in exported] == [
        f"Town {town.number}" for town in towns
    ]
    for town, row, entry in zip(towns, rows, exported, strict=True):
        shares_summary = "summary" in town.consent
        shares_contact = "contact" in town.consent
        assert bool(entry["summary"]) is shares_summary
        assert (
            entry["contact"] == {"contact_email": town.email, "contact_name": "Ada Serra"}
        ) is shares_contact
        assert entry["links"] == ([town.website] if shares_summary else [])
        assert row["country"] == town.country
        for name, text in texts.items():
            assert (town.secret in text) is shares_summary, (name, town.number)
            assert (town.email in text) is (shares_contact and name != "feed"), (name, town.number)
            assert (town.website in text) is (shares_summary and name != "feed"), (
                name,
                town.number,
            )
