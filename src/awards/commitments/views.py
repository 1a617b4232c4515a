"""What the laureate and the Secretariat read of the commitments: each obligation with its
due date and lateness, each instalment with its condition and payment; per call, the
laureates late ones first, totals per category, and each indicator across laureates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import col

from awards.commitments.access import Laureate, late_from, laureate, obligations_of
from awards.commitments.obligations import AWAITED
from awards.commitments.payments import Owed, Total, owed, payments_of, totals
from awards.commitments.spec import Indicator, commitments_of
from awards.db.tables import Call, Obligation, Organisation, Payment, Submission
from awards.errors import Forbidden, NotFound
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


@dataclass(frozen=True)
class Step:
    """One obligation as shown: its label, when it is late from, whether it is."""

    obligation: Obligation
    label: Mapping[str, str]
    late_from: datetime
    late: bool
    report: bool


@dataclass(frozen=True)
class Overview:
    """A laureate's commitments: what is expected and when, what it sent, what was paid."""

    laureate: Laureate
    organisation: str
    steps: list[Step]
    owed: list[Owed]

    @property
    def late(self) -> bool:
        return any(step.late for step in self.steps)

    @property
    def next_due(self) -> date | None:
        """The next day something is due; None when nothing is, or no longer."""
        if self.laureate.submission.state not in self.laureate.spec.opened_in:
            return None
        awaited = [s.obligation.due_on for s in self.steps if s.obligation.state in AWAITED]
        return min(awaited, default=None)


@dataclass(frozen=True)
class IndicatorValues:
    """One indicator across a call's laureates: (organisation, report, value) per report."""

    indicator: Indicator
    values: list[tuple[str, str, Decimal]] = field(default_factory=list)

    @property
    def highest(self) -> Decimal:
        """The scale of the chart: the largest of the target and the values."""
        return max([self.indicator.target, *(value for _, _, value in self.values)])


@dataclass(frozen=True)
class CallOverview:
    call: Call
    laureates: list[Overview]
    """Late ones first, then by the next day something is due."""
    totals: dict[str, list[Total]]
    """Per category (`""` for none) and `*` for the call, per currency."""
    indicators: list[IndicatorValues]


def overview(
    found: Laureate, organisation: str, payments: list[Payment], now: datetime
) -> Overview:
    steps = []
    # Nothing is late of a laureate that left the decision's state (discontinued, say).
    live = found.submission.state in found.spec.opened_in
    for obligation in found.obligations.values():
        report = found.spec.report(obligation.name)
        spec = report or found.spec.agreement
        assert spec is not None
        late = late_from(obligation.due_on, found.call.timezone)
        steps.append(
            Step(
                obligation,
                spec.label,
                late,
                late=live and obligation.state in AWAITED and now >= late,
                report=report is not None,
            )
        )
    return Overview(found, organisation, steps, owed(found, payments))


async def laureate_overview(runtime: Runtime, submission_id: int, *, actor: Actor) -> Overview:
    """A laureate's commitments, for its owner or the Secretariat."""
    async with runtime.db.read() as session:
        found = await laureate(session, runtime, submission_id, actor=actor)
        organisation = await session.get(Organisation, found.submission.organisation_id)
        payments = await payments_of(session, [submission_id])
    assert organisation is not None
    return overview(found, organisation.name, payments, runtime.clock())


async def call_overview(runtime: Runtime, call_id: int, *, actor: Actor) -> CallOverview:
    """The Secretariat's view of a call's commitments."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat follows a call's commitments")
    async with runtime.db.read() as session:
        call = await session.get(Call, call_id)
        if call is None:
            raise NotFound(f"no call {call_id}")
        kind = runtime.kind(call.kind)
        spec = commitments_of(kind)
        rows = (
            await session.execute(
                select(Submission, Organisation)
                .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
                .where(
                    col(Submission.call_id) == call_id,
                    col(Submission.id).in_(
                        select(col(Obligation.submission_id)).where(
                            col(Obligation.call_id) == call_id
                        )
                    ),
                )
                .order_by(col(Submission.id))
            )
        ).all()
        ids = [submission.id or 0 for submission, _ in rows]
        obligations = await obligations_of(session, ids)
        payments = await payments_of(session, ids)
    now = runtime.clock()
    laureates = []
    if spec is not None:
        for submission, organisation in rows:
            found = Laureate(submission, call, kind, spec, obligations[submission.id or 0])
            mine = [payment for payment in payments if payment.submission_id == submission.id]
            laureates.append(overview(found, organisation.name, mine, now))
    laureates.sort(key=lambda item: (not item.late, item.next_due or date.max))
    indicators = [IndicatorValues(indicator) for indicator in spec.indicators] if spec else []
    for item in laureates:
        for step in item.steps:
            for series in indicators:
                value = step.obligation.indicators.get(series.indicator.name)
                if value is not None:
                    series.values.append((item.organisation, step.obligation.name, Decimal(value)))
    return CallOverview(
        call,
        laureates,
        totals(
            [(item.laureate.category, owed_item) for item in laureates for owed_item in item.owed]
        ),
        indicators,
    )


async def opened(runtime: Runtime, submission_id: int) -> bool:
    """Whether the submission's commitments were opened (its decision made)."""
    async with runtime.db.read() as session:
        found = await obligations_of(session, [submission_id])
    return submission_id in found
