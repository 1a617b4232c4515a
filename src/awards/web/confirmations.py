"""The pages that come before an irreversible step, each saying what it will do, counted now,
and the button that does it: a step of a call (close, publish, declare void;
`awards.submissions.consequences`), posted to the call's transitions like any other step; and
erasing a person (`awards.privacy.forecast`), whose page, once done, reports what was done."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from awards import urls
from awards.calls.service import CallService
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.privacy.erasure import erase_person
from awards.privacy.forecast import erasure_forecast
from awards.submissions.consequences import consequence
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import render, see_other, visitor
from awards.web.transitions import option_named
from awards.web.wording import Wording


class ConfirmationPages(Controller):
    path = "/secretariat/calls/{call_id:int}/confirm"
    guards = (secretariat,)

    @get("/")
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The consequence of step `name`, and whether it may be taken now."""
        trigger = request.query_params.get("name", "")
        found = await consequence(runtime, call_id, trigger, actor=actor)
        option = option_named(await calls.options(call_id, actor=actor), trigger)
        return render(
            request,
            "secretariat/confirm.html",
            consequence=found,
            call=found.call,
            option=option,
            w=Wording(runtime.kind(found.call.kind), visitor(request)),
        )


class ErasurePages(Controller):
    path = "/secretariat/people/{user_id:int}/erasure"
    guards = (secretariat,)

    @get("/")
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        user_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """What erasing the person will erase and keep; once erased, when and as whom."""
        forecast = await erasure_forecast(runtime, user_id, actor=actor)
        return render(request, "secretariat/erasure.html", forecast=forecast)

    @post("/")
    async def erase(
        self, user_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> Redirect:
        """Erase the person (`erase_person`, as the API does); the page then reports it."""
        forecast = await erasure_forecast(runtime, user_id, actor=actor)
        await erase_person(runtime, forecast.user.email, actor=actor)
        return see_other(urls.secretariat_erasure(user_id, done="erased"))
