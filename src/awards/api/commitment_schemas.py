"""What the commitments API reads and writes (`awards.commitments`). Amounts are decimal
strings ("30000.00"), never JSON numbers a client might read as floats."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec

from awards.commitments.payments import Owed, Total
from awards.commitments.views import CallOverview, IndicatorValues, Overview, Step
from awards.db.tables import Payment
from awards.db.types import StoredInt


class ReportIn(msgspec.Struct, forbid_unknown_fields=True):
    answers: dict[str, Any]
    version: StoredInt
    indicators: dict[str, str] = msgspec.field(default_factory=dict)
    """Each indicator's value, as a decimal string."""


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class DueDateIn(msgspec.Struct, forbid_unknown_fields=True):
    due_on: date
    reason: str


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    instalment: str
    amount: Decimal
    currency: str
    paid_on: date
    reference: str


class PaymentOut(msgspec.Struct):
    instalment: str
    amount: Decimal
    currency: str
    paid_on: date
    reference: str
    recorded_at: datetime

    @classmethod
    def of(cls, payment: Payment) -> PaymentOut:
        return cls(
            payment.instalment,
            payment.amount,
            payment.currency,
            payment.paid_on,
            payment.reference,
            payment.recorded_at,
        )


class ObligationOut(msgspec.Struct):
    name: str
    kind: str
    """`agreement` or `report`."""
    state: str
    version: int
    due_on: date
    late_from: datetime
    """The instant it is late: the end of `due_on` in the call's time zone."""
    late: bool
    answers: dict[str, Any]
    indicators: dict[str, str]
    sent_at: datetime | None
    decided_at: datetime | None
    note: str | None
    document: str | None

    @classmethod
    def of(cls, step: Step) -> ObligationOut:
        item = step.obligation
        return cls(
            name=item.name,
            kind="report" if step.report else "agreement",
            state=item.state,
            version=item.version,
            due_on=item.due_on,
            late_from=step.late_from,
            late=step.late,
            answers=item.answers,
            indicators=item.indicators,
            sent_at=item.sent_at,
            decided_at=item.decided_at,
            note=item.note,
            document=item.document_name,
        )


class InstalmentOut(msgspec.Struct):
    name: str
    amount: Decimal
    currency: str
    after: str
    condition_met_on: date | None
    payment: PaymentOut | None

    @classmethod
    def of(cls, item: Owed) -> InstalmentOut:
        return cls(
            item.instalment.name,
            item.amount,
            item.currency,
            item.instalment.after,
            item.met_on,
            PaymentOut.of(item.payment) if item.payment else None,
        )


class CommitmentsOut(msgspec.Struct):
    submission_id: int
    organisation: str
    category: str | None
    late: bool
    obligations: list[ObligationOut]
    instalments: list[InstalmentOut]

    @classmethod
    def of(cls, overview: Overview) -> CommitmentsOut:
        return cls(
            overview.laureate.submission.id or 0,
            overview.organisation,
            overview.laureate.category,
            overview.late,
            [ObligationOut.of(step) for step in overview.steps],
            [InstalmentOut.of(item) for item in overview.owed],
        )


class TotalOut(msgspec.Struct):
    currency: str
    planned: Decimal
    paid: Decimal

    @classmethod
    def of(cls, total: Total) -> TotalOut:
        return cls(total.currency, total.planned, total.paid)


class IndicatorValueOut(msgspec.Struct):
    organisation: str
    report: str
    value: Decimal


class IndicatorOut(msgspec.Struct):
    name: str
    baseline: Decimal
    target: Decimal
    values: list[IndicatorValueOut]

    @classmethod
    def of(cls, series: IndicatorValues) -> IndicatorOut:
        indicator = series.indicator
        return cls(
            indicator.name,
            indicator.baseline,
            indicator.target,
            [IndicatorValueOut(*value) for value in series.values],
        )


class CallCommitmentsOut(msgspec.Struct):
    call_id: int
    laureates: list[CommitmentsOut]
    """Late ones first."""
    totals: dict[str, list[TotalOut]]
    """Per category (`""` without one) and `*` for the whole call."""
    indicators: list[IndicatorOut]

    @classmethod
    def of(cls, overview: CallOverview) -> CallCommitmentsOut:
        return cls(
            overview.call.id or 0,
            [CommitmentsOut.of(item) for item in overview.laureates],
            {key: [TotalOut.of(t) for t in found] for key, found in overview.totals.items()},
            [IndicatorOut.of(series) for series in overview.indicators],
        )
