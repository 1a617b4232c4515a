"""The Secretariat's pages for people: a call's panel chosen from the jurors it knows, and
invitations sent from the page to addresses not known yet, to the panel or to act for an
organisation, with their state and a resend (`awards.auth.roster`). A typed list with a
refused address comes back as typed, with why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
from awards.web.wording import Wording

PANEL_ROLES = (InvitedRole.JUROR, InvitedRole.PRESIDENT)


@dataclass(frozen=True)
class Posted:
    """What an invitation form did: how many were invited, and what to show again."""

    sent: int
    refused: list[Refused]
    typed: str
    """The refused lines, as typed, for the form to show again."""

    @property
    def failed(self) -> bool:
        return bool(self.refused) or not self.sent


async def invite_posted(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    target: Target,
    roles: Sequence[InvitedRole],
    *,
    actor: Actor,
) -> Posted:
    """Invite each address of the posted list to `target`, as the role chosen among `roles`
    (the first unless another is), in the language chosen (else the reader's), for the
    category chosen if any."""
    form = await request.form()
    typed = str(form.get("invitees", ""))
    role = next((r for r in roles if r == form.get("role")), roles[0])
    language = str(form.get("language", "")) or visitor(request).language
    people = invitees(typed)
    refused = await invite_each(
        runtime,
        people,
        target,
        role=role,
        language=language,
        actor=actor,
        category=str(form.get("category", "")) or None,
    )
    shown = "\n".join(r.invitee.line for r in refused) if refused else typed
    return Posted(len(people) - len(refused), refused, shown)


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
        return await self._page(request, call_id, runtime, calls, actor, posted=None)

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
        posted = await invite_posted(
            request, runtime, Target(call_id=call_id), PANEL_ROLES, actor=actor
        )
        if posted.failed:
            return await self._page(request, call_id, runtime, calls, actor, posted=posted)
        return see_other(urls.secretariat_panel(call_id, done="invited", count=posted.sent))

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
        posted: Posted | None,
    ) -> Template:
        call = await calls.get(call_id, actor=actor)
        seats = await panel_seats(runtime, call_id, actor=actor)
        return render(
            request,
            "secretariat/panel.html",
            status=HTTP_422_UNPROCESSABLE_ENTITY if posted else 200,
            call=call,
            seats={seat.email: seat for seat in seats},
            categories=runtime.kind(call.kind).categories,
            w=Wording(runtime.kind(call.kind), visitor(request)),
            jurors=await known_jurors(runtime, actor=actor),
            invitations=await invitations_to(runtime, Target(call_id=call_id), actor=actor),
            roles=PANEL_ROLES,
            languages=call.languages,
            **_form_of(posted),
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
        target = Target(organisation=found.slug)
        posted = await invite_posted(
            request, runtime, target, (InvitedRole.APPLICANT,), actor=actor
        )
        if posted.failed:
            return render(
                request,
                "secretariat/accounts.html",
                status=HTTP_422_UNPROCESSABLE_ENTITY,
                o=found,
                **await accounts(runtime, found.slug, actor=actor),
                **_form_of(posted),
            )
        return see_other(urls.secretariat_organisation(slug, done="invited", count=posted.sent))

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


def _form_of(posted: Posted | None) -> dict[str, Any]:
    """What the invitation form shows: empty, or what was refused and as typed."""
    if posted is None:
        return {"typed": "", "refused": [], "nobody": False}
    return {"typed": posted.typed, "refused": posted.refused, "nobody": not posted.refused}


async def accounts(runtime: Runtime, slug: str, *, actor: Actor) -> dict[str, Any]:
    """What the organisation page shows of its people: accounts and invitations."""
    return {
        "applicants": await applicants_of(runtime, slug, actor=actor),
        "invitations": await invitations_to(runtime, Target(organisation=slug), actor=actor),
        "roles": (InvitedRole.APPLICANT,),
        "languages": LANGUAGES,
    }
