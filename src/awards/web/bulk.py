"""The Secretariat's bulk actions on a call's submissions: the rows ticked on the call's page,
a confirmation that names how many and which (and which would be refused now, and why),
then each fired on its own and reported (`awards.submissions.bulk`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Template

from awards.calls.service import CallService
from awards.db.types import MAX_ROW_ID
from awards.errors import Invalid
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.submissions.bulk import bulk_transition, chosen, fire_each
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import render, visitor
from awards.web.wording import Wording


def row_ids(values: Sequence[str]) -> list[int]:
    """The ticked rows' ids; `Invalid` naming `id` for one that no row can have."""
    ids = [value.strip() for value in values]
    if not all(i.isascii() and i.isdigit() and 1 <= int(i) <= MAX_ROW_ID for i in ids):
        raise Invalid("a chosen candidacy is not a row id", extra={"field": "id"})
    return [int(i) for i in ids]


class BulkPages(Controller):
    path = "/secretariat/calls/{call_id:int}/bulk"
    guards = (secretariat,)

    @get("/")
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """What the action will do, to how many and which, before anything changes."""
        call = await calls.get(call_id, actor=actor)
        kind = runtime.kind(call.kind)
        transition = bulk_transition(kind, request.query_params.get("name", ""))
        entries = await chosen(
            submissions, call_id, row_ids(request.query_params.getall("id", [])), actor=actor
        )
        options = {
            e.submission.id: next(
                (
                    o
                    for o in await submissions.options(e.submission.id or 0, actor=actor)
                    if o.transition.name == transition.name
                ),
                None,
            )
            for e in entries
        }
        return render(
            request,
            "secretariat/bulk_confirm.html",
            call=call,
            kind=kind,
            transition=transition,
            entries=entries,
            options=options,
            ready=sum(1 for o in options.values() if o is not None and o.allowed),
            w=Wording(kind, visitor(request)),
        )

    @post("/")
    async def fire(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Fire the transition on each chosen submission; report what each became."""
        form = await request.form()
        call = await calls.get(call_id, actor=actor)
        kind = runtime.kind(call.kind)
        transition = bulk_transition(kind, str(form.get("name", "")))
        ids = row_ids([str(value) for value in form.getall("id", [])])
        entries = await chosen(submissions, call_id, ids, actor=actor)
        outcomes = await fire_each(submissions, entries, transition.name, actor=actor)
        return render(
            request,
            "secretariat/bulk_report.html",
            call=call,
            kind=kind,
            transition=transition,
            outcomes=outcomes,
            done=sum(1 for o in outcomes if o.done),
            w=Wording(kind, visitor(request)),
        )
