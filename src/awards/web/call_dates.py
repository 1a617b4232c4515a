"""Moving an open call's dates in the browser (`awards.calls.rescheduling`): the dates typed in
the call's time zone, a date that has passed shown and kept; then a confirmation saying whom
the move affects; then the move. A refusal shows the form again, naming the date at fault in
the reader's words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from awards import urls
from awards.calls.rescheduling import DATES, NewDates, move_dates, plan_dates
from awards.calls.service import CallService
from awards.clock import in_zone
from awards.db.tables import Call
from awards.errors import AwardsError
from awards.http.auth import secretariat
from awards.http.params import RowId, posted_version
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.call_editor import LOCAL, problem_of, refusal_status
from awards.web.page import render, see_other
from awards.web.secretariat import local_instant


def typed_dates(call: Call, typed: Mapping[str, str]) -> NewDates:
    """The dates typed in the call's time zone; a date not sent (one that passed) stays."""
    return NewDates(
        **{
            name: local_instant(typed[name], call.timezone, field=name)
            if typed.get(name)
            else getattr(call, name)
            for name in DATES
        }
    )


def dates_of(call: Call) -> dict[str, str]:
    """A call's dates as the form's boxes show them, and the version they were read at."""
    shown = {name: in_zone(getattr(call, name), call.timezone).strftime(LOCAL) for name in DATES}
    return shown | {"version": str(call.version)}


class CallDatesPages(Controller):
    path = "/secretariat/calls/{call_id:int}/dates"
    guards = (secretariat,)

    @get("/")
    async def form(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """An open call's dates, those still to come to be moved."""
        call = await calls.get(call_id, actor=actor)
        return _form(request, runtime, call, dates_of(call))

    @get("/confirm")
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Whom the typed dates affect, before they are moved; nothing is written."""
        call = await calls.get(call_id, actor=actor)
        # The version shown now, unless the form says which it was read at.
        typed = {"version": str(call.version), **dict(request.query_params.items())}
        try:
            move = await plan_dates(runtime, call_id, typed_dates(call, typed), actor=actor)
        except AwardsError as refused:
            return _form(request, runtime, call, typed, refused=refused)
        return render(
            request,
            "secretariat/dates_confirm.html",
            call=call,
            move=move,
            typed=typed,
            now=runtime.clock(),
        )

    @post("/")
    async def move(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template | Redirect:
        """Move the dates at the version the form was read; drafts are told by mail."""
        call = await calls.get(call_id, actor=actor)
        typed = {key: str(value) for key, value in (await request.form()).items()}
        try:
            dates = typed_dates(call, typed)
            version = posted_version(typed.get("version", "")) or 0
            await move_dates(runtime, call_id, dates, version=version, actor=actor)
        except AwardsError as refused:
            return _form(request, runtime, call, typed, refused=refused)
        return see_other(urls.secretariat_call(call_id, done="dates_moved"))


def _form(
    request: Request[Any, Any, Any],
    runtime: Runtime,
    call: Call,
    typed: Mapping[str, str],
    *,
    refused: AwardsError | None = None,
) -> Template:
    return render(
        request,
        "secretariat/dates.html",
        status=refusal_status(refused),
        call=call,
        typed=typed,
        passed={name for name in DATES if getattr(call, name) <= runtime.clock()},
        problem=problem_of(refused) if refused else "",
        code=str(refused.extra.get("code", "")) if refused else "",
    )
