"""Commitments pages: the laureate's (what is expected of it and when, what it sent, what was
paid; sign, send a report) and the Secretariat's per call (laureates late first, accept or
return a report, extend a due date, record a payment, totals, indicators across laureates)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from awards import urls
from awards.commitments.blank import blank_agreement, blank_language
from awards.commitments.obligations import (
    accept_report,
    extend_due_date,
    return_report,
    send_report,
    sign_agreement,
)
from awards.commitments.payments import record_payment
from awards.commitments.views import call_overview, laureate_overview
from awards.errors import Invalid
from awards.http.auth import secretariat
from awards.http.params import RowId
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.applicant import applicant
from awards.web.charts import indicator_chart
from awards.web.page import render, see_other, visitor

DONE = "commitment"


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {key: str(form.get(key)) for key in form}


def _prefixed(form: dict[str, str], prefix: str) -> dict[str, str]:
    return {
        key.removeprefix(prefix): value for key, value in form.items() if key.startswith(prefix)
    }


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"'{text}' is not a date (YYYY-MM-DD)", extra={"field": field}) from None


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise Invalid(f"'{text}' is not an amount", extra={"field": "amount"}) from None


class LaureatePages(Controller):
    path = "/my/submissions/{submission_id:int}/commitments"
    guards = (applicant,)

    @get("/")
    async def page(
        self,
        request: Request[Any, Any, Any],
        submission_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        overview = await laureate_overview(runtime, submission_id, actor=actor)
        return render(
            request,
            "applicant/commitments.html",
            o=overview,
            blank=blank_language(
                runtime.settings.templates_dir, overview.laureate.kind, visitor(request).language
            ),
            done=request.query_params.get("done", ""),
        )

    @get("/agreement/blank")
    async def blank(
        self,
        request: Request[Any, Any, Any],
        submission_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Response[str]:
        """The blank agreement to print, sign and send back, in the reader's language."""
        name, html = await blank_agreement(
            runtime, submission_id, language=visitor(request).language, actor=actor
        )
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @post("/agreement")
    async def sign(
        self, submission_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> Redirect:
        await sign_agreement(runtime, submission_id, actor=actor)
        return see_other(urls.my_commitments(submission_id, done=DONE))

    @post("/reports/{name:str}")
    async def send(
        self,
        request: Request[Any, Any, Any],
        submission_id: RowId,
        name: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        form = await _form(request)
        answers = {key: value for key, value in _prefixed(form, "answer.").items() if value}
        await send_report(
            runtime,
            submission_id,
            name,
            answers=answers,
            indicators=_prefixed(form, "indicator."),
            version=int(form.get("version", "0") or 0),
            actor=actor,
        )
        return see_other(urls.my_commitments(submission_id, done=DONE))


class FollowUpPages(Controller):
    path = "/secretariat/calls/{call_id:int}/commitments"
    guards = (secretariat,)

    @get("/")
    async def page(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        overview = await call_overview(runtime, call_id, actor=actor)
        charts = {
            series.indicator.name: indicator_chart(
                [(f"{who} · {report}", value) for who, report, value in series.values],
                target=series.indicator.target,
                highest=series.highest,
            )
            for series in overview.indicators
        }
        return render(
            request,
            "secretariat/commitments.html",
            o=overview,
            charts=charts,
            today=runtime.clock().date().isoformat(),
            done=request.query_params.get("done", ""),
        )

    @post("/{submission_id:int}/reports/{name:str}")
    async def decide(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        submission_id: RowId,
        name: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Accept the report, or return it with the reason given."""
        form = await _form(request)
        if form.get("decision") == "return":
            await return_report(
                runtime, submission_id, name, reason=form.get("reason", ""), actor=actor
            )
        else:
            await accept_report(runtime, submission_id, name, actor=actor)
        return see_other(urls.secretariat_commitments(call_id, done=DONE))

    @post("/{submission_id:int}/due-dates/{name:str}")
    async def extend(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        submission_id: RowId,
        name: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        form = await _form(request)
        await extend_due_date(
            runtime,
            submission_id,
            name,
            due_on=_day(form.get("due_on", ""), "due_on"),
            reason=form.get("reason", ""),
            actor=actor,
        )
        return see_other(urls.secretariat_commitments(call_id, done=DONE))

    @post("/{submission_id:int}/payments")
    async def pay(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        submission_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        form = await _form(request)
        await record_payment(
            runtime,
            submission_id,
            form.get("instalment", ""),
            amount=_amount(form.get("amount", "")),
            currency=form.get("currency", ""),
            paid_on=_day(form.get("paid_on", ""), "paid_on"),
            reference=form.get("reference", ""),
            actor=actor,
        )
        return see_other(urls.secretariat_commitments(call_id, done=DONE))
