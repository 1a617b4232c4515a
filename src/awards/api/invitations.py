"""Invitations to a role and revocations (the Secretariat), and what a link is (anyone)."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from awards.auth.invitations import InvitedRole, NewInvitation, invite, peek_invitation
from awards.auth.revocation import revoke_role
from awards.db.types import StoredInt
from awards.errors import NotFound
from awards.http.auth import secretariat
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


class InvitationIn(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    role: InvitedRole
    call_id: StoredInt | None = None
    """For a juror or a president: the call whose panel they join."""
    organisation: str | None = None
    """For an applicant: the slug of the organisation they act for."""
    language: str = "en"
    """Of the e-mail and of the page its link opens: en, fr, es or pt."""
    name: str = ""


class InvitationOut(msgspec.Struct):
    id: int
    email: str
    role: str
    call_id: int | None
    organisation_id: int | None
    expires_at: datetime


class InvitationStatusOut(msgspec.Struct):
    role: str
    language: str
    usable: bool


class RevocationIn(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    call_id: StoredInt | None = None
    """Leave this call's panel."""
    organisation: str | None = None
    """Stop acting for this organisation (its slug)."""


class InvitationController(Controller):
    path = "/invitations"
    tags = ("accounts",)

    @post("/", guards=[secretariat])
    async def create(
        self,
        data: JSONBody[InvitationIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> InvitationOut:
        """Secretariat: invite an address to a role; the invitation is e-mailed."""
        invitation = await invite(
            runtime,
            NewInvitation(
                email=data.email,
                role=data.role,
                call_id=data.call_id,
                organisation=data.organisation,
                language=data.language,
                name=data.name,
            ),
            actor=actor,
        )
        assert invitation.id is not None
        return InvitationOut(
            invitation.id,
            invitation.email,
            invitation.role,
            invitation.call_id,
            invitation.organisation_id,
            invitation.expires_at,
        )

    @get("/{token:str}")
    async def status(
        self, token: FromPath[str], runtime: NamedDependency[Runtime]
    ) -> InvitationStatusOut:
        """Anyone with the link: what it invites to and whether it still works (not spent)."""
        found = await peek_invitation(runtime, token)
        if found is None:
            raise NotFound("no such invitation")
        return InvitationStatusOut(found.role, found.language, found.usable)


@post("/revocations", guards=[secretariat], tags=["accounts"], status_code=HTTP_204_NO_CONTENT)
async def revoke(
    data: JSONBody[RevocationIn], runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
) -> None:
    """Secretariat: take a juror off a call's panel, or an applicant out of an organisation."""
    await revoke_role(
        runtime, data.email, call_id=data.call_id, organisation=data.organisation, actor=actor
    )
