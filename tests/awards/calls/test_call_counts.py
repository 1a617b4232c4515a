"""Submissions counted by state on every call answer: all of them for the Secretariat; for
anyone else never the drafts, and nothing of the deliberation or of decisions before the
call is published (`awards.calls.disclosure`); in one query however many calls."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from awards.assembly import load_kinds
from awards.calls.disclosure import DECISION_GUARD, public_states
from awards.calls.service import CallService, NewCall
from awards.submissions.service import SubmissionService
from awards.transitions.actor import SYSTEM
from awards.transitions.guards import GUARDS
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review, counted_queries, draft
from harness.seeding import AWARD_TITLE

ROOT = Path(__file__).resolve().parents[3]
KINDS = load_kinds(ROOT / "config" / "calls")
BEFORE_DECISIONS = frozenset(
    {"submitted", "returned", "eligible", "ineligible", "in_review", "withdrawn"}
)


def test_the_decision_guard_is_a_guard_the_kinds_use() -> None:
    assert DECISION_GUARD in GUARDS


@pytest.mark.parametrize(
    ("kind", "public"),
    [
        ("educating-cities-award", BEFORE_DECISIONS | {"contested"}),
        ("congress-experiences", BEFORE_DECISIONS),
        ("congress-host-bid", BEFORE_DECISIONS),
        ("membership-scholarship", BEFORE_DECISIONS),
        ("aimf-femme-francophone", BEFORE_DECISIONS),
        ("aimf-gender-equality-prize", BEFORE_DECISIONS),
    ],
)
def test_before_publication_only_states_reached_without_a_decision_are_public(
    kind: str, public: frozenset[str]
) -> None:
    workflow = KINDS[kind].submission_workflow

    for call_state in ("open", "closed", "reviewing", "deciding"):
        assert public_states(workflow, call_state=call_state) == public
    assert public_states(workflow, call_state="published") == set(workflow.states) - {"draft"}


async def another_edition(runtime: Runtime, tokens: Tokens, edition: str) -> None:
    """A draft call of the award, `edition`, beside the open one."""
    await CallService(runtime).create(
        NewCall(
            kind="educating-cities-award",
            edition=edition,
            title=AWARD_TITLE,
            opens_at=datetime(2027, 1, 1, tzinfo=UTC),
            closes_at=datetime(2027, 3, 1, tzinfo=UTC),
            timezone="Europe/Madrid",
            languages=["en", "fr", "es", "pt"],
        ),
        actor=tokens.actors["secretariat"],
    )


async def test_call_answers_count_all_states_for_the_secretariat_and_public_ones_for_others(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await draft(runtime, open_award, tokens.actors["other_applicant"])
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    path = f"/api/v1/calls/{open_award}"
    deliberating = await client.post(
        f"{path}/transitions", json={"name": "deliberate"}, headers=tokens.secretariat
    )
    staff, service = tokens.actors["secretariat"], SubmissionService(runtime)
    await service.fire(ids["barcelona"][0], "shortlist", actor=staff)
    await service.fire(ids["city-1"][0], "award", actor=staff)

    deciding = {
        who: (await client.get(path, headers=headers)).json()["submissions_by_state"]
        for who, headers in (
            ("secretariat", tokens.secretariat),
            ("applicant", tokens.owner),
            ("juror", tokens.juror),
            ("anonymous", tokens.anonymous),
        )
    }
    listed = (await client.get("/api/v1/calls")).json()[0]["submissions_by_state"]
    published = await client.post(
        f"{path}/transitions", json={"name": "publish"}, headers=tokens.secretariat
    )
    after = (await client.get(path)).json()["submissions_by_state"]

    assert deliberating.json()["submissions_by_state"] == {"draft": 1, "in_review": 3}
    assert deciding == {
        "secretariat": {"draft": 1, "in_review": 1, "shortlisted": 1, "laureate": 1},
        "applicant": {"in_review": 1},
        "juror": {"in_review": 1},
        "anonymous": {"in_review": 1},
    }
    assert listed == {"in_review": 1}
    assert published.json()["state"] == "published"
    assert published.json()["submissions_by_state"] == deciding["secretariat"]
    assert after == {"in_review": 1, "shortlisted": 1, "laureate": 1}


async def test_a_call_configured_answers_with_its_counts(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    await draft(runtime, open_award, tokens.actors["owner"])
    version = (await client.get(f"/api/v1/calls/{open_award}")).json()["version"]

    configured = await client.patch(
        f"/api/v1/calls/{open_award}",
        json={"settings": {}, "version": version},
        headers=tokens.secretariat,
    )

    assert configured.json()["submissions_by_state"] == {"draft": 1}


async def test_the_command_line_lists_draft_calls_and_counts_drafts(
    runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    await draft(runtime, open_award, tokens.actors["owner"])
    await another_edition(runtime, tokens, "2028")

    listed = await CallService(runtime).visible(actor=SYSTEM)

    assert [(s.call.edition, s.call.state, dict(s.counts)) for s in listed] == [
        ("2028", "draft", {}),
        ("2026", "open", {"draft": 1}),
    ]


async def test_the_call_list_counts_every_call_in_one_query(
    runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    staff = tokens.actors["secretariat"]
    calls = CallService(runtime)
    await draft(runtime, open_award, tokens.actors["owner"])
    with counted_queries(runtime) as for_one:
        one = await calls.visible(actor=staff)
    for edition in ("2027", "2028"):
        await another_edition(runtime, tokens, edition)
    with counted_queries(runtime) as for_three:
        three = await calls.visible(actor=staff)

    assert [dict(summary.counts) for summary in one] == [{"draft": 1}]
    assert sorted(summary.call.edition for summary in three) == ["2026", "2027", "2028"]
    assert len(for_three) == len(for_one) == 2
