"""An open call's dates moved through the API, as its page moves them (`awards.calls.
rescheduling`): a later deadline tells the organisations with a draft; a refused move names the
date at fault and its code, and moves nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import col

from awards.db.tables import OutboxMessage
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens, draft


async def dates_of(client: Client, call: int, tokens: Tokens) -> dict[str, object]:
    found = (await client.get(f"/api/v1/calls/{call}", headers=tokens.secretariat)).json()
    return {
        "opens_at": found["opens_at"],
        "closes_at": found["closes_at"],
        "version": found["version"],
    }


async def test_a_later_deadline_moves_and_the_drafts_are_told(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    await draft(runtime, open_award, tokens.actors["owner"])
    before = await dates_of(client, open_award, tokens)
    later = datetime.fromisoformat(str(before["closes_at"])) + timedelta(days=14)

    moved = await client.put(
        f"/api/v1/calls/{open_award}/dates",
        json=before | {"closes_at": later.isoformat()},
        headers=tokens.secretariat,
    )

    assert moved.status_code == 200, moved.text
    assert moved.json() == {
        "moved": ["closes_at"],
        "drafts_told": 1,
        "version": int(str(before["version"])) + 1,
    }
    after = await dates_of(client, open_award, tokens)
    assert datetime.fromisoformat(str(after["closes_at"])) == later
    async with runtime.db.read() as session:
        told = await session.scalars(
            select(col(OutboxMessage.recipient)).where(
                col(OutboxMessage.template) == "deadline_moved"
            )
        )
        assert list(told) == ["mayor@barcelona.test"]


async def test_a_refused_move_names_the_date_and_moves_nothing(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    before = await dates_of(client, open_award, tokens)
    path = f"/api/v1/calls/{open_award}/dates"
    opens = datetime.fromisoformat(str(before["opens_at"]))
    stale_version = int(str(before["version"])) + 5

    past = await client.put(
        path,
        json=before | {"closes_at": (opens - timedelta(days=400)).isoformat()},
        headers=tokens.secretariat,
    )
    same = await client.put(path, json=before, headers=tokens.secretariat)
    no_offset = await client.put(
        path, json=before | {"closes_at": "2030-01-01T12:00:00"}, headers=tokens.secretariat
    )
    stale = await client.put(
        path,
        json=before
        | {"closes_at": (opens + timedelta(days=90)).isoformat(), "version": stale_version},
        headers=tokens.secretariat,
    )

    assert (past.status_code, past.json()["extra"]) == (422, {"field": "closes_at", "code": "past"})
    assert (same.status_code, same.json()["extra"]["code"]) == (422, "same")
    assert (no_offset.status_code, no_offset.json()["extra"]) == (422, {"field": "closes_at"})
    assert stale.status_code == 409, stale.text
    assert await dates_of(client, open_award, tokens) == before
