"""Applicant pages: their submissions, the form of a draft with autosave, checks, a preview
confirmed to submit, withdraw, the receipt, history and the messages sent about it."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from awards import urls
from awards.calls.service import CallService
from awards.commitments.views import opened
from awards.db.tables import AuditEntry, Call, Submission
from awards.errors import Conflict, Invalid
from awards.http.auth import actor_of, signed_in
from awards.http.params import RowId, posted_version
from awards.kinds.forms import FieldType, Flagged
from awards.kinds.kind import CallKind
from awards.submissions.receipt import receipt_name, receipt_pdf
from awards.submissions.service import SubmissionService
from awards.submissions.versions import editable_states
from awards.transitions.actor import Actor, Role
from awards.transitions.apply import stated_reason
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState
from awards.web.forms import FieldView, changes, checked, field_views, parse_answers
from awards.web.page import render, see_other, visitor
from awards.web.transitions import input_fields, posted_transition
from awards.web.wording import Wording

SENDING = frozenset({"submit", "resubmit"})
"""The owner's transitions that send the candidacy: confirmed on its preview first."""
VERSION_HEADER = "X-Submission-Version"
"""The draft's version after an autosave: `awards.js` keeps the page's highest."""


async def applicant(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Guard: applicants only."""
    await signed_in(connection, handler)
    if actor_of(connection).role is not Role.APPLICANT:
        raise PermissionDeniedException("these pages are for applicants")


@dataclass(frozen=True)
class Draft:
    submission: Submission
    call: Call
    kind: CallKind


async def _draft(
    submission_id: RowId,
    runtime: NamedDependency[Runtime],
    submissions: NamedDependency[SubmissionService],
    actor: NamedDependency[Actor],
) -> Draft:
    """The submission of the path with its call and kind (a dependency of the handlers)."""
    submission = await submissions.get(submission_id, actor=actor)
    call = await CallService(runtime).get(submission.call_id, actor=actor)
    return Draft(submission, call, runtime.kind(call.kind))


async def _posted(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    form = await request.form()
    return {key: [str(value) for value in form.getall(key)] for key in form}


class ApplicantPages(Controller):
    path = "/my"
    guards = (applicant,)
    dependencies = {"draft": Provide(_draft)}  # noqa: RUF012 - Litestar reads the class

    @get("/")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The organisation's submissions with their state, and the calls open now."""
        mine = await submissions.own(actor=actor)
        summaries = await calls.visible(actor=actor)
        open_calls = [s.call for s in summaries if s.call.state == CallState.OPEN]
        words = {slug: Wording(kind, visitor(request)) for slug, kind in runtime.kinds.items()}
        return render(
            request, "applicant/overview.html", mine=mine, open_calls=open_calls, words=words
        )

    @post("/calls/{call_id:int}/submissions")
    async def start(
        self,
        call_id: RowId,
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        submission = await submissions.create(call_id, {}, actor=actor)
        return see_other(urls.my_submission(submission.id or 0))

    @get("/submissions/{submission_id:int}")
    async def submission_page(
        self,
        request: Request[Any, Any, Any],
        draft: NamedDependency[Draft],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Template:
        return await _page(request, draft, submissions=submissions, actor=actor)

    @patch("/submissions/{submission_id:int}")
    async def autosave(
        self,
        request: Request[Any, Any, Any],
        draft: NamedDependency[Draft],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """HTMX: save the draft at the version the page holds; 409 when it changed elsewhere."""
        posted = await _posted(request)
        try:
            version, refused = await _save(draft, posted, submissions=submissions, actor=actor)
        except Conflict:
            return render(request, "applicant/_stale.html", status=HTTP_409_CONFLICT)
        return render(
            request,
            "applicant/_saved.html",
            status=HTTP_422_UNPROCESSABLE_ENTITY if _lost(refused) else 200,
            headers={VERSION_HEADER: str(version)},
            submission=draft.submission,
            version=version,
            kind=draft.kind,
            refused=refused,
            **await _next_steps(request, draft, submissions=submissions, actor=actor),
        )

    @post("/submissions/{submission_id:int}")
    async def save(
        self,
        request: Request[Any, Any, Any],
        draft: NamedDependency[Draft],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Template | Redirect:
        """The same save without script: back to the page, or the page with what was refused."""
        _, refused = await _save(
            draft, await _posted(request), submissions=submissions, actor=actor
        )
        if not _lost(refused):
            return see_other(urls.my_submission(draft.submission.id or 0, done="saved"))
        saved = await submissions.get(draft.submission.id or 0, actor=actor)
        return await _page(
            request,
            replace(draft, submission=saved),
            submissions=submissions,
            actor=actor,
            refused=refused,
            status=HTTP_422_UNPROCESSABLE_ENTITY,
        )

    @post("/submissions/{submission_id:int}/transitions")
    async def fire(
        self,
        request: Request[Any, Any, Any],
        draft: NamedDependency[Draft],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Submit, withdraw, contest...: whatever the workflow lets the owner do now."""
        posted = await posted_transition(request)
        inputs = posted.inputs(draft.kind, languages=draft.call.languages)
        submission_id = draft.submission.id or 0
        if posted.name in SENDING and posted.fields.get("confirmed") != ["yes"]:
            return see_other(urls.my_preview(submission_id))
        await submissions.fire(
            submission_id, posted.name, actor=actor, reason=posted.reason, inputs=inputs
        )
        return see_other(urls.my_submission(submission_id, done=posted.name))

    @get("/submissions/{submission_id:int}/preview")
    async def preview(
        self,
        request: Request[Any, Any, Any],
        draft: NamedDependency[Draft],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The whole candidacy read-only, as the Secretariat and the jury will read it, and
        the button that sends it once the applicant confirms."""
        submission_id = draft.submission.id or 0
        options = await submissions.options(submission_id, actor=actor)
        return render(
            request,
            "applicant/preview.html",
            submission=draft.submission,
            call=draft.call,
            kind=draft.kind,
            fields=_views(request, draft, draft.submission.answers),
            sending=[o for o in options if o.transition.name in SENDING],
            w=Wording(draft.kind, visitor(request)),
        )

    @get("/submissions/{submission_id:int}/receipt.pdf")
    async def receipt(
        self,
        request: Request[Any, Any, Any],
        draft: NamedDependency[Draft],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Response[bytes]:
        """The receipt of the candidacy as last sent, in the applicant's language."""
        submission_id = draft.submission.id or 0
        versions = await submissions.versions(submission_id, actor=actor)
        if not versions:
            raise Conflict(f"submission {submission_id} has not been sent: it has no receipt")
        sent, reader = versions[-1], visitor(request)
        # fpdf2 lays the pages out in Python, CPU work every other request would wait for.
        document = await asyncio.to_thread(
            receipt_pdf,
            sent,
            submission_id=submission_id,
            call=draft.call,
            kind=draft.kind,
            language=reader.language,
            t=reader.t,
        )
        filename = receipt_name(submission_id, sent)
        return Response(
            document,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


def _views(
    request: Request[Any, Any, Any], draft: Draft, answers: Mapping[str, Any]
) -> list[FieldView]:
    """The form's fields with `answers`, in the reader's language."""
    return field_views(
        draft.kind.form,
        answers,
        languages=draft.call.languages,
        language=visitor(request).language,
        default=draft.kind.default_language,
    )


def _lost(problems: Mapping[str, Invalid]) -> bool:
    """Whether an answer was refused, not saved (one kept as typed is flagged only)."""
    return any(not isinstance(problem, Flagged) for problem in problems.values())


async def _save(
    draft: Draft,
    posted: Mapping[str, Sequence[str]],
    *,
    submissions: SubmissionService,
    actor: Actor,
) -> tuple[int, dict[str, Invalid]]:
    """Save the answers the page changed and a draft may hold, at the page's version; the
    version the page holds next, and what each answer breaks, by field (one refused is left as
    it was, one flagged is kept as typed)."""
    languages = draft.call.languages
    answers = parse_answers(draft.kind.form, posted, languages=languages)
    edited = changes(answers, draft.submission.answers)
    accepted, refused = checked(draft.kind.form, edited, languages=languages)
    version = posted_version((posted.get("version") or [""])[0]) or 0
    assert draft.submission.id is not None
    if not accepted:
        # Nothing to write; the page keeps its version, so a change made elsewhere meanwhile
        # is still caught when this page next saves one of its own.
        return version, refused
    saved = await submissions.edit(draft.submission.id, accepted, version=version, actor=actor)
    return saved.version, refused


async def _page(
    request: Request[Any, Any, Any],
    draft: Draft,
    *,
    submissions: SubmissionService,
    actor: Actor,
    refused: Mapping[str, Invalid] | None = None,
    status: int = 200,
) -> Template:
    submission, call, kind = draft.submission, draft.call, draft.kind
    assert submission.id is not None
    history = await submissions.history(submission.id, actor=actor)
    versions = await submissions.versions(submission.id, actor=actor)
    flagged = kind.form.flagged(submission.answers, languages=tuple(call.languages))
    return render(
        request,
        "applicant/submission.html",
        status=status,
        submission=submission,
        call=call,
        kind=kind,
        editable=submission.state in editable_states(kind),
        returned=_returned(submission, kind, history),
        versions=versions,
        fields=_views(request, draft, submission.answers),
        refused={**flagged, **(refused or {})},
        history=history,
        sent=bool(versions),
        messages=await submissions.messages(submission.id, actor=actor),
        done=request.query_params.get("done", ""),
        commitments=await opened(submissions.runtime, submission.id),
        pdf_max_pages=submissions.runtime.settings.pdf_max_pages,
        **await _next_steps(request, draft, submissions=submissions, actor=actor),
    )


@dataclass(frozen=True)
class Returned:
    """Why and until when a submission came back to its owner for revision."""

    message: str
    until: str | None


def _returned(
    submission: Submission, kind: CallKind, history: Sequence[AuditEntry]
) -> Returned | None:
    """The Secretariat's message when the owner may edit again after sending (the kind's
    `revision:`), and the date it gave with it (a date input of that transition)."""
    initial = kind.submission_workflow.initial
    if submission.state == initial or submission.state not in editable_states(kind):
        return None
    entry = next((e for e in reversed(history) if e.to_state == submission.state), None)
    transition = kind.submission_workflow.transitions.get(entry.transition) if entry else None
    if entry is None or transition is None:
        return None
    given = {
        name: submission.inputs[name] for name in transition.inputs if name in submission.inputs
    }
    dates = [
        str(value)
        for name, value in given.items()
        if (field := kind.inputs_form.field(name)) is not None and field.type is FieldType.DATE
    ]
    return Returned(stated_reason(entry, given), dates[0] if dates else None)


async def _next_steps(
    request: Request[Any, Any, Any],
    draft: Draft,
    *,
    submissions: SubmissionService,
    actor: Actor,
) -> dict[str, Any]:
    """What `applicant/_checks.html` shows: the owner's transitions with their checks, the
    inputs they ask for, and the words for them."""
    reader = visitor(request)
    assert draft.submission.id is not None
    return {
        "options": await submissions.options(draft.submission.id, actor=actor),
        "inputs": input_fields(
            draft.kind, languages=draft.call.languages, language=reader.language, id_prefix="i"
        ),
        "w": Wording(draft.kind, reader),
    }
