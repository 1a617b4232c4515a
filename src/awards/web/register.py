"""Secretariat pages of the members register: the organisations, and editing one of them
(country, region, network, member since, fees), each change recorded as an import records it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from awards import urls
from awards.db.tables import Organisation
from awards.errors import Invalid
from awards.http.auth import secretariat
from awards.members.editing import edit_organisation, organisation, organisations, read_fields
from awards.members.values import NETWORKS
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import render, see_other
from awards.web.people import accounts


class RegisterPages(Controller):
    path = "/secretariat/organisations"
    guards = (secretariat,)

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], runtime: NamedDependency[Runtime]
    ) -> Template:
        """Every organisation of the register, by name."""
        return render(
            request,
            "secretariat/organisations.html",
            organisations=await organisations(runtime.db),
            done=request.query_params.get("done", ""),
        )

    @get("/{slug:str}")
    async def form(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The organisation's register fields, and the people who act for it."""
        found = await organisation(runtime.db, slug)
        people = await accounts(runtime, slug, actor=actor)
        return _form(request, found, _typed(found), {}, people=people)

    @post("/{slug:str}")
    async def save(
        self,
        request: Request[Any, Any, Any],
        slug: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template | Redirect:
        """Change what was typed; a wrong value shows the form again with what is wrong."""
        typed = {key: str(value) for key, value in (await request.form()).items()}
        try:
            fields = read_fields(typed)
        except Invalid as wrong:
            found = await organisation(runtime.db, slug)
            people = await accounts(runtime, slug, actor=actor)
            return _form(
                request,
                found,
                typed,
                wrong.extra["fields"],
                people=people,
                status=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        await edit_organisation(runtime.db, slug, fields, by=actor.email, now=runtime.clock())
        return see_other(urls.secretariat_organisations(done="organisation"))


def _typed(found: Organisation) -> dict[str, str]:
    """The organisation's fields as the form shows them."""
    return {
        "country": found.country,
        "region": found.region or "",
        "network": found.network or "",
        "member_since": str(found.member_since or ""),
        "fees_up_to_date": "yes" if found.fees_up_to_date else "",
    }


def _form(
    request: Request[Any, Any, Any],
    found: Organisation,
    typed: Mapping[str, str],
    problems: Mapping[str, str],
    *,
    people: Mapping[str, Any],
    status: int = 200,
) -> Template:
    return render(
        request,
        "secretariat/organisation.html",
        status=status,
        o=found,
        typed=typed,
        networks=NETWORKS,
        problems=problems,
        **people,
    )
