"""The AIMF call for pilot projects, a kind added with configuration and mail templates only:
member cities propose projects, the selection committee funds one, and the funded city goes
through its commitments managed by results (agreement, two reports with indicators, three
instalments each after its step) to completion. Cities and projects are illustrative."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from edition_steps import before_the_body, join, mails, move_call, open_call, states, stored

from awards.commitments.obligations import accept_report, send_report, sign_agreement
from awards.commitments.payments import record_payment
from awards.commitments.refusals import CommitmentRefused
from awards.jury.selections import confirm_programme, mark, standings
from awards.members.register import Member
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens

TITLE = {"fr": "Projets pilotes AIMF 2026", "en": "AIMF pilot projects 2026"}
CITIES = [
    (Member("Dakar", "SN", "Africa", "AIMF", 1990, True), "fr"),
    (Member("Hué", "VN", "Asia-Pacific", "AIMF", 1995, True), "en"),
]


def project(city: str) -> dict[str, object]:
    return {
        "project": f"Water points in the schools of {city}",
        "description": "Forty schools equipped, run with the parents' committees.",
        "expected_results": "5,000 pupils with drinking water; people_reached, budget_spent.",
        "budget": {"amount": "90000.00", "currency": "EUR"},
        "contact_email": f"projets@{city.lower()}.test",
    }


async def test_a_pilot_project_is_funded_then_managed_by_results_to_its_completion(
    runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    staff = tokens.actors["secretariat"]
    call = await open_call(
        runtime,
        staff,
        "aimf-pilot-projects",
        edition="2026",
        title=TITLE,
        opens_at=clock(),
        closes_at=clock() + timedelta(days=30),
        timezone="Africa/Dakar",
    )
    cities = await join(runtime, clock(), CITIES)
    ids = {}
    for slug, applicant in cities.items():
        draft = await SubmissionService(runtime).create(call, project(slug), actor=applicant)
        ids[slug] = draft.id or 0
    chair, _ = await before_the_body(
        runtime,
        call,
        staff,
        {ids[slug]: cities[slug] for slug in cities},
        panel=["presidence@aimf.test", "membre@aimf.test"],
    )
    await mark(runtime, call, ids["dakar"], given="accepted", inputs={}, actor=chair)
    await mark(runtime, call, ids["hue"], given="rejected", inputs={}, actor=chair)
    await confirm_programme(
        runtime,
        call,
        [s.proposed for s in await standings(runtime, call, actor=chair)],
        actor=chair,
    )
    await move_call(runtime, call, staff, "publish")
    dakar, funded = cities["dakar"], ids["dakar"]

    async def pay(instalment: str, amount: str) -> None:
        await record_payment(
            runtime,
            funded,
            instalment,
            amount=Decimal(amount),
            currency="EUR",
            paid_on=clock().date(),
            reference=f"AIMF-{instalment}",
            actor=staff,
        )

    async def report(name: str, field: str, reached: str, spent: str, who: Actor) -> None:
        await send_report(
            runtime,
            funded,
            name,
            answers={field: "Twenty schools equipped."},
            indicators={"people_reached": reached, "budget_spent": spent},
            version=1,
            actor=who,
        )
        await accept_report(runtime, funded, name, actor=staff)

    with pytest.raises(CommitmentRefused) as unsigned:
        await pay("first", "20000.00")
    await sign_agreement(runtime, funded, actor=dakar)
    await pay("first", "20000.00")
    clock.now += timedelta(days=180)
    await report("interim", "progress", "2100", "55", dakar)
    await pay("second", "12000.00")
    clock.now += timedelta(days=180)
    await report("final", "results", "5400", "100", dakar)
    await pay("third", "8000.00")

    assert unsigned.value.code == "instalment_condition_unmet"
    assert await states(runtime, call) == {"completed": 1, "not_selected": 1}
    assert (await stored(runtime, funded)).state == "completed"
    told = await mails(runtime, recipient="applicant@dakar.test")
    assert [m.template for m in told] == [
        "submission_received",
        "found_eligible",
        "body_decision",
        "payment_recorded",
        "payment_recorded",
        "payment_recorded",
    ]
    assert told[2].body_text.splitlines()[0] == (
        f"Le Comité de sélection des projets pilotes a retenu votre candidature {funded} à "
        f"{TITLE['fr']} (2026)."
    )
    assert told[5].subject == f"Versement 3 sur 3 enregistré : {TITLE['fr']}"
