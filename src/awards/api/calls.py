"""Call kinds and calls."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from awards.api.schemas import (
    CallDatesIn,
    CallKindOut,
    CallOut,
    CallSettingsIn,
    ExtensionIn,
    ExtensionOut,
    FireTransition,
    MovedDatesOut,
    NewCallIn,
    TransitionOption,
)
from awards.calls.extensions import grant_extension
from awards.calls.rescheduling import NewDates, move_dates
from awards.calls.service import CallService, NewCall
from awards.http.auth import secretariat, signed_in
from awards.http.params import RowId
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


@get("/call-kinds", tags=["calls"])
async def list_call_kinds(runtime: NamedDependency[Runtime]) -> list[CallKindOut]:
    """Anyone: the kinds of call, with their forms, rubrics and workflows."""
    return [CallKindOut.of(kind) for kind in runtime.kinds.values()]


class CallController(Controller):
    path = "/calls"
    tags = ("calls",)

    @get("/")
    async def list_calls(
        self, calls: NamedDependency[CallService], actor: NamedDependency[Actor]
    ) -> list[CallOut]:
        """Anyone: open and published calls; the Secretariat: every call."""
        return [CallOut.of_summary(summary) for summary in await calls.visible(actor=actor)]

    @post("/", guards=[secretariat])
    async def create_call(
        self,
        data: JSONBody[NewCallIn],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> CallOut:
        """Secretariat: a new call, in its kind's initial state."""
        call = await calls.create(NewCall(**msgspec.structs.asdict(data)), actor=actor)
        return CallOut.of(call)

    @get("/{call_id:int}")
    async def get_call(
        self,
        call_id: RowId,
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> CallOut:
        """Anyone: an open or published call; the Secretariat: any call."""
        return CallOut.of_summary(await calls.summary(call_id, actor=actor))

    @get("/{call_id:int}/transitions")
    async def call_transitions(
        self,
        call_id: RowId,
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> list[TransitionOption]:
        """Anyone: the transitions the caller may fire now, with the guards that stop them."""
        return [TransitionOption.of(option) for option in await calls.options(call_id, actor=actor)]

    @post("/{call_id:int}/transitions", guards=[signed_in], status_code=HTTP_200_OK)
    async def fire_call_transition(
        self,
        call_id: RowId,
        data: JSONBody[FireTransition],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> CallOut:
        """Per the call kind's workflow (the Secretariat, in the shipped kinds)."""
        summary = await calls.fire(call_id, data.name, actor=actor, reason=data.reason)
        return CallOut.of_summary(summary)

    @put("/{call_id:int}/dates", guards=[secretariat], status_code=HTTP_200_OK)
    async def move_call_dates(
        self,
        call_id: RowId,
        data: JSONBody[CallDatesIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> MovedDatesOut:
        """Secretariat: move an open call's dates still to come, at `version` (409 when stale;
        422 `passed`, `past`, `same` or `order` naming the date); when the deadline moves, the
        organisations with a draft are mailed (`deadline_moved`)."""
        dates = NewDates(opens_at=data.opens_at, closes_at=data.closes_at)
        move = await move_dates(runtime, call_id, dates, version=data.version, actor=actor)
        told = move.drafts if move.deadline_moves else 0
        return MovedDatesOut(list(move.moved), drafts_told=told, version=move.call.version)

    @patch("/{call_id:int}", guards=[secretariat])
    async def configure_call(
        self,
        call_id: RowId,
        data: JSONBody[CallSettingsIn],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> CallOut:
        """Secretariat: replace the edition's settings at `version` (409 when stale)."""
        summary = await calls.configure(call_id, data.settings, version=data.version, actor=actor)
        return CallOut.of_summary(summary)

    @post("/{call_id:int}/extensions", guards=[secretariat])
    async def extend_deadline(
        self,
        call_id: RowId,
        data: JSONBody[ExtensionIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> ExtensionOut:
        """Secretariat: a later deadline for one organisation, with the reason (mailed to it)."""
        extension = await grant_extension(
            runtime,
            call_id,
            organisation=data.organisation,
            until=data.until,
            reason=data.reason,
            actor=actor,
        )
        return ExtensionOut(
            organisation=data.organisation, until=extension.until, reason=extension.reason
        )
