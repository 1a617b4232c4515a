"""Jurors' time over the API: a round's deadline, accepting and declining assignments, the
worker's reminders before the deadline (once, even with two workers), who is late."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import col

from awards.assembly import DUTIES, build_runtime
from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.db.tables import OutboxMessage
from awards.notify.delivery import DeliveryPolicy
from awards.notify.worker import Turn
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review

JURORS = {"ana@jury.test": "fr", "ben@jury.test": "es", "chloe@jury.test": "pt"}
FULL = dict.fromkeys(
    ("relevance", "impact", "scope", "government_involvement", "participation", "innovation"), 7
)


async def jury(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, call_id: int
) -> dict[str, dict[str, str]]:
    """Ana and Ben assigned every candidacy of the preselection; each juror's headers."""
    headers = {}
    for email, locale in JURORS.items():
        await add_user(runtime.db, email, role="juror", name=email[:3], locale=locale, now=clock())
        headers[email] = {
            "Authorization": f"Bearer {await issue_token(runtime.db, email, now=clock())}"
        }
    await candidacies_in_review(runtime, clock, tokens, call_id, cities=1)
    call = f"/api/v1/calls/{call_id}"
    two = {"jurors": ["ana@jury.test", "ben@jury.test"]}
    assert (await client.put(f"{call}/panel", json=two, headers=tokens.secretariat)).is_success
    assert (
        await client.post(f"{call}/assignments", json={}, headers=tokens.secretariat)
    ).is_success
    return headers


async def assignments(client: Client, headers: dict[str, str]) -> dict[str, int]:
    """The juror's active assignments: pseudonym -> id."""
    listed = (await client.get("/api/v1/jury/assignments", headers=headers)).json()
    return {item["pseudonym"]: item["id"] for item in listed}


async def reminders(runtime: Runtime) -> list[tuple[str, str, str]]:
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(col(OutboxMessage.template) == "review_reminder")
            .order_by(col(OutboxMessage.recipient))
        )
        return [(m.recipient, m.language, m.subject) for m in rows]


async def worker_turn(runtime: Runtime) -> None:
    """What `awards worker` does before delivering, once."""
    turn = Turn(runtime, "test", DeliveryPolicy(), None)
    for duty in DUTIES:
        await duty(turn)


async def test_declining_an_assignment_gives_it_to_another_allowed_juror(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    headers = await jury(client, runtime, clock, tokens, open_award)
    panel = {"jurors": list(JURORS)}
    await client.put(f"/api/v1/calls/{open_award}/panel", json=panel, headers=tokens.secretariat)
    ana = await assignments(client, headers["ana@jury.test"])
    (first, kept), second = sorted(ana.items())[0], sorted(ana.items())[1]

    accepted = await client.post(
        f"/api/v1/jury/assignments/{second[1]}/accept", headers=headers["ana@jury.test"]
    )
    declined = await client.post(
        f"/api/v1/jury/assignments/{kept}/decline",
        json={"reason": "Away in January"},
        headers=headers["ana@jury.test"],
    )
    too_late = await client.post(
        f"/api/v1/jury/assignments/{second[1]}/decline", json={}, headers=headers["ana@jury.test"]
    )
    chloe = list(await assignments(client, headers["chloe@jury.test"]))
    again = await client.post(
        f"/api/v1/calls/{open_award}/assignments", json={}, headers=tokens.secretariat
    )

    assert accepted.status_code == 200, accepted.text
    assert declined.json() == {"reassigned": True}
    assert chloe == [first]
    assert again.json() == {"round": "preselection", "created": 2, "short": {}}
    assert first not in await assignments(client, headers["ana@jury.test"])
    assert too_late.status_code == 409
    assert too_late.json()["detail"] == (
        f"assignment {second[1]} was accepted: to step down, declare a conflict of interest"
    )
    async with runtime.db.read() as session:
        told = await session.scalar(
            select(OutboxMessage).where(
                col(OutboxMessage.template) == "juror_assigned",
                col(OutboxMessage.recipient) == "chloe@jury.test",
            )
        )
    assert told is not None and first in told.body_text


async def test_reminders_go_once_before_the_deadline_in_each_jurors_language(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    headers = await jury(client, runtime, clock, tokens, open_award)
    for assignment in (await assignments(client, headers["ben@jury.test"])).values():
        final = {"scores": FULL, "comment": "ok", "final": True}
        saved = await client.put(
            f"/api/v1/jury/assignments/{assignment}/review",
            json=final,
            headers=headers["ben@jury.test"],
        )
        assert saved.status_code == 200, saved.text
    review_by = clock() + timedelta(days=10)
    deadline = await client.put(
        f"/api/v1/calls/{open_award}/rounds/preselection/deadline",
        json={"review_by": review_by.isoformat(), "reminder_days": [1, 7]},
        headers=tokens.secretariat,
    )
    other = build_runtime(runtime.settings, clock=clock, pooled=False)

    await worker_turn(runtime)
    before = await reminders(runtime)
    clock.advance(timedelta(days=3, minutes=1))
    try:
        await asyncio.gather(worker_turn(runtime), worker_turn(other))
    finally:
        await other.close()
    await worker_turn(runtime)
    week = await reminders(runtime)
    clock.advance(timedelta(days=6))
    await worker_turn(runtime)
    await worker_turn(runtime)

    assert deadline.json()["reminder_days"] == [7, 1]
    assert before == []
    assert week == [
        (
            "ana@jury.test",
            "fr",
            "Évaluations attendues pour le 2025-09-11 12:00 Europe/Madrid : "
            "Prix Villes éducatrices 2026",
        )
    ]
    assert await reminders(runtime) == week * 2
    async with runtime.db.read() as session:
        bodies = list(
            await session.scalars(
                select(col(OutboxMessage.body_text)).where(
                    col(OutboxMessage.template) == "review_reminder"
                )
            )
        )
    assert "3 de vos évaluations du tour Présélection" in bodies[0]
    assert "dans 7 jour(s)" in bodies[0] and "dans 1 jour(s)" in bodies[1]


async def test_the_late_list_names_the_jurors_past_the_deadline_with_reviews_left(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    headers = await jury(client, runtime, clock, tokens, open_award)
    ben = await assignments(client, headers["ben@jury.test"])
    first = next(iter(ben.values()))
    await client.put(
        f"/api/v1/jury/assignments/{first}/review",
        json={"scores": FULL, "comment": "ok", "final": True},
        headers=headers["ben@jury.test"],
    )
    await client.put(
        f"/api/v1/calls/{open_award}/rounds/preselection/deadline",
        json={"review_by": (clock() + timedelta(days=2)).isoformat()},
        headers=tokens.secretariat,
    )
    late = f"/api/v1/calls/{open_award}/late-reviews"
    on_time = (await client.get(late, headers=tokens.secretariat)).json()
    clock.advance(timedelta(days=2, seconds=1))

    after = (await client.get(late, headers=tokens.secretariat)).json()

    assert on_time == []
    assert [(j["email"], j["round"], j["pending"]) for j in after] == [
        ("ana@jury.test", "preselection", 3),
        ("ben@jury.test", "preselection", 2),
    ]
    assert after[0]["review_by"] == "2025-09-03T10:00:00Z"


async def test_declining_an_assignment_in_a_closed_round_is_refused_with_the_reason(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    headers = await jury(client, runtime, clock, tokens, open_award)
    ana = await assignments(client, headers["ana@jury.test"])
    closed = await client.post(
        f"/api/v1/calls/{open_award}/rounds/preselection/close", headers=tokens.secretariat
    )
    assignment = sorted(ana.values())[0]

    declined = await client.post(
        f"/api/v1/jury/assignments/{assignment}/decline", json={}, headers=headers["ana@jury.test"]
    )

    assert closed.is_success, closed.text
    assert declined.status_code == 409
    assert declined.json()["detail"] == (
        f"round preselection of call {open_award} is closed: its assignments can no longer be "
        "declined"
    )
    assert await assignments(client, headers["ana@jury.test"]) == ana
