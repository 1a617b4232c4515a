"""Jurors' time: a round's review deadline and who is late (Secretariat); accepting or
declining an assignment (its juror)."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from awards.http.auth import juror, secretariat
from awards.http.params import RowId
from awards.jury.deadlines import (
    LateJuror,
    accept_assignment,
    decline_assignment,
    late_jurors,
    set_deadline,
)
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


class DeadlineIn(msgspec.Struct, forbid_unknown_fields=True):
    review_by: datetime
    """An instant with its offset, e.g. `2026-01-31T23:59:00+01:00`."""
    reminder_days: list[int] | None = None
    """Days before it on which jurors with reviews left are reminded; none: 7 and 1."""


class DeadlineOut(msgspec.Struct):
    round: str
    review_by: datetime
    reminder_days: list[int]


class LateJurorOut(msgspec.Struct):
    name: str
    email: str
    round: str
    review_by: datetime
    pending: int
    """Assignments of the round without a final review."""

    @classmethod
    def of(cls, late: LateJuror) -> LateJurorOut:
        return msgspec.convert(late, cls, from_attributes=True)


class AcceptedOut(msgspec.Struct):
    id: int
    accepted_at: datetime


class DeclineIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str = ""


class DeclinedOut(msgspec.Struct):
    reassigned: bool
    """Whether another allowed juror was given the submission."""


class RoundTimeController(Controller):
    path = "/calls/{call_id:int}"
    tags = ("jury",)
    guards = (secretariat,)

    @put("/rounds/{round_name:str}/deadline")
    async def put_deadline(
        self,
        call_id: RowId,
        round_name: FromPath[str],
        data: JSONBody[DeadlineIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> DeadlineOut:
        """Secretariat: the round's review deadline and reminder days (audited)."""
        found = await set_deadline(
            runtime,
            call_id,
            round_name=round_name,
            review_by=data.review_by,
            reminder_days=data.reminder_days,
            actor=actor,
        )
        return DeadlineOut(found.round, found.review_by, list(found.reminder_days))

    @get("/late-reviews")
    async def get_late(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> list[LateJurorOut]:
        """Secretariat: jurors past a round's deadline with reviews not final."""
        return [LateJurorOut.of(late) for late in await late_jurors(runtime, call_id, actor=actor)]


class AssignmentTimeController(Controller):
    path = "/jury/assignments/{assignment_id:int}"
    tags = ("jury",)
    guards = (juror,)

    @post("/accept", status_code=HTTP_200_OK)
    async def accept(
        self,
        assignment_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> AcceptedOut:
        """Juror: take the assignment on (it can no longer be declined)."""
        assignment = await accept_assignment(runtime, assignment_id, actor=actor)
        assert assignment.accepted_at is not None
        return AcceptedOut(assignment_id, assignment.accepted_at)

    @post("/decline", status_code=HTTP_200_OK)
    async def decline(
        self,
        assignment_id: RowId,
        data: JSONBody[DeclineIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> DeclinedOut:
        """Juror: decline an assignment not accepted; another allowed juror is given it."""
        reassigned = await decline_assignment(
            runtime, assignment_id, reason=data.reason, actor=actor
        )
        return DeclinedOut(reassigned)
