"""A laureate's commitments after the decision: agreement, reports, payments
(`awards.commitments`). The laureate signs and reports; the Secretariat decides and pays."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK

from awards.api.commitment_schemas import (
    CallCommitmentsOut,
    CommitmentsOut,
    DueDateIn,
    PaymentIn,
    PaymentOut,
    ReasonIn,
    ReportIn,
)
from awards.commitments.agreements import signed_copy, upload_signed_agreement
from awards.commitments.obligations import (
    accept_report,
    extend_due_date,
    return_report,
    send_report,
    sign_agreement,
)
from awards.commitments.payments import payments_csv, record_payment
from awards.commitments.views import call_overview, laureate_overview
from awards.http.auth import secretariat, signed_in
from awards.http.downloads import content_disposition
from awards.http.params import RowId
from awards.http.uploads import multipart_operation, streamed_upload
from awards.kinds.forms import DEFAULT_MAX_SIZE_MB, MEGABYTE
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

SIGNED_BODY_LIMIT = DEFAULT_MAX_SIZE_MB * MEGABYTE + 64 * 1024
"""The largest signed agreement, and room for the multipart envelope."""


class CommitmentController(Controller):
    path = "/submissions/{submission_id:int}/commitments"
    tags = ("commitments",)

    @get("/", guards=[signed_in])
    async def read(
        self, submission_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> CommitmentsOut:
        """Owner, secretariat: what is expected and when, what was sent, what was paid."""
        return CommitmentsOut.of(await laureate_overview(runtime, submission_id, actor=actor))

    @post("/agreement", guards=[signed_in], status_code=HTTP_200_OK)
    async def sign(
        self, submission_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> CommitmentsOut:
        """Owner: accept the agreement (kinds whose agreement is accepted on the page)."""
        await sign_agreement(runtime, submission_id, actor=actor)
        return CommitmentsOut.of(await laureate_overview(runtime, submission_id, actor=actor))

    @post(
        "/agreement/signed",
        guards=[signed_in],
        request_max_body_size=SIGNED_BODY_LIMIT,
        operation_class=multipart_operation(),
    )
    async def upload_signed(
        self,
        submission_id: RowId,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> CommitmentsOut:
        """Owner: the signed agreement, a PDF in multipart part `file` (kinds whose agreement
        is uploaded)."""
        async with streamed_upload(request) as upload:
            await upload_signed_agreement(
                runtime, submission_id, upload.chunks, upload.filename, actor=actor
            )
        return CommitmentsOut.of(await laureate_overview(runtime, submission_id, actor=actor))

    @get("/agreement/signed", guards=[signed_in])
    async def download_signed(
        self, submission_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> Stream:
        """Owner, secretariat: the signed agreement uploaded."""
        name, chunks = await signed_copy(runtime, submission_id, actor=actor)
        return Stream(
            chunks,
            media_type="application/pdf",
            headers={
                "Content-Disposition": content_disposition(name),
                "X-Content-Type-Options": "nosniff",
            },
        )

    @put("/reports/{name:str}", guards=[signed_in])
    async def send(
        self,
        submission_id: RowId,
        name: FromPath[str],
        data: JSONBody[ReportIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> CommitmentsOut:
        """Owner: send report `name` at the `version` read, with its indicators' values."""
        await send_report(
            runtime,
            submission_id,
            name,
            answers=data.answers,
            indicators=data.indicators,
            version=data.version,
            actor=actor,
        )
        return CommitmentsOut.of(await laureate_overview(runtime, submission_id, actor=actor))

    @post("/reports/{name:str}/accept", guards=[secretariat], status_code=HTTP_200_OK)
    async def accept(
        self,
        submission_id: RowId,
        name: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> CommitmentsOut:
        """Secretariat: accept a sent report."""
        await accept_report(runtime, submission_id, name, actor=actor)
        return CommitmentsOut.of(await laureate_overview(runtime, submission_id, actor=actor))

    @post("/reports/{name:str}/return", guards=[secretariat], status_code=HTTP_200_OK)
    async def give_back(
        self,
        submission_id: RowId,
        name: FromPath[str],
        data: JSONBody[ReasonIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> CommitmentsOut:
        """Secretariat: return a sent report for changes, with the reason (mailed)."""
        await return_report(runtime, submission_id, name, reason=data.reason, actor=actor)
        return CommitmentsOut.of(await laureate_overview(runtime, submission_id, actor=actor))

    @post("/{name:str}/due-date", guards=[secretariat], status_code=HTTP_200_OK)
    async def extend(
        self,
        submission_id: RowId,
        name: FromPath[str],
        data: JSONBody[DueDateIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> CommitmentsOut:
        """Secretariat: a later due date for the agreement or a report, with the reason."""
        await extend_due_date(
            runtime, submission_id, name, due_on=data.due_on, reason=data.reason, actor=actor
        )
        return CommitmentsOut.of(await laureate_overview(runtime, submission_id, actor=actor))

    @post("/payments", guards=[secretariat])
    async def pay(
        self,
        submission_id: RowId,
        data: JSONBody[PaymentIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> PaymentOut:
        """Secretariat: record an instalment paid (409 with a `code` when refused)."""
        payment = await record_payment(
            runtime,
            submission_id,
            data.instalment,
            amount=data.amount,
            currency=data.currency,
            paid_on=data.paid_on,
            reference=data.reference,
            actor=actor,
        )
        return PaymentOut.of(payment)


class CallCommitmentController(Controller):
    path = "/calls/{call_id:int}"
    tags = ("commitments",)

    @get("/commitments", guards=[secretariat])
    async def follow(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> CallCommitmentsOut:
        """Secretariat: each laureate's commitments, late first; totals; indicators."""
        return CallCommitmentsOut.of(await call_overview(runtime, call_id, actor=actor))

    @get("/payments.csv", guards=[secretariat])
    async def export(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> Response[bytes]:
        """Secretariat: the call's payments for the accountants (CSV, UTF-8 with a BOM)."""
        return Response(
            await payments_csv(runtime, call_id, actor=actor),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="call-{call_id}-payments.csv"'},
        )
