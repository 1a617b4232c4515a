"""The Secretariat's pages for people: a call's panel chosen from the jurors it knows, and
invitations sent from the page to addresses not known yet, to the panel or to act for an
organisation, with their state and a resend (`awards.auth.roster`). A typed list with a
refused address comes back as typed, with why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from awards import urls
from awards.auth.invitations import InvitedRole
from awards.auth.roster import (
    Refused,
    Target,
    applicants_of,
    invitations_to,
    invite_each,
    invitees,
    known_jurors,
    resend,
)
from awards.calls.service import CallService
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.jury.panel import panel_seats
from awards.members.editing import organisation
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.vocabulary import LANGUAGES
from awards.web.page import render, see_other, visitor

PANEL_ROLES = (InvitedRole.JUROR, InvitedRole.PRESIDENT)


async def _posted_invitations(
    request: Request[Any, Any, Any], roles: Sequence[InvitedRole]
) -> tuple[str, InvitedRole, str]:
    """The typed list, the role chosen (the first of `roles` unless another is) and the
    language of the mail (the reader's unless chosen)."""
    form = await request.form()
    role = str(form.get("role", ""))
    language = str(form.get("language", ""))
    return (
        str(form.get("invitees", "")),
        next((r for r in roles if r == role), roles[0]),
        language or visitor(request).language,
    )


class PanelPages(Controller):
    path = "/secretariat/calls/{call_id:int}"
    guards = (secretariat,)

    @get("/panel")
    async def panel(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Who sits on the panel, who may, and who was invited."""
        return await self._page(request, call_id, runtime, calls, actor, typed="", refused=[])

    @post("/invitations")
    async def invite(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template | Redirect:
        """Invite each typed address to the panel; the refused ones come back as typed."""
        await calls.get(call_id, actor=actor)
        typed, role, language = await _posted_invitations(request, PANEL_ROLES)
        people = invitees(typed)
        refused = await invite_each(
            runtime, people, Target(call_id=call_id), role=role, language=language, actor=actor
        )
        if refused or not people:
            return await self._page(
                request, call_id, runtime, calls, actor, typed=typed, refused=refused, nobody=True
            )
        return see_other(urls.secretariat_panel(call_id, done="invited", count=len(people)))

    @post("/invitations/{invitation_id:int}/resend")
    async def resend(
        self,
        call_id: RowId,
        invitation_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        await resend(runtime, invitation_id, Target(call_id=call_id), actor=actor)
        return see_other(urls.secretariat_panel(call_id, done="invitation_resent"))

    @staticmethod
    async def _page(
        request: Request[Any, Any, Any],
        call_id: int,
        runtime: Runtime,
        calls: CallService,
        actor: Actor,
        *,
        typed: str,
        refused: Sequence[Refused],
        nobody: bool = False,
    ) -> Template:
        call = await calls.get(call_id, actor=actor)
        seats = await panel_seats(runtime, call_id, actor=actor)
        return render(
            request,
            "secretariat/panel.html",
            status=HTTP_422_UNPROCESSABLE_ENTITY if nobody else 200,
            call=call,
            seats={seat.email: seat.role for seat in seats},
            jurors=await known_jurors(runtime, actor=actor),
            invitations=await invitations_to(runtime, Target(call_id=call_id), actor=actor),
            roles=PANEL_ROLES,
            languages=call.languages,
            typed="\n".join(r.invitee.line for r in refused) if refused else typed,
            refused=refused,
            nobody=nobody and not refused,
            done=request.query_params.get("done", ""),
        )


class ApplicantAccountPages(Controller):
    path = "/secretariat/organisations/{slug:str}/invitations"
    guards = (secretariat,)

    @post("/")
    async def invite(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template | Redirect:
        """Invite each typed address to act for the organisation."""
        found = await organisation(runtime.db, slug)
        typed, role, language = await _posted_invitations(request, (InvitedRole.APPLICANT,))
        people = invitees(typed)
        target = Target(organisation=found.slug)
        refused = await invite_each(
            runtime, people, target, role=role, language=language, actor=actor
        )
        if refused or not people:
            return render(
                request,
                "secretariat/accounts.html",
                status=HTTP_422_UNPROCESSABLE_ENTITY,
                o=found,
                **await accounts(runtime, found.slug, actor=actor),
                typed="\n".join(r.invitee.line for r in refused) if refused else typed,
                refused=refused,
                nobody=not refused,
            )
        return see_other(urls.secretariat_organisation(slug, done="invited", count=len(people)))

    @post("/{invitation_id:int}/resend")
    async def resend(
        self,
        slug: FromPath[str],
        invitation_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        await resend(runtime, invitation_id, Target(organisation=slug), actor=actor)
        return see_other(urls.secretariat_organisation(slug, done="invitation_resent"))


async def accounts(runtime: Runtime, slug: str, *, actor: Actor) -> dict[str, Any]:
    """What the organisation page shows of its people: accounts and invitations."""
    return {
        "applicants": await applicants_of(runtime, slug, actor=actor),
        "invitations": await invitations_to(runtime, Target(organisation=slug), actor=actor),
        "roles": (InvitedRole.APPLICANT,),
        "languages": LANGUAGES,
    }
