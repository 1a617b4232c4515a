"""The page that comes before an irreversible step of a call (close, publish, declare void):
what it will do, counted now (`awards.submissions.consequences`), and the button that does it,
posted to the call's transitions like any other step."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from awards.calls.service import CallService
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.submissions.consequences import consequence
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import render, visitor
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
