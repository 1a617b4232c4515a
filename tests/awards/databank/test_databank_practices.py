"""Good practices the Secretariat adds directly: in the same search, feeds and exports as
published submissions, audited, and refused with the field named when malformed."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any
from xml.etree import ElementTree

import feedparser
import msgspec
import pytest

from awards.databank.practices import PracticeIn
from awards.databank.records import EntryOut
from awards.databank.service import DatabankService
from awards.errors import Conflict
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens

PRACTICE: dict[str, Any] = {
    "title": {"fr": "Écoles ouvertes le dimanche", "es": "Escuelas abiertas en domingo"},
    "summary": {"fr": "Les cours d'école deviennent des places publiques"},
    "organisation": "Ville de Lyon",
    "city": "Lyon",
    "country": "fr",
    "year": 2019,
    "themes": ["public_spaces", "childhood"],
    "principles": [1, 14],
    "target_groups": ["children", "families"],
    "started_on": "2018-03-01",
    "links": ["https://lyon.example/ecoles"],
    "contact": {"contact_email": "ecoles@lyon.example"},
}


async def titles(client: Client, **params: str | int) -> list[str]:
    response = await client.get("/api/v1/databank", params=params)
    assert response.status_code == 200, response.text
    return [next(iter(entry["title"].values())) for entry in response.json()["entries"]]


async def add(client: Client, tokens: Tokens, **changes: object) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/databank", json={**PRACTICE, **changes}, headers=tokens.secretariat
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_only_the_secretariat_adds_edits_or_reads_the_history_of_good_practices(
    client: Client, tokens: Tokens
) -> None:
    entry = await add(client, tokens)
    path = f"/api/v1/databank/{entry['id']}"
    for who, status in (
        (tokens.anonymous, 401),
        (tokens.owner, 403),
        (tokens.juror, 403),
    ):
        assert (
            await client.post("/api/v1/databank", json=PRACTICE, headers=who)
        ).status_code == status
        assert (await client.put(path, json=PRACTICE, headers=who)).status_code == status
        assert (await client.get(f"{path}/history", headers=who)).status_code == status
    assert await titles(client) == ["Écoles ouvertes le dimanche"]


async def test_a_good_practice_is_found_by_its_words_accents_folded_and_by_every_filter(
    client: Client, tokens: Tokens
) -> None:
    entry = await add(client, tokens)
    await add(
        client,
        tokens,
        title={"en": "Bike lanes"},
        summary={},
        organisation="Ajuntament de Girona",
        city="Girona",
        year=2020,
        country="ES",
        themes=["mobility"],
        principles=[12],
    )

    assert entry["distinction"] == "good_practice"
    assert entry["country"] == "FR"
    assert entry["languages"] == ["fr", "es"]
    school = ["Écoles ouvertes le dimanche"]
    for query in ("ecoles", "ÉCOLES", "écoles dimanche", "domingo", "places publiques", "lyon"):
        assert await titles(client, q=query) == school, query
    assert await titles(client, q="ecol") == []  # whole words only
    for name, value in (
        ("year", 2019),
        ("country", "fr"),
        ("theme", "childhood"),
        ("principle", 14),
        ("lang", "es"),
    ):
        assert await titles(client, **{name: value}) == school, name
    assert await titles(client, lang="en") == ["Bike lanes"]
    assert await titles(client, distinction="good_practice") == ["Bike lanes", *school]
    assert await titles(client, kind="educating-cities-award") == []


async def test_a_good_practice_is_in_the_feed_and_both_exports(
    client: Client, tokens: Tokens
) -> None:
    await add(client, tokens)

    feed = feedparser.parse((await client.get("/databank/feed.atom")).text)
    rows = list(csv.DictReader(io.StringIO((await client.get("/api/v1/databank/export.csv")).text)))
    exported = (await client.get("/api/v1/databank/export.json")).json()

    assert [item.title for item in feed.entries] == ["Écoles ouvertes le dimanche"]
    assert [(row["title_es"], row["target_groups"], row["started_on"]) for row in rows] == [
        ("Escuelas abiertas en domingo", "children;families", "2018-03-01")
    ]
    assert exported[0]["principles"] == [1, 14]
    assert exported[0]["contact"] == {"contact_email": "ecoles@lyon.example"}


async def test_editing_a_good_practice_changes_what_is_found_and_is_audited_once(
    client: Client, tokens: Tokens
) -> None:
    entry = await add(client, tokens)
    path = f"/api/v1/databank/{entry['id']}"
    edited = {**PRACTICE, "title": {"fr": "Cours d'école ouvertes"}}

    first = await client.put(path, json={**edited, "version": 1}, headers=tokens.secretariat)
    unchanged = await client.put(path, json={**edited, "version": 2}, headers=tokens.secretariat)

    assert first.status_code == unchanged.status_code == 200, first.text
    assert (
        first.json()
        == unchanged.json()
        == {**entry, "title": {"fr": "Cours d'école ouvertes"}, "languages": ["fr"], "version": 2}
    )
    assert await titles(client, q="dimanche") == []
    assert await titles(client, q="cours") == ["Cours d'école ouvertes"]
    history = (await client.get(f"{path}/history", headers=tokens.secretariat)).json()
    staff = tokens.actors["secretariat"].id
    assert [(row["change"], row["actor_id"]) for row in history] == [
        ("create", staff),
        ("update", staff),
    ]


async def test_a_taken_down_good_practice_comes_back_with_republish(
    client: Client, tokens: Tokens
) -> None:
    entry = await add(client, tokens)
    path = f"/api/v1/databank/{entry['id']}"
    await client.post(f"{path}/unpublish", json={"reason": "outdated"}, headers=tokens.secretariat)

    refused = await client.put(path, json={**PRACTICE, "version": 1}, headers=tokens.secretariat)
    assert refused.status_code == 409, refused.text
    assert await titles(client) == []

    back = await client.post(f"{path}/republish", headers=tokens.secretariat)
    assert back.json() == entry
    assert await titles(client, q="ecoles") == ["Écoles ouvertes le dimanche"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"principles": [1, 21]}, "principles[1]"),
        ({"title": {"it": "Scuole aperte"}}, "title.it"),
        ({"title": {"fr": "  "}}, "title"),
        ({"country": "France"}, "country"),
        ({"themes": ["Public spaces"]}, "themes[0]"),
        ({"links": ["javascript:alert(1)"]}, "links[0]"),
        ({"started_on": "March 2018"}, "started_on"),
        ({"year": 1066}, "year"),
        ({"mayor": "Grégory Doucet"}, "mayor"),
    ],
)
async def test_a_malformed_good_practice_is_refused_naming_the_field(
    client: Client, tokens: Tokens, changes: dict[str, object], field: str
) -> None:
    response = await client.post(
        "/api/v1/databank", json={**PRACTICE, **changes}, headers=tokens.secretariat
    )

    assert response.status_code == 422, response.text
    extra = response.json()["extra"]
    named = extra["field"] if isinstance(extra, dict) else extra[0]["key"]
    assert named == field
    assert await titles(client) == []


async def test_editing_an_unknown_entry_is_not_found(client: Client, tokens: Tokens) -> None:
    missing = await client.put(
        "/api/v1/databank/999", json={**PRACTICE, "version": 1}, headers=tokens.secretariat
    )
    assert missing.status_code == 404, missing.text


async def test_an_edit_from_a_stale_version_is_refused_and_changes_nothing(
    client: Client, tokens: Tokens
) -> None:
    entry = await add(client, tokens)
    path = f"/api/v1/databank/{entry['id']}"
    mine = {**PRACTICE, "title": {"fr": "Cours ouvertes"}, "version": entry["version"]}
    theirs = {**PRACTICE, "title": {"fr": "Écoles du dimanche"}, "version": entry["version"]}
    await client.put(path, json=mine, headers=tokens.secretariat)

    stale = await client.put(path, json=theirs, headers=tokens.secretariat)
    unversioned = await client.put(path, json=PRACTICE, headers=tokens.secretariat)

    assert stale.status_code == 409, stale.text
    assert stale.json()["extra"] == {"version": entry["version"] + 1}
    assert unversioned.status_code == 422, unversioned.text
    assert unversioned.json()["extra"][0]["key"] == "version"
    assert await titles(client) == ["Cours ouvertes"]
    history = (await client.get(f"{path}/history", headers=tokens.secretariat)).json()
    assert [row["change"] for row in history] == ["create", "update"]


async def test_of_two_concurrent_edits_from_one_version_exactly_one_is_saved(
    runtime: Runtime, tokens: Tokens
) -> None:
    staff = tokens.actors["secretariat"]
    service = DatabankService(runtime)
    entry = await service.add_practice(msgspec.convert(PRACTICE, PracticeIn), actor=staff)
    edits = [
        msgspec.convert({**PRACTICE, "title": {"fr": title}}, PracticeIn)
        for title in ("Cours ouvertes", "Écoles du dimanche")
    ]

    outcomes = await asyncio.gather(
        *(service.edit_practice(entry.id, edit, actor=staff, version=1) for edit in edits),
        return_exceptions=True,
    )

    saved = [outcome for outcome in outcomes if isinstance(outcome, EntryOut)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, Conflict)]
    assert len(saved) == len(refused) == 1, outcomes
    assert saved[0].version == 2
    assert (await service.entry(entry.id)).title == saved[0].title
    history = await service.history(entry.id, actor=staff)
    assert [change.change for change in history] == ["create", "update"]


async def test_a_control_character_or_a_formula_is_harmless_in_the_feed_and_the_export(
    client: Client, tokens: Tokens
) -> None:
    """A form feed made the Atom feed invalid XML; `=HYPERLINK(...)` was a live formula."""
    formula = '=HYPERLINK("https://evil.example","Open")'
    await add(
        client,
        tokens,
        title={"fr": "Écoles\x0c ouvertes\x00"},
        summary={"fr": formula},
        organisation="@Lyon",
    )

    feed = await client.get("/databank/feed.atom")
    csv_text = (await client.get("/api/v1/databank/export.csv")).text
    rows = list(csv.DictReader(io.StringIO(csv_text)))

    entry = ElementTree.fromstring(feed.content).find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == "Écoles ouvertes"
    assert (rows[0]["summary_fr"], rows[0]["organisation"]) == (f"'{formula}", "'@Lyon")
