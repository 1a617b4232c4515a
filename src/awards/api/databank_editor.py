"""HTTP, Secretariat only: good practices, taking entries down and back up, their history,
and the webhook deliveries given up on."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from awards.databank.changes import ChangeOut
from awards.databank.practices import PracticeEdit, PracticeIn
from awards.databank.records import DeliveryOut, EntryOut
from awards.databank.service import DatabankService
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


class UnpublishIn(msgspec.Struct, frozen=True):
    reason: str


class DatabankEditorController(Controller):
    path = "/databank"
    tags = ("databank",)
    guards = (secretariat,)

    @post("/")
    async def add_practice(
        self,
        data: JSONBody[PracticeIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> EntryOut:
        """Secretariat: publish a good practice that was not submitted to a call."""
        return await DatabankService(runtime).add_practice(data, actor=actor)

    @put("/{entry_id:int}")
    async def edit_practice(
        self,
        entry_id: RowId,
        data: JSONBody[PracticeEdit],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> EntryOut:
        """Secretariat: replace what a good practice says, given the `version` read (409 if
        it changed since)."""
        return await DatabankService(runtime).edit_practice(
            entry_id, data, actor=actor, version=data.version
        )

    @post("/{entry_id:int}/unpublish", status_code=HTTP_200_OK)
    async def unpublish_entry(
        self,
        entry_id: RowId,
        data: JSONBody[UnpublishIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> EntryOut:
        """Secretariat: take an entry down from every public output, with a reason."""
        return await DatabankService(runtime).unpublish(entry_id, actor=actor, reason=data.reason)

    @post("/{entry_id:int}/republish", status_code=HTTP_200_OK)
    async def republish_entry(
        self,
        entry_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> EntryOut:
        """Secretariat: bring an entry back, updated from its submission, under its id."""
        return await DatabankService(runtime).republish(entry_id, actor=actor)

    @get("/{entry_id:int}/history")
    async def entry_history(
        self,
        entry_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> list[ChangeOut]:
        """Secretariat: what was done to an entry outside its call, by whom, when and why."""
        return await DatabankService(runtime).history(entry_id, actor=actor)

    @get("/deliveries")
    async def dead_deliveries(
        self, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> list[DeliveryOut]:
        """Secretariat: changes the external databank's webhook never accepted, with why."""
        return await DatabankService(runtime).dead_deliveries(actor=actor)

    @post("/deliveries/{delivery_id:int}/resend", status_code=HTTP_200_OK)
    async def resend_delivery(
        self,
        delivery_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> DeliveryOut:
        """Secretariat: push a dead delivery again (same delivery id, attempts from zero)."""
        return await DatabankService(runtime).resend(delivery_id, actor=actor)
