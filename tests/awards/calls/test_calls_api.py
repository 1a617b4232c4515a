"""Creating, listing and reading calls, and the call kinds a client renders forms from."""

from __future__ import annotations

import pytest

from conftest import Client, MovableClock, Tokens, award_call


@pytest.mark.parametrize(
    ("override", "field", "detail"),
    [
        ({"timezone": "Europe/Atlantis"}, "timezone", "unknown time zone 'Europe/Atlantis'"),
        (
            {"closes_at": "2025-08-01T00:00:00+00:00"},
            "closes_at",
            "closes_at must be after opens_at",
        ),
        ({"title": {"en": "Award", "fr": "Prix"}}, "title", "title is missing in es, pt"),
        ({"languages": ["en", "de"]}, "languages", "languages must be among en, fr, es, pt"),
        ({"languages": ["fr"]}, "languages", "languages must include en"),
        ({"kind": "lottery"}, None, "no call kind 'lottery'"),
    ],
)
async def test_a_bad_new_call_is_refused_naming_the_field(
    client: Client,
    tokens: Tokens,
    clock: MovableClock,
    override: dict[str, object],
    field: str | None,
    detail: str,
) -> None:
    response = await client.post(
        "/api/v1/calls", json=award_call(clock, **override), headers=tokens.secretariat
    )

    assert response.json()["detail"] == detail
    if field is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 422
        assert response.json()["extra"]["field"] == field


async def test_only_the_secretariat_creates_calls(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    for who, status in (("anonymous", 401), ("owner", 403), ("juror", 403)):
        response = await client.post(
            "/api/v1/calls", json=award_call(clock), headers=getattr(tokens, who)
        )
        assert response.status_code == status, who


async def test_the_same_edition_twice_is_a_conflict(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    await client.post("/api/v1/calls", json=award_call(clock), headers=tokens.secretariat)

    again = await client.post("/api/v1/calls", json=award_call(clock), headers=tokens.secretariat)

    assert again.status_code == 409
    assert again.json()["detail"] == "a call educating-cities-award 2026 exists already"


async def test_a_draft_call_is_hidden_from_everyone_but_the_secretariat(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    created = await client.post("/api/v1/calls", json=award_call(clock), headers=tokens.secretariat)
    path = f"/api/v1/calls/{created.json()['id']}"

    assert (await client.get(path)).status_code == 404
    assert (await client.get(path, headers=tokens.owner)).status_code == 404
    assert (await client.get("/api/v1/calls")).json() == []
    listed = await client.get("/api/v1/calls", headers=tokens.secretariat)
    assert [(c["edition"], c["state"]) for c in listed.json()] == [("2026", "draft")]

    await client.post(f"{path}/transitions", json={"name": "open"}, headers=tokens.secretariat)

    public = await client.get(path)
    assert public.status_code == 200
    assert public.json()["closes_at_local"] == "2025-10-01 12:00 Europe/Madrid"


async def test_call_listing_counts_drafts_for_the_secretariat_only(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    for headers in (tokens.owner, tokens.owner, tokens.other_applicant):
        await client.post(f"/api/v1/calls/{open_award}/submissions", json={}, headers=headers)

    for_staff = await client.get("/api/v1/calls", headers=tokens.secretariat)
    for_public = await client.get("/api/v1/calls")

    assert for_staff.json()[0]["submissions_by_state"] == {"draft": 3}
    assert for_public.json()[0]["submissions_by_state"] == {}


async def test_call_transitions_list_what_the_secretariat_may_fire_now(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    as_staff = await client.get(
        f"/api/v1/calls/{open_award}/transitions", headers=tokens.secretariat
    )
    as_public = await client.get(f"/api/v1/calls/{open_award}/transitions")

    assert as_staff.json() == [
        {
            "name": "close",
            "to": "closed",
            "allowed": True,
            "requires_reason": False,
            "inputs": [],
            "failed_guards": [],
        }
    ]
    assert as_public.json() == []


async def test_call_kinds_describe_the_award_form_rubric_and_workflows(client: Client) -> None:
    response = await client.get("/api/v1/call-kinds")

    award = next(k for k in response.json() if k["kind"] == "educating-cities-award")
    assert award["kind"] == "educating-cities-award"
    assert award["anonymised"] is True
    assert [c["name"] for c in award["rubric"]["criteria"]] == [
        "relevance",
        "impact",
        "scope",
        "government_involvement",
        "participation",
        "innovation",
    ]
    assert [(lv["min"], lv["label"]["pt"]) for lv in award["rubric"]["levels"]] == [
        (0, "Insuficiente"),
        (3, "Limitado"),
        (5, "Bom"),
        (8, "Notável"),
    ]
    title = award["form"][0]
    assert (title["name"], title["multilingual"], title["label"]["fr"]) == (
        "title",
        True,
        "Titre de l'expérience",
    )
    assert [f["name"] for f in award["form"] if f["identifying"]] == [
        "contact_name",
        "contact_email",
        "website",
        "support_letter",
    ]
    assert award["workflows"]["submission"]["states"][0] == "draft"
