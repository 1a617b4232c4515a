"""Drafts and submits of one call at once, each on its own connections: every one succeeds.

On PostgreSQL a new draft tries its pseudonym against the call's unique index, which waits for
any transaction that touched a row with that pseudonym: a concurrent submit. Were the draft to
hold the call's audit lock meanwhile (the submit waits for that lock to audit), the two would
deadlock and the request would fail.
"""

from __future__ import annotations

import asyncio

import pytest

from awards.assembly import build_runtime
from awards.jury import pseudonyms
from awards.settings import Settings
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import POSTGRES_URL, MovableClock, draft
from harness.seeding import applicant, city, complete_answers, open_award_call, secretariat

CITIES = 12


def colliding_pseudonym(secret: str, *, prefix: str, attempt: int, **_: object) -> str:
    """Every submission's n-th candidate is the same: each new draft meets every taken one."""
    return f"{prefix}-{attempt}"


@pytest.mark.skipif(not POSTGRES_URL, reason="AWARDS_TEST_DATABASE_URL is not set")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has one writer
async def test_drafts_and_submits_of_one_call_at_once_all_succeed(
    settings: Settings, clock: MovableClock, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pseudonyms, "pseudonym", colliding_pseudonym)
    call_id = await open_award_call(runtime, await secretariat(runtime), opens_at=clock())
    actors: list[Actor] = [
        await applicant(runtime, clock, city(f"City {number}")) for number in range(CITIES)
    ]
    drafts = [await draft(runtime, call_id, actor) for actor in actors]
    writers = [build_runtime(settings, clock=clock, pooled=False) for _ in range(2 * CITIES)]

    async def submit(writer: Runtime, submission_id: int, actor: Actor) -> str:
        submitted = await SubmissionService(writer).fire(submission_id, "submit", actor=actor)
        return submitted.state

    async def start(writer: Runtime, actor: Actor) -> str:
        created = await SubmissionService(writer).create(call_id, complete_answers(), actor=actor)
        return created.pseudonym

    try:
        outcomes = await asyncio.gather(
            *(submit(writers[n], drafts[n], actors[n]) for n in range(CITIES)),
            *(start(writers[CITIES + n], actors[n]) for n in range(CITIES)),
            return_exceptions=True,
        )
    finally:
        for writer in writers:
            await writer.close()

    states, labels = outcomes[:CITIES], outcomes[CITIES:]
    assert states == ["submitted"] * CITIES
    taken = [f"ECA26-{attempt}" for attempt in range(CITIES)]
    assert sorted(labels, key=str) == sorted(
        (f"ECA26-{attempt}" for attempt in range(CITIES, 2 * CITIES)), key=str
    )
    assert not set(labels) & set(taken)
