"""Publishing an award edition to the databank, searching it, taking entries down."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import feedparser
import pytest
from databank_edition import WORDS, Town, published_edition
from sqlalchemy import func, select

from awards.databank.entries import publish_submission
from awards.db.tables import Call, DatabankDelivery, Submission
from awards.kinds.kind import CallKind
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens


@pytest.fixture
async def towns(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> list[Town]:
    return await published_edition(runtime, clock, tokens, open_award)


async def found(client: Client, **params: str | int) -> list[int]:
    """Submission-free view of a search: the entries' title numbers, in the answer's order."""
    response = await client.get("/api/v1/databank", params=params)
    assert response.status_code == 200, response.text
    return [
        int(entry["title"]["en"].split()[0][len("garden") :])
        for entry in response.json()["entries"]
    ]


async def deliveries(runtime: Runtime) -> int:
    """Changes queued for the external databank's webhook."""
    async with runtime.db.read() as session:
        return await session.scalar(select(func.count()).select_from(DatabankDelivery)) or 0


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
    newest_first = [town.number for town in reversed(towns)]
    assert await found(client) == newest_first
    for town in towns:
        for language, word in WORDS.items():
            assert await found(client, q=f"{word}{town.number}") == [town.number], language
            assert await found(client, q=f"{word}{town.number}", lang=language) == [town.number]
        assert await found(client, q=f"town {town.number}") == [town.number]
    assert await found(client, kind="educating-cities-award", year=2026) == newest_first
    assert await found(client, year=2024) == []
    assert await found(client, distinction="laureate") == [2, 1, 0]
    assert await found(client, distinction="special_mention") == newest_first[:7]
    for town in towns:

        def alike(key: str, town: Town = town) -> list[int]:
            return [
                other.number
                for other in reversed(towns)
                if getattr(other, key) == getattr(town, key)
            ]

        assert await found(client, country=town.country.lower()) == alike("country")
        assert await found(client, theme=town.theme) == alike("theme")
        assert await found(client, principle=town.principle) == [town.number]
    assert await found(client, principle=17) == newest_first
    assert await found(client, q="summaryword1") == [1]
    assert await found(client, q="summaryword4") == []  # no consent: its summary is not searched


async def test_pages_are_twenty_entries_in_a_stable_order(
    client: Client, towns: list[Town]
) -> None:
    response = await client.get("/api/v1/databank", params={"page": 2})
    assert response.json() == {
        "entries": [],
        "total": 10,
        "page": 2,
        "page_size": 20,
        "total_capped": False,
    }


async def test_republishing_changes_nothing(
    runtime: Runtime, client: Client, tokens: Tokens, towns: list[Town]
) -> None:
    before = await outputs(client)
    pushed = await deliveries(runtime)
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
    assert await deliveries(runtime) == pushed == 0  # no webhook URL: nothing queued


async def test_unpublishing_takes_an_entry_out_of_search_feed_and_exports_with_an_audited_reason(
    client: Client, tokens: Tokens, towns: list[Town]
) -> None:
    entries = (await client.get("/api/v1/databank/export.json")).json()
    entry = next(entry for entry in entries if entry["title"]["en"] == "garden1 school")
    path = f"/api/v1/databank/{entry['id']}/unpublish"
    for who, status in ((tokens.anonymous, 401), (tokens.owner, 403), (tokens.juror, 403)):
        refused = await client.post(path, json={"reason": "x"}, headers=who)
        assert refused.status_code == status, refused.text

    taken_down = await client.post(
        path, json={"reason": "asked by the city"}, headers=tokens.secretariat
    )
    assert taken_down.status_code == 200, taken_down.text
    twice = await client.post(path, json={"reason": "again"}, headers=tokens.secretariat)
    assert twice.json() == taken_down.json()

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
    changes = await client.get(
        f"/api/v1/databank/{entry['id']}/history", headers=tokens.secretariat
    )
    assert [(row["change"], row["reason"]) for row in changes.json()] == [
        ("unpublish", "asked by the city")
    ]
    gone = await client.get(f"/api/v1/databank/{entry['id']}")
    assert gone.status_code == 404, gone.text


async def test_republishing_a_taken_down_entry_brings_it_back_once_under_its_id(
    client: Client, tokens: Tokens, towns: list[Town]
) -> None:
    before = await outputs(client)
    entries = (await client.get("/api/v1/databank/export.json")).json()
    entry = next(entry for entry in entries if entry["title"]["en"] == "garden2 school")
    path = f"/api/v1/databank/{entry['id']}"
    await client.post(f"{path}/unpublish", json={"reason": "typo"}, headers=tokens.secretariat)
    for who, status in ((tokens.anonymous, 401), (tokens.owner, 403)):
        refused = await client.post(f"{path}/republish", headers=who)
        assert refused.status_code == status, refused.text

    as_practice = {
        "title": {"en": "x"},
        "organisation": "x",
        "country": "ES",
        "year": 2026,
        "version": entry["version"],
    }
    edited = await client.put(path, json=as_practice, headers=tokens.secretariat)
    assert edited.status_code == 409, edited.text

    back = await client.post(f"{path}/republish", headers=tokens.secretariat)
    again = await client.post(f"{path}/republish", headers=tokens.secretariat)

    assert back.status_code == 200, back.text
    assert back.json() == again.json() == entry
    assert (await client.get(path)).json() == entry
    assert await found(client, q="huerto2") == [2]
    assert await outputs(client) == before
    changes = (await client.get(f"{path}/history", headers=tokens.secretariat)).json()
    assert [row["change"] for row in changes] == ["unpublish", "republish"]
    history = await client.get(
        f"/api/v1/submissions/{towns[2].submission}/history", headers=tokens.secretariat
    )
    assert [row["transition"] for row in history.json()][-3:] == [
        "publish",
        "unpublish",
        "republish",
    ]


async def test_feed_and_exports_parse_and_hold_only_what_each_applicant_consented_to(
    client: Client, settings: Settings, towns: list[Town]
) -> None:
    texts = await outputs(client)
    feed = feedparser.parse(texts["feed"])
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    newest_first = list(reversed(towns))
    assert [item.title for item in feed.entries] == [
        f"garden{town.number} school" for town in newest_first
    ]
    rows = list(csv.DictReader(io.StringIO(texts["csv"])))
    assert [row["title_fr"] for row in rows] == [
        f"jardin{town.number} school" for town in newest_first
    ]
    exported: list[dict[str, Any]] = json.loads(texts["json"])
    assert [entry["organisation"] for entry in exported] == [
        f"Town {town.number}" for town in newest_first
    ]
    for town, row, entry in zip(newest_first, rows, exported, strict=True):
        shares_summary = "summary" in town.consent
        shares_contact = "contact" in town.consent
        assert bool(entry["summary"]) is shares_summary
        assert (
            entry["contact"] == {"contact_email": town.email, "contact_name": "Ada Serra"}
        ) is shares_contact
        assert entry["links"] == ([town.website] if shares_summary else [])
        assert row["country"] == town.country
        shares_documents = "documents" in town.consent
        annex, content = town.document("annex")
        url = f"/api/v1/databank/{entry['id']}/documents/1"
        assert entry["documents"] == (
            [
                {
                    "url": url,
                    "filename": annex,
                    "content_type": "application/pdf",
                    "size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
            ]
            if shares_documents
            else []
        )
        assert row["documents"] == (f"{settings.base_url}{url}" if shares_documents else "")
        for name, text in texts.items():
            assert (town.secret in text) is shares_summary, (name, town.number)
            assert (url in text) is shares_documents, (name, town.number)
            assert (hashlib.sha256(content).hexdigest() in text) is (
                shares_documents and name in ("search", "json")
            ), (name, town.number)
            assert "support_letter" not in text, (name, town.number)  # never published
            assert (town.email in text) is (shares_contact and name != "feed"), (name, town.number)
            assert (town.website in text) is (shares_summary and name != "feed"), (
                name,
                town.number,
            )


async def test_anyone_downloads_the_documents_an_applicant_agreed_to_publish_and_no_other(
    client: Client, tokens: Tokens, towns: list[Town]
) -> None:
    exported = (await client.get("/api/v1/databank/export.json")).json()
    for town, entry in zip(reversed(towns), exported, strict=True):
        documents = f"/api/v1/databank/{entry['id']}/documents"
        annex = await client.get(f"{documents}/1")
        if "documents" in town.consent:
            name, content = town.document("annex")
            assert annex.status_code == 200, annex.text
            assert annex.content == content
            assert annex.headers["content-type"] == "application/pdf"
            assert f'filename="{name}"' in annex.headers["content-disposition"]
        else:
            assert annex.status_code == 404, annex.text
        letter = await client.get(f"{documents}/2")
        assert letter.status_code == 404, letter.text  # the support letter is never published
    laureate = next(entry for entry in exported if entry["documents"])
    await client.post(
        f"/api/v1/databank/{laureate['id']}/unpublish",
        json={"reason": "asked by the city"},
        headers=tokens.secretariat,
    )
    gone = await client.get(laureate["documents"][0]["url"])
    assert gone.status_code == 404, gone.text
