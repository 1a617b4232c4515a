"""Money kept honestly: the instalments a laureate is owed, and the payments the Secretariat
records against them. Amounts are exact Decimals with their currency, never floats.

An instalment is paid once (the unique key on (submission, instalment) holds even against two
requests at once), for its planned amount, and only after its condition: the agreement signed
or a report accepted, not before the day that happened. Each refusal names its code
(`awards.commitments.refusals`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.commitments.access import Laureate, acting_laureate, day_in
from awards.commitments.obligations import FULFILLED
from awards.commitments.refusals import CommitmentRefused
from awards.commitments.spec import AGREEMENT, REPORT_CONDITION, Instalment
from awards.db.tables import AuditEntry, Call, Organisation, Payment, Submission
from awards.errors import Forbidden, Invalid, NotFound
from awards.notify.recipients import mail_organisation
from awards.transitions.actor import Actor
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.urls import absolute, my_commitments


@dataclass(frozen=True)
class Owed:
    """One instalment of one laureate: what it is, whether its condition holds, what was paid."""

    instalment: Instalment
    amount: Decimal
    currency: str
    met_on: date | None
    """The day (in the call's time zone) its condition was met; None while it is not."""
    payment: Payment | None


def owed(found: Laureate, payments: list[Payment]) -> list[Owed]:
    """The laureate's instalments in order, each with its condition and payment."""
    spec = found.spec.payments
    if spec is None:
        return []
    paid = {payment.instalment: payment for payment in payments}
    planned = spec.planned(found.category)
    return [
        Owed(
            instalment,
            planned[instalment.name],
            spec.currency,
            _met_on(found, instalment.after),
            paid.get(instalment.name),
        )
        for instalment in spec.instalments
        if instalment.name in planned
    ]


def _met_on(found: Laureate, condition: str) -> date | None:
    name = AGREEMENT if condition == AGREEMENT else condition.removeprefix(REPORT_CONDITION)
    obligation = found.obligations.get(name)
    if obligation is None or obligation.state not in FULFILLED or obligation.decided_at is None:
        return None
    return day_in(obligation.decided_at, found.call.timezone)


async def payments_of(session: AsyncSession, submission_ids: list[int]) -> list[Payment]:
    return list(
        await session.scalars(
            select(Payment)
            .where(col(Payment.submission_id).in_(submission_ids))
            .order_by(col(Payment.paid_on), col(Payment.id))
        )
    )


async def record_payment(
    runtime: Runtime,
    submission_id: int,
    instalment: str,
    *,
    amount: Decimal,
    currency: str,
    paid_on: date,
    reference: str,
    actor: Actor,
) -> Payment:
    """The Secretariat records that `instalment` was paid on `paid_on`: audited, or refused
    with a code when it was paid already, its condition does not hold (or held only after
    `paid_on`) or the amount is not the one planned."""
    if not actor.is_secretariat or actor.id is None:
        raise Forbidden("only the Secretariat records payments")
    if not reference.strip():
        raise Invalid("a payment needs its reference", extra={"field": "reference"})
    try:
        async with runtime.db.write() as session:
            found = await acting_laureate(session, runtime, submission_id, actor=actor)
            subject = f"submission {submission_id}"
            item = next(
                (
                    item
                    for item in owed(found, await payments_of(session, [submission_id]))
                    if item.instalment.name == instalment
                ),
                None,
            )
            if item is None:
                raise NotFound(f"{subject} is owed no instalment '{instalment}'")
            if paid_on > day_in(runtime.clock(), found.call.timezone):
                raise Invalid(f"{paid_on} is in the future", extra={"field": "paid_on"})
            _check(subject, item, amount=amount, currency=currency, paid_on=paid_on)
            payment = Payment(
                call_id=found.call.id or 0,
                submission_id=submission_id,
                instalment=instalment,
                amount=amount,
                currency=currency,
                paid_on=paid_on,
                reference=reference.strip(),
                recorded_by=actor.id,
                recorded_at=runtime.clock(),
            )
            session.add(payment)
            await session.flush()
            audit = record_change(
                session,
                found.submission,
                f"pay:{instalment}",
                actor=actor,
                now=payment.recorded_at,
                reason=f"{amount} {currency} on {paid_on}, reference {payment.reference}",
            )
            await _mail_payment(session, runtime, found, payment, audit)
    except IntegrityError as clash:
        if "payments" not in str(clash.orig):
            raise
        # Recorded meanwhile by another request: the unique key kept it to one.
        raise CommitmentRefused(
            f"submission {submission_id}",
            "instalment_already_paid",
            instalment=instalment,
            paid_on=paid_on,
        ) from None
    return payment


async def _mail_payment(
    session: AsyncSession,
    runtime: Runtime,
    found: Laureate,
    payment: Payment,
    audit: AuditEntry,
) -> None:
    """Tell the laureate's applicants, each in their language, what was paid."""
    spec = found.spec.payments
    assert spec is not None
    names = [item.name for item in spec.instalments]
    await session.flush()
    await mail_organisation(
        session,
        runtime,
        "payment_recorded",
        call=found.call,
        organisation_id=found.submission.organisation_id,
        audit=audit,
        submission_id=found.submission.id,
        values={
            "number": names.index(payment.instalment) + 1,
            "of": len(names),
            "amount": str(payment.amount),
            "currency": payment.currency,
            "paid_on": payment.paid_on.isoformat(),
            "reference": payment.reference,
            "url": absolute(runtime.settings.base_url, my_commitments(found.submission.id or 0)),
        },
    )


def _check(subject: str, item: Owed, *, amount: Decimal, currency: str, paid_on: date) -> None:
    name = item.instalment.name
    if item.payment is not None:
        raise CommitmentRefused(
            subject, "instalment_already_paid", instalment=name, paid_on=item.payment.paid_on
        )
    if item.met_on is None:
        raise CommitmentRefused(
            subject, "instalment_condition_unmet", instalment=name, condition=item.instalment.after
        )
    if paid_on < item.met_on:
        raise CommitmentRefused(
            subject,
            "paid_before_condition",
            instalment=name,
            paid_on=paid_on,
            condition=item.instalment.after,
            met_on=item.met_on,
        )
    if amount != item.amount or currency != item.currency:
        raise CommitmentRefused(
            subject,
            "amount_differs",
            instalment=name,
            planned=item.amount,
            amount=amount,
            currency=item.currency if currency == item.currency else currency,
        )


@dataclass(frozen=True)
class Total:
    """Planned and paid in one currency, for a call or one of its categories."""

    currency: str
    planned: Decimal
    paid: Decimal


def totals(rows: list[tuple[str | None, Owed]]) -> dict[str, list[Total]]:
    """Planned and paid per category (`""` for none) and `*` for the whole call, per currency."""
    sums: dict[tuple[str, str], list[Decimal]] = {}
    for category, item in rows:
        for key in (category or "", "*"):
            planned, paid = sums.setdefault((key, item.currency), [Decimal(0), Decimal(0)])
            sums[(key, item.currency)] = [
                planned + item.amount,
                paid + (item.payment.amount if item.payment else Decimal(0)),
            ]
    found: dict[str, list[Total]] = {}
    for (key, currency), (planned, paid) in sorted(sums.items()):
        found.setdefault(key, []).append(Total(currency, planned, paid))
    return found


CSV_COLUMNS = (
    "paid_on",
    "submission",
    "organisation",
    "category",
    "instalment",
    "amount",
    "currency",
    "reference",
    "recorded_at",
)


async def payments_csv(runtime: Runtime, call_id: int, *, actor: Actor) -> bytes:
    """A call's payments for the accountants: UTF-8 with a BOM, so a spreadsheet reads the
    accents of names; amounts as exact decimal text with a point."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat exports payments")
    async with runtime.db.read() as session:
        call = await session.get(Call, call_id)
        if call is None:
            raise NotFound(f"no call {call_id}")
        rows = await session.execute(
            select(Payment, Submission, Organisation)
            .join(Submission, col(Submission.id) == col(Payment.submission_id))
            .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
            .where(col(Payment.call_id) == call_id)
            .order_by(col(Payment.paid_on), col(Payment.id))
        )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for payment, submission, organisation in rows.all():
            writer.writerow(
                (
                    payment.paid_on.isoformat(),
                    submission.id,
                    organisation.name,
                    submission.answers.get("category", ""),
                    payment.instalment,
                    str(payment.amount),
                    payment.currency,
                    payment.reference,
                    payment.recorded_at.isoformat(),
                )
            )
    return "\ufeff".encode() + out.getvalue().encode()
