"""Creating and editing a call in the browser: its kind (chosen first), edition, titles in its
languages, dates typed in its time zone, the settings its kind declares
(`awards.calls.declared`), with the kind's workflows drawn beside. A refused form comes back
as typed, the field at fault said in the reader's words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from awards import urls
from awards.calls.declared import declared_settings
from awards.calls.networks import kind_run_by, kinds_run_by
from awards.calls.service import CallService, NewCall
from awards.clock import in_zone, zone
from awards.db.tables import Call
from awards.errors import AwardsError, Conflict
from awards.http.auth import secretariat
from awards.http.params import RowId, posted_version
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import render, see_other, visitor
from awards.web.secretariat import local_instant, whole_days
from awards.web.wording import Wording
from workflows.diagram import mermaid

LOCAL = "%Y-%m-%dT%H:%M"
"""A `datetime-local` box's value."""


def typed_call(form: FormMultiDict) -> tuple[dict[str, str], list[str]]:
    """The form's boxes as typed, and the languages ticked."""
    return {key: str(form.get(key, "")) for key in form}, [
        str(value) for value in form.getall("languages", [])
    ]


def new_call(kind: CallKind, typed: Mapping[str, str], languages: Sequence[str]) -> NewCall:
    """The call the form describes; `Invalid` naming the first box at fault."""
    timezone = typed.get("timezone", "").strip()
    zone(timezone)
    settings: dict[str, Any] = {}
    for name in declared_settings(kind):
        value = typed.get(name, "").strip()
        if name == "reminder_days":
            days = whole_days(value)
            if days is not None:
                settings[name] = days
        elif name == "excluded":
            settings[name] = [
                {"organisation": slug, "reason": reason.strip()}
                for slug, _, reason in (line.strip().partition(" ") for line in value.splitlines())
                if slug
            ]
        elif value:
            settings[name] = int(value) if name == "grace_minutes" and value.isdigit() else value
    chosen = [language for language in kind.languages if language in languages]
    return NewCall(
        kind=kind.slug,
        edition=typed.get("edition", "").strip(),
        title={language: typed.get(f"title.{language}", "").strip() for language in chosen},
        opens_at=local_instant(typed.get("opens_at", ""), timezone, field="opens_at"),
        closes_at=local_instant(typed.get("closes_at", ""), timezone, field="closes_at"),
        timezone=timezone,
        languages=chosen,
        settings=settings,
    )


def typed_of(call: Call) -> dict[str, str]:
    """A call's values as its form's boxes show them."""
    settings = call.settings
    return {
        "edition": call.edition,
        **{f"title.{language}": text for language, text in call.title.items()},
        "timezone": call.timezone,
        "opens_at": in_zone(call.opens_at, call.timezone).strftime(LOCAL),
        "closes_at": in_zone(call.closes_at, call.timezone).strftime(LOCAL),
        "started_before": settings.get("started_before") or "",
        "grace_minutes": str(settings.get("grace_minutes", 0)),
        "reminder_days": ", ".join(str(day) for day in settings.get("reminder_days", [])),
        "excluded": "\n".join(
            f"{e['organisation']} {e['reason']}" for e in settings.get("excluded", [])
        ),
        "version": str(call.version),
    }


def problem_of(error: AwardsError) -> str:
    """The box at fault (or `state`, `version`): the form says it in the reader's words."""
    field = str(error.extra.get("field", ""))
    if field:
        return field.split(".")[0]
    return next((name for name in ("version", "state") if name in error.extra), "other")


def refusal_status(refused: AwardsError | None) -> int:
    """A form shown again: 409 when the call changed or is not in a state for it, else 422."""
    if refused is None:
        return 200
    return HTTP_409_CONFLICT if isinstance(refused, Conflict) else HTTP_422_UNPROCESSABLE_ENTITY


class CallEditorPages(Controller):
    path = "/secretariat/calls"
    guards = (secretariat,)

    @get("/new")
    async def new(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
        kind: FromQuery[str | None] = None,
    ) -> Template:
        """The kinds of the member's network to choose from; then the form of a call of the
        chosen one."""
        if kind is None:
            kinds = kinds_run_by(runtime, actor)
            return render(request, "secretariat/call_kinds.html", kinds=kinds)
        chosen = kind_run_by(runtime, kind, actor)
        typed = {"timezone": visitor(request).timezone or "UTC"}
        return _form(request, chosen, typed, list(chosen.languages), call=None)

    @post("/new")
    async def create(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template | Redirect:
        form = await request.form()
        kind = kind_run_by(runtime, str(form.get("kind", "")), actor)
        typed, languages = typed_call(form)
        try:
            call = await calls.create(new_call(kind, typed, languages), actor=actor)
        except AwardsError as refused:
            return _form(request, kind, typed, languages, call=None, refused=refused)
        return see_other(urls.secretariat_call(call.id or 0, done="call_created"))

    @get("/{call_id:int}/edit")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        call = await calls.get(call_id, actor=actor)
        kind = runtime.kind(call.kind)
        return _form(request, kind, typed_of(call), list(call.languages), call=call)

    @post("/{call_id:int}/edit")
    async def save(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template | Redirect:
        """A draft call's new titles, dates and settings, at the version the form was read."""
        call = await calls.get(call_id, actor=actor)
        kind = runtime.kind(call.kind)
        typed, languages = typed_call(await request.form())
        try:
            new = new_call(kind, typed | {"edition": call.edition}, languages)
            version = posted_version(typed.get("version", "")) or 0
            await calls.edit(call_id, new, version=version, actor=actor)
        except AwardsError as refused:
            return _form(request, kind, typed, languages, call=call, refused=refused)
        return see_other(urls.secretariat_call(call_id, done="call_edited"))


def _form(
    request: Request[Any, Any, Any],
    kind: CallKind,
    typed: Mapping[str, str],
    languages: Sequence[str],
    *,
    call: Call | None,
    refused: AwardsError | None = None,
) -> Template:
    return render(
        request,
        "secretariat/call_form.html",
        status=refusal_status(refused),
        kind=kind,
        call=call,
        typed=typed,
        languages=languages,
        settings=declared_settings(kind),
        problem=problem_of(refused) if refused else "",
        w=Wording(kind, visitor(request)),
        diagrams={
            "call": (kind.call_workflow, mermaid(kind.call_workflow)),
            "submission": (kind.submission_workflow, mermaid(kind.submission_workflow)),
        },
    )
