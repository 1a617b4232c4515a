"""One candidacy over HTTP from draft to laureate, tried as every role at every step."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from awards.db.tables import AuditEntry, OutboxMessage, Submission
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, award_call
from harness.seeding import complete_answers


async def fire(
    client: Client, path: str, name: str, headers: dict[str, str], reason: str | None = None
) -> Any:
    return await client.post(
        f"{path}/transitions", json={"name": name, "reason": reason}, headers=headers
    )


async def assert_refused_to_all_but(
    client: Client, tokens: Tokens, path: str, name: str, allowed: str
) -> None:
    """Every other role is refused: anonymous with 401, signed-in users with 403, and 404 for
    a submission they have no role on (another city, a juror off the panel): a refusal would
    tell them it exists."""
    hidden = ("other_applicant", "juror") if "/submissions/" in path else ()
    for who in ("anonymous", "owner", "other_applicant", "juror", "secretariat"):
        if who == allowed:
            continue
        response = await fire(client, path, name, getattr(tokens, who), reason="trying")
        expected = 401 if who == "anonymous" else 404 if who in hidden else 403
        assert response.status_code == expected, (who, name, response.text)


async def open_call(client: Client, tokens: Tokens, clock: MovableClock) -> int:
    created = await client.post("/api/v1/calls", json=award_call(clock), headers=tokens.secretariat)
    assert created.status_code == 201, created.text
    call_id: int = created.json()["id"]
    opened = await fire(client, f"/api/v1/calls/{call_id}", "open", tokens.secretariat)
    assert opened.json()["state"] == "open"
    return call_id


async def test_candidacy_goes_from_draft_to_laureate_and_only_the_right_roles_move_it(
    client: Client, tokens: Tokens, clock: MovableClock, runtime: Runtime
) -> None:
    call_id = await open_call(client, tokens, clock)
    call = f"/api/v1/calls/{call_id}"

    draft = await client.post(f"{call}/submissions", json={"answers": {}}, headers=tokens.owner)
    assert draft.status_code == 201
    submission = f"/api/v1/submissions/{draft.json()['id']}"
    for who in ("secretariat", "juror"):
        refused = await client.post(f"{call}/submissions", json={}, headers=getattr(tokens, who))
        assert refused.status_code == 403
    assert (await client.post(f"{call}/submissions", json={})).status_code == 401

    edited = await client.patch(
        submission, json={"answers": complete_answers(), "version": 1}, headers=tokens.owner
    )
    assert edited.status_code == 200
    assert edited.json()["version"] == 2

    await assert_refused_to_all_but(client, tokens, submission, "submit", allowed="owner")
    submitted = await fire(client, submission, "submit", tokens.owner)
    assert submitted.json()["state"] == "submitted"

    await assert_refused_to_all_but(
        client, tokens, submission, "mark_eligible", allowed="secretariat"
    )
    eligible = await fire(client, submission, "mark_eligible", tokens.secretariat)
    assert eligible.json()["state"] == "eligible"

    early = await fire(client, submission, "start_review", tokens.secretariat)
    assert early.status_code == 409
    assert early.json()["extra"]["failed_guards"] == [
        {
            "guard": "call_reviewing",
            "code": "call_not_in_state",
            "reason": "the call is open, not reviewing",
        }
    ]
    for step in ("close", "start_review"):
        await assert_refused_to_all_but(client, tokens, call, step, allowed="secretariat")
        assert (await fire(client, call, step, tokens.secretariat)).status_code == 200

    await assert_refused_to_all_but(
        client, tokens, submission, "start_review", allowed="secretariat"
    )
    in_review = await fire(client, submission, "start_review", tokens.secretariat)
    assert in_review.json()["state"] == "in_review"

    too_soon = await fire(client, submission, "award", tokens.secretariat)
    assert too_soon.status_code == 409
    assert too_soon.json()["extra"] == {
        "transition": "award",
        "state": "in_review",
        "refusal": "guards_failed",
        "failed_guards": [
            {
                "guard": "call_deciding",
                "code": "call_not_in_state",
                "reason": "the call is reviewing, not deciding",
            }
        ],
    }
    await fire(client, call, "deliberate", tokens.secretariat)
    await assert_refused_to_all_but(client, tokens, submission, "award", allowed="secretariat")
    laureate = await fire(client, submission, "award", tokens.secretariat)
    assert laureate.json()["state"] == "laureate"

    history = await client.get(f"{submission}/history", headers=tokens.owner)
    assert [(h["transition"], h["from_state"], h["to_state"]) for h in history.json()] == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("mark_eligible", "submitted", "eligible"),
        ("start_review", "eligible", "in_review"),
        ("award", "in_review", "laureate"),
    ]
    for who in ("other_applicant", "juror"):
        assert (
            await client.get(f"{submission}/history", headers=getattr(tokens, who))
        ).status_code == 404

    async with runtime.db.read() as session:
        mails = list(await session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id))))
    assert [(m.template, m.recipient, m.language) for m in mails] == [
        ("submission_received", "mayor@barcelona.test", "es"),
        ("found_eligible", "mayor@barcelona.test", "es"),
        ("result", "mayor@barcelona.test", "es"),
    ]
    assert mails[0].subject == (
        f"Candidatura {draft.json()['id']} recibida: Premio Ciudades Educadoras 2026"
    )
    receipt = mails[0].body_text  # the answers as the city reads them, in its language
    assert "- Eje temático: Vida cultural y comunitaria" in receipt
    assert "Schools open to the neighbourhood (es)" in receipt
    for raw in ("focus_area", "cultural_community_life", "{'", "(en)"):
        assert raw not in receipt
    assert "Resultado: ganadora" in mails[2].body_text


async def test_transition_from_the_wrong_state_is_refused_and_changes_nothing(
    client: Client, tokens: Tokens, clock: MovableClock, runtime: Runtime
) -> None:
    call_id = await open_call(client, tokens, clock)
    draft = await client.post(
        f"/api/v1/calls/{call_id}/submissions",
        json={"answers": complete_answers()},
        headers=tokens.owner,
    )
    submission = f"/api/v1/submissions/{draft.json()['id']}"

    refused = await fire(client, submission, "mark_eligible", tokens.secretariat)

    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        f"submission {draft.json()['id']}: cannot mark_eligible from draft"
    )
    assert refused.json()["extra"]["refusal"] == "wrong_state"
    after = await client.get(submission, headers=tokens.owner)
    assert (after.json()["state"], after.json()["version"]) == ("draft", 1)
    async with runtime.db.read() as session:
        audits = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(col(AuditEntry.submission_id) == draft.json()["id"])
        )
    assert audits == 1


async def test_incomplete_candidacy_cannot_be_submitted_and_names_the_missing_fields(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    call_id = await open_call(client, tokens, clock)
    answers = complete_answers()
    del answers["contact_email"]
    answers["title"] = {"en": " "}  # written in one language, but blank in it
    draft = await client.post(
        f"/api/v1/calls/{call_id}/submissions", json={"answers": answers}, headers=tokens.owner
    )

    options = await client.get(
        f"/api/v1/submissions/{draft.json()['id']}/transitions", headers=tokens.owner
    )
    refused = await fire(
        client, f"/api/v1/submissions/{draft.json()['id']}", "submit", tokens.owner
    )

    reason = "required fields are missing: title, contact_email"
    assert options.json()[0] == {
        "name": "submit",
        "to": "submitted",
        "allowed": False,
        "requires_reason": False,
        "inputs": [],
        "failed_guards": [
            {"guard": "answers_complete", "code": "answers_missing", "reason": reason}
        ],
    }
    assert refused.status_code == 409
    assert refused.json()["extra"]["failed_guards"] == [
        {"guard": "answers_complete", "code": "answers_missing", "reason": reason}
    ]


async def test_ineligible_needs_a_reason_and_the_applicant_reads_it(
    client: Client, tokens: Tokens, clock: MovableClock, runtime: Runtime
) -> None:
    call_id = await open_call(client, tokens, clock)
    draft = await client.post(
        f"/api/v1/calls/{call_id}/submissions",
        json={"answers": complete_answers()},
        headers=tokens.owner,
    )
    submission = f"/api/v1/submissions/{draft.json()['id']}"
    await fire(client, submission, "submit", tokens.owner)

    silent = await fire(client, submission, "mark_ineligible", tokens.secretariat)
    explained = await fire(
        client,
        submission,
        "mark_ineligible",
        tokens.secretariat,
        reason="membership fees for 2025 are unpaid",
    )

    assert silent.status_code == 409
    assert silent.json()["extra"]["refusal"] == "reason_missing"
    assert explained.json()["state"] == "ineligible"
    history = await client.get(f"{submission}/history", headers=tokens.owner)
    assert history.json()[-1]["reason"] == "membership fees for 2025 are unpaid"
    async with runtime.db.read() as session:
        mail = await session.scalar(
            select(OutboxMessage).where(col(OutboxMessage.template) == "found_ineligible")
        )
    assert mail is not None
    assert "Motivo: membership fees for 2025 are unpaid" in mail.body_text


async def test_unknown_transition_is_422_naming_the_field(
    client: Client, tokens: Tokens, clock: MovableClock
) -> None:
    call_id = await open_call(client, tokens, clock)

    response = await fire(client, f"/api/v1/calls/{call_id}", "explode", tokens.secretariat)

    assert response.status_code == 422
    assert response.json() == {
        "status_code": 422,
        "detail": f"call {call_id}: no transition 'explode'",
        "extra": {"field": "name"},
    }


async def test_submission_rows_are_not_readable_by_other_cities(
    client: Client, tokens: Tokens, clock: MovableClock, runtime: Runtime
) -> None:
    call_id = await open_call(client, tokens, clock)
    draft = await client.post(f"/api/v1/calls/{call_id}/submissions", json={}, headers=tokens.owner)
    submission = f"/api/v1/submissions/{draft.json()['id']}"

    for who, status in (
        ("other_applicant", 404),
        ("juror", 404),
        ("anonymous", 401),
        ("secretariat", 200),
        ("owner", 200),
    ):
        assert (await client.get(submission, headers=getattr(tokens, who))).status_code == status, (
            who
        )
    patched = await client.patch(
        submission,
        json={"answers": {"focus_area": "lifelong_education"}, "version": 1},
        headers=tokens.other_applicant,
    )
    assert patched.status_code == 404
    async with runtime.db.read() as session:
        stored = await session.get(Submission, draft.json()["id"])
    assert stored is not None
    assert stored.answers == {}
