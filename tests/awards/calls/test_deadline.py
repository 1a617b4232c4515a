"""Deadlines are instants in the call's time zone, enforced to the second on the server."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import Client, MovableClock, Tokens, award_call
from harness.seeding import complete_answers

MADRID = ZoneInfo("Europe/Madrid")
DEADLINE = datetime(2025, 10, 15, 23, 59, 59, tzinfo=MADRID)


async def _call_closing_at_deadline(client: Client, tokens: Tokens, clock: MovableClock) -> int:
    body = award_call(clock, closes_at=DEADLINE.isoformat())
    created = await client.post("/api/v1/calls", json=body, headers=tokens.secretariat)
    call_id: int = created.json()["id"]
    await client.post(
        f"/api/v1/calls/{call_id}/transitions", json={"name": "open"}, headers=tokens.secretariat
    )
    return call_id


async def _draft(client: Client, tokens: Tokens, call_id: int) -> str:
    draft = await client.post(
        f"/api/v1/calls/{call_id}/submissions",
        json={"answers": complete_answers()},
        headers=tokens.owner,
    )
    return f"/api/v1/submissions/{draft.json()['id']}"


async def test_submit_one_second_before_the_deadline_is_accepted(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    call_id = await _call_closing_at_deadline(client, tokens, clock)
    submission = await _draft(client, tokens, call_id)
    clock.now = DEADLINE - timedelta(seconds=1)

    response = await client.post(
        f"{submission}/transitions", json={"name": "submit"}, headers=tokens.owner
    )

    assert response.status_code == 200
    assert response.json()["state"] == "submitted"


async def test_submit_after_the_deadline_is_refused_with_the_local_deadline_as_reason(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    call_id = await _call_closing_at_deadline(client, tokens, clock)
    submission = await _draft(client, tokens, call_id)
    clock.now = DEADLINE + timedelta(seconds=1)

    response = await client.post(
        f"{submission}/transitions", json={"name": "submit"}, headers=tokens.owner
    )

    assert response.status_code == 409
    assert response.json()["extra"]["failed_guards"] == [
        {
            "guard": "call_accepting_submissions",
            "code": "call_closed",
            "reason": "the call closed at 2025-10-15 23:59 Europe/Madrid",
        }
    ]
    after = await client.get(submission, headers=tokens.owner)
    assert after.json()["state"] == "draft"


async def test_a_new_draft_after_the_deadline_is_refused_with_the_reason(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    call_id = await _call_closing_at_deadline(client, tokens, clock)
    clock.now = DEADLINE + timedelta(minutes=5)

    response = await client.post(
        f"/api/v1/calls/{call_id}/submissions", json={}, headers=tokens.owner
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"cannot start a submission in call {call_id}: "
        "the call closed at 2025-10-15 23:59 Europe/Madrid"
    )


async def test_a_call_cannot_open_once_its_deadline_has_passed(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    body = award_call(clock, closes_at=DEADLINE.isoformat())
    created = await client.post("/api/v1/calls", json=body, headers=tokens.secretariat)
    clock.now = DEADLINE + timedelta(seconds=1)

    response = await client.post(
        f"/api/v1/calls/{created.json()['id']}/transitions",
        json={"name": "open"},
        headers=tokens.secretariat,
    )

    assert response.status_code == 409
    assert response.json()["extra"]["failed_guards"] == [
        {
            "guard": "deadline_ahead",
            "code": "deadline_passed",
            "reason": "the deadline 2025-10-15 23:59 Europe/Madrid has passed",
        }
    ]
