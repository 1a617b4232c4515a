"""A request whose write transaction loses to a concurrent one (a deadlock PostgreSQL broke)
is run again and succeeds; one that keeps losing answers 503 with `Retry-After`, never 500.

The loss is forced: the app's engine fails the draft's update as PostgreSQL fails a deadlock's
victim (SQLSTATE 40P01), a given number of times.
"""

from __future__ import annotations

import pytest

from awards.http.retries import ATTEMPTS
from conftest import Client, Tokens, deadlocking_updates


async def new_draft(client: Client, tokens: Tokens, call_id: int) -> str:
    created = await client.post(
        f"/api/v1/calls/{call_id}/submissions", json={}, headers=tokens.owner
    )
    assert created.status_code == 201, created.text
    return f"/api/v1/submissions/{created.json()['id']}"


@pytest.mark.parametrize("losses", [1, ATTEMPTS - 1])
async def test_an_edit_that_lost_to_a_deadlock_is_run_again_and_saved_once(
    client: Client, tokens: Tokens, open_award: int, losses: int
) -> None:
    path = await new_draft(client, tokens, open_award)

    with deadlocking_updates(client, losses) as failed:
        edited = await client.patch(
            path, json={"answers": {"contact_name": "Ada"}, "version": 1}, headers=tokens.owner
        )

    assert len(failed) == losses
    assert edited.status_code == 200, edited.text
    stored = (await client.get(path, headers=tokens.owner)).json()
    assert (stored["version"], stored["answers"]) == (2, {"contact_name": "Ada"})


async def test_an_edit_that_keeps_losing_answers_503_to_try_again_and_changes_nothing(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    path = await new_draft(client, tokens, open_award)

    with deadlocking_updates(client, ATTEMPTS + 1) as failed:
        edited = await client.patch(
            path, json={"answers": {"contact_name": "Ada"}, "version": 1}, headers=tokens.owner
        )

    assert len(failed) == ATTEMPTS
    assert edited.status_code == 503
    assert edited.headers["retry-after"] == "1"
    assert edited.json() == {
        "status_code": 503,
        "detail": "the change met a concurrent one and was not made: try again",
        "extra": {},
    }
    stored = (await client.get(path, headers=tokens.owner)).json()
    assert (stored["version"], stored["answers"]) == (1, {})
