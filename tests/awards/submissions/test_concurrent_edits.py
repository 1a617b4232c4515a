"""Concurrent edits of one draft: exactly one wins, the others are told, nothing is lost."""

from __future__ import annotations

import asyncio

from awards.assembly import build_runtime
from awards.errors import Conflict
from awards.settings import Settings
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens


async def test_two_patches_with_the_same_version_one_wins_the_other_gets_409(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    draft = await client.post(
        f"/api/v1/calls/{open_award}/submissions", json={}, headers=tokens.owner
    )
    path = f"/api/v1/submissions/{draft.json()['id']}"

    first, second = await asyncio.gather(
        client.patch(
            path, json={"answers": {"contact_name": "Ada"}, "version": 1}, headers=tokens.owner
        ),
        client.patch(
            path,
            json={"answers": {"started_on": "2022-01-10"}, "version": 1},
            headers=tokens.secretariat,
        ),
    )

    assert sorted([first.status_code, second.status_code]) == [200, 409]
    winner, loser = (first, second) if first.status_code == 200 else (second, first)
    assert loser.json()["extra"] == {"version": 2}
    stored = await client.get(path, headers=tokens.owner)
    assert stored.json()["version"] == 2
    assert stored.json()["answers"] == winner.json()["answers"]


async def test_ten_writers_on_their_own_connections_one_wins_none_overwrites(
    settings: Settings, clock: MovableClock, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    owner = tokens.actors["owner"]
    draft = await SubmissionService(runtime).create(open_award, {}, actor=owner)
    assert draft.id is not None
    draft_id = draft.id
    writers = [build_runtime(settings, clock=clock, pooled=False) for _ in range(10)]

    async def edit(number: int, writer: Runtime) -> int | None:
        try:
            await SubmissionService(writer).edit(
                draft_id, {"contact_name": f"Writer {number}"}, version=1, actor=owner
            )
        except Conflict:
            return None
        return number

    try:
        outcomes = await asyncio.gather(*(edit(n, w) for n, w in enumerate(writers)))
    finally:
        for writer in writers:
            await writer.close()

    winners = [n for n in outcomes if n is not None]
    assert len(winners) == 1
    stored = await SubmissionService(runtime).get(draft_id, actor=owner)
    assert (stored.version, stored.answers) == (2, {"contact_name": f"Writer {winners[0]}"})
