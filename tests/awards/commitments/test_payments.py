"""Money kept honestly: each instalment paid once, for its planned amount, only after its
condition (and not dated before it), refused otherwise with a reason code; totals per call and
category; the accountants' CSV with a BOM."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from awards.commitments.obligations import accept_report, send_report, sign_agreement
from awards.commitments.payments import payments_csv, record_payment
from awards.commitments.refusals import CommitmentRefused
from awards.commitments.views import call_overview
from awards.db.tables import OutboxMessage, Payment, User
from awards.errors import AwardsError
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens
from harness.laureates import Prize, decided_prize

FIRST, SECOND = Decimal("18000.00"), Decimal("12000.00")


@pytest.fixture
async def prize(runtime: Runtime, clock: MovableClock, tokens: Tokens) -> Prize:
    return await decided_prize(runtime, clock, tokens.actors["secretariat"])


async def pay(
    runtime: Runtime,
    prize: Prize,
    laureate: int,
    instalment: str,
    amount: Decimal,
    *,
    paid_on: date | None = None,
    reference: str = "VIR-0001",
) -> Payment:
    return await record_payment(
        runtime,
        prize.laureates[laureate],
        instalment,
        amount=amount,
        currency="EUR",
        paid_on=paid_on or runtime.clock().date(),
        reference=reference,
        actor=prize.staff,
    )


async def refused(
    runtime: Runtime, prize: Prize, instalment: str, amount: Decimal, **kw: object
) -> tuple[str, str]:
    with pytest.raises(CommitmentRefused) as refusal:
        await pay(runtime, prize, 0, instalment, amount, **kw)  # type: ignore[arg-type]
    return refusal.value.code, refusal.value.extra["reason"]


async def test_an_instalment_is_refused_before_its_condition_and_once_paid(
    runtime: Runtime, prize: Prize, clock: MovableClock
) -> None:
    before = await refused(runtime, prize, "first", FIRST)
    signed_on = clock().date()
    await sign_agreement(runtime, prize.laureates[0], actor=prize.applicants[0])
    backdated = await refused(runtime, prize, "first", FIRST, paid_on=signed_on - timedelta(days=1))
    wrong = await refused(runtime, prize, "first", Decimal("18000.01"))
    paid = await pay(runtime, prize, 0, "first", FIRST)
    twice = await refused(runtime, prize, "first", FIRST)
    second = await refused(runtime, prize, "second", SECOND)

    assert before == (
        "instalment_condition_unmet",
        "instalment first can be paid only after agreement",
    )
    assert backdated == (
        "paid_before_condition",
        "instalment first cannot have been paid on 2025-09-10, before agreement on 2025-09-11",
    )
    assert wrong == (
        "amount_differs",
        "instalment first is 18000.00 EUR, not 18000.01 EUR",
    )
    assert (paid.amount, paid.currency, paid.paid_on) == (FIRST, "EUR", signed_on)
    assert twice == ("instalment_already_paid", "instalment first was already paid on 2025-09-11")
    assert second == (
        "instalment_condition_unmet",
        "instalment second can be paid only after report:interim",
    )


async def test_two_secretaries_recording_one_instalment_at_once_pay_it_once(
    runtime: Runtime, prize: Prize
) -> None:
    await sign_agreement(runtime, prize.laureates[0], actor=prize.applicants[0])

    outcomes = await asyncio.gather(
        pay(runtime, prize, 0, "first", FIRST, reference="A"),
        pay(runtime, prize, 0, "first", FIRST, reference="B"),
        return_exceptions=True,
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "CommitmentRefused",
        "Payment",
    ]
    (refusal,) = [o for o in outcomes if isinstance(o, AwardsError)]
    assert refusal.extra["code"] == "instalment_already_paid"
    overview = await call_overview(runtime, prize.call, actor=prize.staff)
    assert overview.totals["*"][0].paid == FIRST


async def test_totals_per_category_and_the_accountants_csv(
    runtime: Runtime, prize: Prize, clock: MovableClock
) -> None:
    for laureate, applicant in zip(prize.laureates, prize.applicants, strict=True):
        await sign_agreement(runtime, laureate, actor=applicant)
    await pay(runtime, prize, 0, "first", FIRST, reference="VIR-DAKAR-1")
    await pay(runtime, prize, 2, "first", FIRST, reference="VIR-KIN-1")
    await send_report(
        runtime,
        prize.laureates[2],
        "interim",
        answers={"progress": "Two schools rebuilt."},
        indicators={"women_reached": "120", "grant_spent": "55"},
        version=1,
        actor=prize.applicants[2],
    )
    await accept_report(runtime, prize.laureates[2], "interim", actor=prize.staff)
    clock.advance(timedelta(days=2))
    await pay(runtime, prize, 2, "second", SECOND, reference="VIR-KIN-2")

    overview = await call_overview(runtime, prize.call, actor=prize.staff)
    exported = await payments_csv(runtime, prize.call, actor=prize.staff)

    assert {
        key: [(t.currency, t.planned, t.paid) for t in found]
        for key, found in overview.totals.items()
    } == {
        "*": [("EUR", Decimal("90000.00"), Decimal("48000.00"))],
        "local_authorities": [("EUR", Decimal("30000.00"), FIRST)],
        "associations_of_local_authorities": [("EUR", Decimal("30000.00"), Decimal(0))],
        "civil_society_organisations": [("EUR", Decimal("30000.00"), Decimal("30000.00"))],
    }
    assert exported.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0] == [
        "paid_on",
        "submission",
        "organisation",
        "category",
        "instalment",
        "amount",
        "currency",
        "reference",
        "recorded_at",
    ]
    assert [row[2:8] for row in rows[1:]] == [
        ["Dakar", "local_authorities", "first", "18000.00", "EUR", "VIR-DAKAR-1"],
        [
            "Femmes Bâtisseuses",
            "civil_society_organisations",
            "first",
            "18000.00",
            "EUR",
            "VIR-KIN-1",
        ],
        [
            "Femmes Bâtisseuses",
            "civil_society_organisations",
            "second",
            "12000.00",
            "EUR",
            "VIR-KIN-2",
        ],
    ]


async def test_over_the_api_a_refused_payment_is_409_with_its_code_and_amounts_are_strings(
    client: Client, runtime: Runtime, prize: Prize, tokens: Tokens
) -> None:
    url = f"/api/v1/submissions/{prize.laureates[0]}/commitments"
    body = {
        "instalment": "first",
        "amount": "18000.00",
        "currency": "EUR",
        "paid_on": "2025-09-11",
        "reference": "VIR-0001",
    }

    early = await client.post(f"{url}/payments", json=body, headers=tokens.secretariat)
    await sign_agreement(runtime, prize.laureates[0], actor=prize.applicants[0])
    paid = await client.post(f"{url}/payments", json=body, headers=tokens.secretariat)
    seen = await client.get(url, headers=tokens.secretariat)

    assert early.status_code == 409
    assert early.json()["extra"] == {
        "code": "instalment_condition_unmet",
        "reason": "instalment first can be paid only after agreement",
        "values": {"instalment": "first", "condition": "agreement"},
    }
    assert paid.status_code == 201
    assert paid.json()["amount"] == "18000.00"
    assert [
        (i["name"], i["amount"], i["condition_met_on"], (i["payment"] or {}).get("reference"))
        for i in seen.json()["instalments"]
    ] == [("first", "18000.00", "2025-09-11", "VIR-0001"), ("second", "12000.00", None, None)]


async def test_the_laureate_is_mailed_what_was_paid_in_its_language(
    runtime: Runtime, prize: Prize
) -> None:
    english = prize.applicants[1].email
    async with runtime.db.write() as session:
        await session.execute(update(User).where(col(User.email) == english).values(locale="en"))
    for laureate in (0, 1):
        await sign_agreement(runtime, prize.laureates[laureate], actor=prize.applicants[laureate])
        await pay(runtime, prize, laureate, "first", FIRST, reference=f"VIR-00{laureate}")

    async with runtime.db.read() as session:
        told = list(
            await session.scalars(
                select(OutboxMessage)
                .where(col(OutboxMessage.template) == "payment_recorded")
                .order_by(col(OutboxMessage.id))
            )
        )

    assert [(m.recipient, m.language, m.subject) for m in told] == [
        (prize.applicants[0].email, "fr", "Versement 1 sur 2 enregistré : Prix Égalité 2026"),
        (english, "en", "Payment 1 of 2 recorded: Equality Prize 2026"),
    ]
    assert told[0].body_text.splitlines()[0] == (
        "Le Secrétariat a enregistré le versement 1 sur 2 pour Prix Égalité 2026 (2026) : "
        "18000.00 EUR, payé le 2025-09-11, référence VIR-000."
    )
    assert told[0].submission_id == prize.laureates[0]
