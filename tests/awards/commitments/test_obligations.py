"""A laureate's agreement and reports after the decision: due dates in the call's time zone,
signing with who and when, a report sent, returned with a reason, sent again and accepted,
a due date extended; each step audited, the laureate mailed in its language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.commitments.obligations import (
    accept_report,
    extend_due_date,
    return_report,
    send_report,
    sign_agreement,
)
from awards.commitments.refusals import CommitmentRefused
from awards.commitments.views import laureate_overview
from awards.db.tables import AuditEntry, Obligation, OutboxMessage
from awards.errors import Conflict, Forbidden, Invalid
from awards.privacy.erasure import erase_person
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens
from harness.laureates import Prize, decided_prize

INTERIM = {"progress": "Forty women trained as masons."}
VALUES = {"women_reached": "412", "grant_spent": "37.5"}


@pytest.fixture
async def prize(runtime: Runtime, clock: MovableClock, tokens: Tokens) -> Prize:
    return await decided_prize(runtime, clock, tokens.actors["secretariat"])


async def history(runtime: Runtime, submission_id: int) -> list[tuple[str, str | None]]:
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(AuditEntry)
            .where(col(AuditEntry.submission_id) == submission_id)
            .order_by(col(AuditEntry.id))
        )
        return [(row.transition, row.reason) for row in rows][-4:]


async def test_the_decision_opens_an_agreement_and_reports_due_in_the_calls_time_zone(
    runtime: Runtime, prize: Prize
) -> None:
    # Decided on 2025-09-11 at 10:01 UTC, 12:01 in Paris.
    seen = await laureate_overview(runtime, prize.laureates[0], actor=prize.applicants[0])

    assert [(s.obligation.name, s.obligation.state, s.obligation.due_on) for s in seen.steps] == [
        ("agreement", "due", date(2025, 10, 11)),
        ("interim", "due", date(2026, 3, 11)),
        ("final", "due", date(2026, 9, 11)),
    ]
    # Late from the end of the day in Paris (CEST, UTC+2), not in UTC.
    assert seen.steps[0].late_from == datetime(2025, 10, 11, 22, 0, tzinfo=UTC)
    assert not seen.late


async def test_signing_the_agreement_keeps_who_and_when_and_is_audited(
    runtime: Runtime, prize: Prize, clock: MovableClock
) -> None:
    laureate, applicant = prize.laureates[0], prize.applicants[0]

    signed = await sign_agreement(runtime, laureate, actor=applicant)

    assert (signed.state, signed.sent_by, signed.sent_at) == ("signed", applicant.id, clock())
    assert (await history(runtime, laureate))[-1] == (
        "sign:agreement",
        "signed by applicant@dakar.test",
    )
    with pytest.raises(CommitmentRefused) as again:
        await sign_agreement(runtime, laureate, actor=applicant)
    assert again.value.extra["code"] == "not_due"


async def test_only_the_laureate_signs_and_only_it_and_the_secretariat_read(
    runtime: Runtime, prize: Prize, tokens: Tokens
) -> None:
    with pytest.raises(Forbidden):
        await sign_agreement(runtime, prize.laureates[0], actor=prize.staff)
    with pytest.raises(Forbidden):
        await laureate_overview(runtime, prize.laureates[0], actor=prize.applicants[1])
    with pytest.raises(Forbidden):
        await accept_report(runtime, prize.laureates[0], "interim", actor=prize.applicants[0])


async def test_a_report_returned_with_a_reason_is_sent_again_and_accepted(
    runtime: Runtime, prize: Prize
) -> None:
    laureate, applicant, staff = prize.laureates[1], prize.applicants[1], prize.staff
    await send_report(
        runtime, laureate, "interim", answers=INTERIM, indicators=VALUES, version=1, actor=applicant
    )

    returned = await return_report(
        runtime, laureate, "interim", reason="Chiffrez les dépenses par poste.", actor=staff
    )
    with pytest.raises(Conflict):  # the report changed since version 1 was read
        await send_report(
            runtime,
            laureate,
            "interim",
            answers=INTERIM,
            indicators=VALUES,
            version=1,
            actor=applicant,
        )
    resent = await send_report(
        runtime,
        laureate,
        "interim",
        answers={**INTERIM, "difficulties": "Cement prices doubled."},
        indicators={**VALUES, "grant_spent": "41.25"},
        version=returned.version,
        actor=applicant,
    )
    accepted = await accept_report(runtime, laureate, "interim", actor=staff)

    assert (returned.state, returned.note) == ("returned", "Chiffrez les dépenses par poste.")
    assert (resent.state, resent.note, resent.indicators) == (
        "sent",
        None,
        {"women_reached": "412", "grant_spent": "41.25"},
    )
    assert accepted.state == "accepted"
    assert await history(runtime, laureate) == [
        ("send:interim", None),
        ("return:interim", "Chiffrez les dépenses par poste."),
        ("send:interim", None),
        ("accept:interim", None),
    ]
    async with runtime.db.read() as session:
        mail = await session.scalar(
            select(OutboxMessage).where(col(OutboxMessage.template) == "commitment_returned")
        )
    assert mail is not None
    assert (mail.recipient, mail.language) == ("applicant@union-des-villes-du-benin.test", "fr")
    assert mail.subject == "Renvoyé pour modifications : Rapport intermédiaire"
    assert "Motif : Chiffrez les dépenses par poste." in mail.body_text
    assert f"/my/submissions/{laureate}/commitments" in mail.body_text
    with pytest.raises(CommitmentRefused) as twice:
        await accept_report(runtime, laureate, "interim", actor=staff)
    assert (
        twice.value.extra["reason"] == "interim is accepted: there is nothing to accept or return"
    )


@pytest.mark.parametrize(
    ("answers", "values", "field"),
    [
        ({}, VALUES, "progress"),
        (INTERIM, {"women_reached": "412"}, "grant_spent"),
        (INTERIM, {**VALUES, "women_reached": "many"}, "women_reached"),
        (INTERIM, {**VALUES, "budget": "3"}, "budget"),
    ],
)
async def test_a_report_without_its_answers_or_indicator_values_is_refused_naming_the_field(
    runtime: Runtime, prize: Prize, answers: dict[str, str], values: dict[str, str], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        await send_report(
            runtime,
            prize.laureates[0],
            "interim",
            answers=answers,
            indicators=values,
            version=1,
            actor=prize.applicants[0],
        )

    assert refused.value.extra["field"] == field


async def test_the_secretariat_extends_a_due_date_with_a_reason_and_the_laureate_is_told(
    runtime: Runtime, prize: Prize
) -> None:
    laureate = prize.laureates[2]

    moved = await extend_due_date(
        runtime,
        laureate,
        "agreement",
        due_on=date(2025, 11, 15),
        reason="Le conseil d'administration se réunit en novembre.",
        actor=prize.staff,
    )
    with pytest.raises(Invalid):
        await extend_due_date(
            runtime, laureate, "agreement", due_on=date(2025, 11, 1), reason="x", actor=prize.staff
        )

    assert moved.due_on == date(2025, 11, 15)
    assert (await history(runtime, laureate))[-1] == (
        "extend:agreement",
        "2025-10-11 -> 2025-11-15: Le conseil d'administration se réunit en novembre.",
    )
    async with runtime.db.read() as session:
        mail = await session.scalar(
            select(OutboxMessage).where(col(OutboxMessage.template) == "commitment_extended")
        )
    assert mail is not None and mail.subject == "Nouvelle échéance : Convention de subvention"
    assert "du 2025-10-11 au 2025-11-15 (Europe/Paris)" in mail.body_text
    assert "Motif : Le conseil d'administration se réunit en novembre." in mail.body_text


async def test_erasing_the_laureates_contact_scrubs_them_from_its_reports(
    runtime: Runtime, prize: Prize
) -> None:
    laureate, applicant = prize.laureates[0], prize.applicants[0]
    signed = {"progress": f"Written by {applicant.email} for the committee."}
    await sign_agreement(runtime, laureate, actor=applicant)
    await send_report(
        runtime, laureate, "interim", answers=signed, indicators=VALUES, version=1, actor=applicant
    )

    erased = await erase_person(runtime, applicant.email, actor=prize.staff)

    async with runtime.db.read() as session:
        report = await session.scalar(
            select(Obligation).where(
                col(Obligation.submission_id) == laureate, col(Obligation.name) == "interim"
            )
        )
    assert report is not None
    assert report.answers == {"progress": f"Written by {erased.email} for the committee."}
