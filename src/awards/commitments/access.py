"""A laureate's commitments as a use case reads them: the submission, its call and kind's
section, its obligations, for whom may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.commitments.refusals import CommitmentRefused
from awards.commitments.spec import Commitments, commitments_of
from awards.db.lookups import submission_and_call
from awards.db.tables import Call, Obligation, Submission
from awards.errors import Forbidden, NotFound
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


@dataclass(frozen=True)
class Laureate:
    """A submission whose commitments were opened, with what its kind declares."""

    submission: Submission
    call: Call
    kind: CallKind
    spec: Commitments
    obligations: dict[str, Obligation]
    """By name: `agreement` and each report."""

    @property
    def category(self) -> str | None:
        value = self.submission.answers.get("category")
        return value if isinstance(value, str) else None

    def obligation(self, name: str) -> Obligation:
        try:
            return self.obligations[name]
        except KeyError:
            raise NotFound(f"submission {self.submission.id} owes no '{name}'") from None


def starts(day: date, timezone: str) -> datetime:
    """The instant `day` begins in the call's time zone (in UTC, as instants are kept)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def late_from(due_on: date, timezone: str) -> datetime:
    """The instant something due on `due_on` is late: the end of that day where the call is."""
    return starts(due_on + timedelta(days=1), timezone)


def day_in(instant: datetime, timezone: str) -> date:
    return instant.astimezone(ZoneInfo(timezone)).date()


async def laureate(
    session: AsyncSession, runtime: Runtime, submission_id: int, *, actor: Actor
) -> Laureate:
    """The submission's commitments, for its owner or the Secretariat (else Forbidden);
    NotFound when it has none."""
    found = await submission_and_call(session, submission_id)
    if found is None:
        raise NotFound(f"no submission {submission_id}")
    submission, call = found
    if not (actor.owns(submission) or actor.is_secretariat or actor.system):
        raise Forbidden(f"submission {submission_id} is not yours to read")
    kind = runtime.kind(call.kind)
    spec = commitments_of(kind)
    obligations = await obligations_of(session, [submission_id])
    if spec is None or not obligations:
        raise NotFound(f"submission {submission_id} has no commitments")
    return Laureate(submission, call, kind, spec, obligations[submission_id])


async def acting_laureate(
    session: AsyncSession, runtime: Runtime, submission_id: int, *, actor: Actor
) -> Laureate:
    """`laureate`, for a step of its commitments: refused with a reason once the submission
    has left them (discontinued, say); a fulfilled one still takes its last payments."""
    found = await laureate(session, runtime, submission_id, actor=actor)
    live = set(found.spec.opened_in)
    if found.spec.on_fulfilled is not None:
        live.add(found.kind.submission_workflow.transitions[found.spec.on_fulfilled].dest)
    if found.submission.state not in live:
        raise CommitmentRefused(
            f"submission {submission_id}",
            "commitments_ended",
            submission=submission_id,
            state=found.submission.state,
        )
    return found


async def obligations_of(
    session: AsyncSession, submission_ids: list[int]
) -> dict[int, dict[str, Obligation]]:
    rows = await session.scalars(
        select(Obligation)
        .where(col(Obligation.submission_id).in_(submission_ids))
        .order_by(col(Obligation.due_on), col(Obligation.id))
    )
    found: dict[int, dict[str, Obligation]] = {}
    for row in rows:
        found.setdefault(row.submission_id, {})[row.name] = row
    return found
