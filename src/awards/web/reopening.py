"""The Secretariat reopens final reviews (`awards.jury.reopening`): one juror's, from the
candidacy's reviews, or a whole round's until a new deadline, from the call's jury section.
Each asks first on a page of its own that says what will change, as irreversible steps do."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from awards import urls
from awards.calls.service import CallService
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.jury.reopening import reopen_review, reopen_round, review_to_reopen, round_to_reopen
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import render, see_other
from awards.web.secretariat import local_instant


class ReopeningPages(Controller):
    path = "/secretariat/calls/{call_id:int}"
    guards = (secretariat,)

    @get("/assignments/{assignment_id:int}/reopen")
    async def confirm_review(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        assignment_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Secretariat of the call's network: whose review goes back to draft, and why."""
        found = await review_to_reopen(runtime, call_id, assignment_id, actor=actor)
        return render(
            request,
            "secretariat/reopen_review.html",
            r=found,
            call=found.call,
            kind=runtime.kind(found.call.kind),
        )

    @post("/assignments/{assignment_id:int}/reopen")
    async def reopen_one(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        assignment_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Return the review to draft; its juror is told, with the reason."""
        reason = str((await request.form()).get("reason", ""))
        done = await reopen_review(runtime, call_id, assignment_id, reason=reason, actor=actor)
        return see_other(
            urls.secretariat_submission(
                done.submission_id, done="review_reopened", anchor="reviews"
            )
        )

    @get("/rounds/{round_name:str}/reopen")
    async def confirm_round(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        round_name: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Secretariat of the call's network: how many final reviews go back to draft, and
        the new deadline to set."""
        found = await round_to_reopen(runtime, call_id, round_name=round_name, actor=actor)
        return render(
            request,
            "secretariat/reopen_round.html",
            r=found,
            call=found.call,
            kind=runtime.kind(found.call.kind),
        )

    @post("/rounds/{round_name:str}/reopen")
    async def reopen_all(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        round_name: FromPath[str],
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Reopen the round until the deadline typed in the call's time zone."""
        form = await request.form()
        call = await calls.get(call_id, actor=actor)
        count = await reopen_round(
            runtime,
            call_id,
            round_name=round_name,
            review_by=local_instant(str(form.get("review_by", "")), call.timezone),
            reason=str(form.get("reason", "")),
            actor=actor,
        )
        return see_other(
            urls.secretariat_call(call_id, done="round_reopened", anchor="jury", count=count)
        )
