"""The Secretariat's bulk actions on a call's submissions: the rows ticked on the call's page,
a confirmation that names how many and which (and which would be refused now, and why),
then each fired on its own and reported (`awards.submissions.bulk`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures.multi_dicts import MultiMixin
from litestar.di import NamedDependency
from litestar.response import Template

from awards.calls.service import CallService
from awards.db.tables import Call
from awards.db.types import MAX_ROW_ID
from awards.errors import Invalid
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.kinds.kind import CallKind
from awards.submissions.bulk import bulk_transition, chosen, fire_each
from awards.submissions.service import CallEntry, SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import render, visitor
from awards.web.transitions import option_named
from awards.web.wording import Wording
from workflows import Transition


def row_ids(values: Sequence[str]) -> list[int]:
    """The ticked rows' ids; `Invalid` naming `id` for one that no row can have."""
    ids = [value.strip() for value in values]
    if not all(i.isascii() and i.isdigit() and 1 <= int(i) <= MAX_ROW_ID for i in ids):
        raise Invalid("a chosen candidacy is not a row id", extra={"field": "id"})
    return [int(i) for i in ids]


@dataclass(frozen=True)
class Chosen:
    """What a bulk form asks: which step, on which of the call's submissions."""

    call: Call
    kind: CallKind
    transition: Transition
    entries: list[CallEntry]


async def _chosen(
    runtime: Runtime,
    calls: CallService,
    submissions: SubmissionService,
    call_id: int,
    fields: MultiMixin[Any],
    *,
    actor: Actor,
) -> Chosen:
    """The step (`name`) and the submissions (`id`, repeated) a bulk form names."""
    call = await calls.get(call_id, actor=actor)
    kind = runtime.kind(call.kind)
    transition = bulk_transition(kind, str(fields.get("name", "")))
    ids = row_ids([str(value) for value in fields.getall("id", [])])
    return Chosen(call, kind, transition, await chosen(submissions, call_id, ids, actor=actor))


def _page(request: Request[Any, Any, Any], template: str, c: Chosen, **context: Any) -> Template:
    return render(
        request,
        template,
        call=c.call,
        kind=c.kind,
        transition=c.transition,
        w=Wording(c.kind, visitor(request)),
        **context,
    )


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
        c = await _chosen(runtime, calls, submissions, call_id, request.query_params, actor=actor)
        options = {
            e.submission.id: option_named(
                await submissions.options(e.submission.id or 0, actor=actor), c.transition.name
            )
            for e in c.entries
        }
        return _page(
            request,
            "secretariat/bulk_confirm.html",
            c,
            entries=c.entries,
            options=options,
            ready=sum(1 for o in options.values() if o is not None and o.allowed),
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
        c = await _chosen(runtime, calls, submissions, call_id, form, actor=actor)
        outcomes = await fire_each(submissions, c.entries, c.transition.name, actor=actor)
        return _page(
            request,
            "secretariat/bulk_report.html",
            c,
            outcomes=outcomes,
            done=sum(1 for o in outcomes if o.done),
        )
