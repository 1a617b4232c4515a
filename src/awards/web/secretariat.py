"""Secretariat pages: the calls and their lifecycle, and one call's work: counts by state,
the eligibility queue, every submission's next steps (decisions included), the panel and the
assignment, the rounds' deadlines and who is late, the jury's progress, the ranking with each
juror's score distribution, exports."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from awards import urls
from awards.calls.service import CallService
from awards.db.tables import OutboxMessage
from awards.errors import Invalid
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.jury.anonymise import withheld_fields
from awards.jury.assignment import assign_round
from awards.jury.deadlines import late_jurors, round_deadlines, set_deadline
from awards.jury.panel import panel_conflicts, panel_seats, set_panel
from awards.jury.reviews import jury_progress
from awards.jury.standings import standings
from awards.notify.delivery import dead_mail, resend
from awards.submissions.bulk import bulk_transitions
from awards.submissions.consequences import IRREVERSIBLE
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState
from awards.web.charts import histogram
from awards.web.page import render, see_other, visitor
from awards.web.transitions import input_fields, posted_transition
from awards.web.wording import Wording

ELIGIBILITY = frozenset({"mark_eligible", "mark_ineligible", "return_for_revision"})
"""The transitions that make a submission part of the eligibility queue."""
RANKED_STATES = frozenset({CallState.REVIEWING, CallState.DECIDING, CallState.PUBLISHED})
CATEGORY = "category."
"""The panel form's box of the category a juror sits for, followed by their address."""


class SecretariatPages(Controller):
    path = "/secretariat"
    guards = (secretariat,)

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Every call, its counts by state, and the lifecycle steps allowed now."""
        summaries = await calls.visible(actor=actor)
        options = {s.call.id: await calls.options(s.call.id or 0, actor=actor) for s in summaries}
        words = {slug: Wording(kind, visitor(request)) for slug, kind in runtime.kinds.items()}
        return render(
            request,
            "secretariat/index.html",
            summaries=summaries,
            options=options,
            words=words,
            irreversible=IRREVERSIBLE,
            done=request.query_params.get("done", ""),
        )

    @get("/calls/{call_id:int}")
    async def call_page(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
        round: FromQuery[str | None] = None,
    ) -> Template:
        summary = await calls.summary(call_id, actor=actor)
        call = summary.call
        kind = runtime.kind(call.kind)
        entries = await submissions.of_call(call_id, actor=actor)
        options = {
            e.submission.id: await submissions.options(e.submission.id or 0, actor=actor)
            for e in entries
        }
        queue = [
            e
            for e in entries
            if any(o.transition.name in ELIGIBILITY for o in options[e.submission.id])
        ]
        ranked = kind.jury is not None and call.state in RANKED_STATES
        return render(
            request,
            "secretariat/call.html",
            call=call,
            kind=kind,
            counts=summary.counts,
            lifecycle=await calls.options(call_id, actor=actor),
            irreversible=IRREVERSIBLE,
            queue=queue,
            others=[e for e in entries if e not in queue],
            options=options,
            bulk=[transition.name for transition in bulk_transitions(kind)],
            inputs={
                e.submission.id: input_fields(
                    kind,
                    languages=call.languages,
                    language=visitor(request).language,
                    id_prefix=f"i{e.submission.id}",
                )
                for e in entries
            }
            if kind.inputs_form.fields
            else {},
            panel=await panel_seats(runtime, call_id, actor=actor) if kind.jury else [],
            deadlines=await round_deadlines(runtime, call_id, actor=actor) if kind.jury else [],
            late=await late_jurors(runtime, call_id, actor=actor) if kind.jury else [],
            progress=await jury_progress(runtime, call_id, actor=actor) if kind.jury else [],
            standings=await standings(runtime, call_id, round_name=round, actor=actor)
            if ranked
            else [],
            round=round or "",
            titles={e.submission.id: e.submission.answers.get("title") for e in entries},
            withheld=withheld_fields(kind.form),
            histogram=histogram,
            w=Wording(kind, visitor(request)),
            done=request.query_params.get("done", ""),
        )

    @post("/calls/{call_id:int}/transitions")
    async def fire_call(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """A lifecycle step of the call: open, close, start_review, deliberate, publish..."""
        posted = await posted_transition(request)
        await calls.fire(call_id, posted.name, actor=actor, reason=posted.reason)
        back = (await request.form()).get("back", "")
        target = urls.SECRETARIAT if back == "index" else urls.secretariat_call(call_id)
        return see_other(urls.page(target, done=posted.name))

    @post("/calls/{call_id:int}/submissions/{submission_id:int}/transitions")
    async def fire_submission(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        submission_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """A step of one submission: eligibility, review, decision, publication."""
        call = await calls.get(call_id, actor=actor)
        posted = await posted_transition(request)
        inputs = posted.inputs(runtime.kind(call.kind), languages=call.languages)
        await submissions.fire(
            submission_id, posted.name, actor=actor, reason=posted.reason, inputs=inputs
        )
        return see_other(urls.secretariat_call(call_id, done=posted.name, anchor="submissions"))

    @post("/calls/{call_id:int}/panel")
    async def put_panel(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """The panel: the jurors ticked (or typed, one per line), which of them presides, and
        the category each ticked one sits for (`category.<address>`; none: every one)."""
        form = await request.form()
        jurors = " ".join(str(box) for box in form.getall("jurors", [])).replace(",", " ").split()
        president = str(form.get("president", "")).strip() or None
        categories = {
            email: str(form.get(f"{CATEGORY}{email}"))
            for email in jurors
            if form.get(f"{CATEGORY}{email}")
        }
        await set_panel(
            runtime,
            call_id,
            jurors=jurors,
            president=president,
            actor=actor,
            categories=categories,
        )
        if form.get("back") == "panel":
            return see_other(urls.secretariat_panel(call_id, done="panel"))
        return see_other(urls.secretariat_call(call_id, done="panel", anchor="jury"))

    @post("/calls/{call_id:int}/deadline")
    async def put_deadline(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """A round's review deadline, typed in the call's time zone, and its reminder days."""
        form = await request.form()
        call = await calls.get(call_id, actor=actor)
        await set_deadline(
            runtime,
            call_id,
            round_name=str(form.get("round", "")).strip(),
            review_by=local_instant(str(form.get("review_by", "")), call.timezone),
            reminder_days=whole_days(str(form.get("reminder_days", ""))),
            actor=actor,
        )
        return see_other(urls.secretariat_call(call_id, done="deadline", anchor="jury"))

    @get("/calls/{call_id:int}/conflicts")
    async def conflicts(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The conflicts of interest detected for the panel, before assigning."""
        call = await calls.get(call_id, actor=actor)
        findings = await panel_conflicts(runtime, call_id, candidates=None, actor=actor)
        return render(request, "secretariat/conflicts.html", call=call, findings=findings)

    @post("/calls/{call_id:int}/assignments")
    async def assign(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Assign a round's submissions to the panel, balanced, never across a conflict."""
        chosen = str((await request.form()).get("round", "")).strip() or None
        report = await assign_round(runtime, call_id, round_name=chosen, actor=actor)
        short = sum(report.short.values())
        return see_other(
            urls.secretariat_call(
                call_id, done="assigned", anchor="jury", created=report.created, short=short
            )
        )

    @get("/mail")
    async def mail(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        calls: NamedDependency[CallService],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Mail given up on after its retries, with the error that ended it: about the calls
        of the member's network, or about none."""
        theirs = {summary.call.id for summary in await calls.visible(actor=actor)}
        return render(
            request,
            "secretariat/mail.html",
            dead=about(await dead_mail(runtime.db), theirs),
            done=request.query_params.get("done", ""),
        )

    @post("/mail/{mail_id:int}/resend")
    async def resend_mail(self, mail_id: RowId, runtime: NamedDependency[Runtime]) -> Redirect:
        """Queue a dead mail again (same Message-ID, fresh attempts)."""
        await resend(runtime.db, mail_id, now=runtime.clock())
        return see_other(urls.secretariat_mail(done="resent"))


def about(mails: Sequence[OutboxMessage], calls: Collection[int | None]) -> list[OutboxMessage]:
    """The `mails` about one of `calls` or about no call (a sign-in link, an invitation)."""
    return [mail for mail in mails if mail.call_id is None or mail.call_id in calls]


def local_instant(typed: str, timezone: str, *, field: str = "review_by") -> datetime:
    """A `datetime-local` box's value (`2026-01-31T18:00`) as an instant in `timezone`."""
    try:
        return datetime.fromisoformat(typed.strip()).replace(tzinfo=ZoneInfo(timezone))
    except ValueError:
        raise Invalid(f"'{typed}' is not a date and time", extra={"field": field}) from None


def whole_days(typed: str) -> list[int] | None:
    """`7, 1` as [7, 1]; an empty box: the default reminders."""
    parts = typed.replace(",", " ").split()
    if not all(part.isdigit() for part in parts):
        raise Invalid(f"'{typed}' is not a list of whole days", extra={"field": "reminder_days"})
    return [int(part) for part in parts] or None
