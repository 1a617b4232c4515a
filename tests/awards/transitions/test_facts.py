"""The facts a transition is decided on hold the peers the kind's rules read, and no more."""

from __future__ import annotations

import inspect

from awards.calls.service import CallService
from awards.db.tables import Call, Submission
from awards.submissions.service import SubmissionService
from awards.transitions.facts import guard_context
from awards.transitions.rules import PEERS_READ, RULE_TYPES
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, candidacies_in_review


async def peer_ids(runtime: Runtime, call_id: int, submission_id: int | None) -> list[int]:
    async with runtime.db.read() as session:
        call = await session.get(Call, call_id)
        assert call is not None
        submission = None if submission_id is None else await session.get(Submission, submission_id)
        context = await guard_context(session, runtime, call, submission)
    return [peer.id for peer in context.facts.peers]


async def test_facts_hold_the_organisations_submissions_and_those_in_counted_states_only(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=2)
    staff = tokens.actors["secretariat"]
    await CallService(runtime).fire(open_award, "deliberate", actor=staff)
    laureate = ids["city-1"][0]
    await SubmissionService(runtime).fire(laureate, "award", actor=staff)

    of_barcelona = await peer_ids(runtime, open_award, ids["barcelona"][0])
    of_call = await peer_ids(runtime, open_award, None)

    # city-2's candidacy, in review, is read by no rule of Barcelona's or of the call's.
    assert of_barcelona == sorted([*ids["barcelona"], laureate])
    assert of_call == [laureate]


def test_every_rule_type_that_reads_peers_declares_which() -> None:
    reading = {
        name
        for name, rule_type in RULE_TYPES.items()
        if "facts.peers" in inspect.getsource(rule_type.check)
    }

    assert reading == set(PEERS_READ)
