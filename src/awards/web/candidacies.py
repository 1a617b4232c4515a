"""The Secretariat's reading of candidacies: one candidacy's page (answers, documents shown in
the page, checks, overrides, reviews, history, mails) and every candidacy of a call as a
table to download (CSV or XLSX, in a chosen language, anonymised unless asked)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Stream, Template

from awards import urls
from awards.errors import Invalid
from awards.formats import spreadsheet_csv, xlsx
from awards.http.auth import secretariat
from awards.http.downloads import content_disposition
from awards.http.params import RowId
from awards.kinds.forms import FieldType
from awards.submissions.casefile import casefile, document
from awards.submissions.service import SubmissionService
from awards.submissions.table import CandidacyTable, candidacy_table
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.i18n import has, translator
from awards.web.page import render, see_other, visitor
from awards.web.wording import Wording

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FRAMED = {
    # Shown inside the candidacy's page: framed by the site's own pages only, and running
    # nothing of its own.
    "content-security-policy": "default-src 'none'; frame-ancestors 'self'",
    "x-frame-options": "SAMEORIGIN",
}


class CandidacyPages(Controller):
    path = "/secretariat"
    guards = (secretariat,)

    @get("/submissions/{submission_id:int}")
    async def candidacy(
        self,
        request: Request[Any, Any, Any],
        submission_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Secretariat of the call's network: everything about one candidacy."""
        found = await casefile(runtime, submission_id, actor=actor)
        form = found.kind.form
        reader = visitor(request)
        title = found.submission.answers.get("title")
        return render(
            request,
            "secretariat/candidacy.html",
            c=found,
            title=reader.text(title, found.kind.default_language)
            if isinstance(title, dict)
            else title,
            fields=[f for f in form.fields if f.name in found.answers],
            documents=[
                (f, found.answers[f.name])
                for f in form.fields
                if f.type is FieldType.FILE and isinstance(found.answers.get(f.name), dict)
            ],
            w=Wording(found.kind, reader),
            done=request.query_params.get("done", ""),
        )

    @post("/submissions/{submission_id:int}/overrides")
    async def override(
        self,
        request: Request[Any, Any, Any],
        submission_id: RowId,
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Secretariat of the call's network: let a rule hold, for the reason typed."""
        form = await request.form()
        await submissions.override_rule(
            submission_id,
            str(form.get("rule", "")),
            reason=str(form.get("reason", "")),
            actor=actor,
        )
        return see_other(
            urls.secretariat_submission(submission_id, done="override", anchor="checks")
        )

    @get("/submissions/{submission_id:int}/documents/{attachment_id:int}")
    async def candidacy_document(
        self,
        submission_id: RowId,
        attachment_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
        download: FromQuery[bool] = False,
    ) -> Stream:
        """Secretariat of the call's network: a document, shown in the page or downloaded."""
        found = await document(runtime, submission_id, attachment_id, actor=actor)
        attachment = found.attachment
        return Stream(
            found.chunks,
            media_type=attachment.content_type,
            headers={
                "Content-Disposition": content_disposition(
                    attachment.filename, inline=not download
                ),
                "Content-Length": str(attachment.size),
                "X-Content-Type-Options": "nosniff",
                **({} if download else FRAMED),
            },
        )

    @get("/calls/{call_id:int}/candidacies")
    async def candidacies_export(
        self,
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
        format: FromQuery[str] = "xlsx",
        language: FromQuery[str] = "en",
        anonymised: FromQuery[bool] = True,
    ) -> Response[bytes]:
        """Secretariat of the call's network: every candidacy sent, with its answers."""
        if format not in FORMATS:
            raise Invalid(f"format '{format}' is neither csv nor xlsx", extra={"field": "format"})
        table = await candidacy_table(
            runtime, call_id, language=language, anonymised=anonymised, actor=actor
        )
        header, rows = tabulated(table, language=language)
        name = f"{table.call.kind}-{table.call.edition}{'-anonymised' if anonymised else ''}"
        t = translator(language)
        content = (
            spreadsheet_csv(header, rows)
            if format == "csv"
            else xlsx(t("export.sheet"), header, rows)
        )
        return Response(
            content,
            media_type=FORMATS[format],
            headers={"Content-Disposition": content_disposition(f"{name}.{format}")},
        )


def tabulated(table: CandidacyTable, *, language: str) -> tuple[list[str], list[list[object]]]:
    """The table's header and rows in `language`: questions by their labels, states named."""
    t = translator(language)
    default = table.kind.default_language
    named = () if table.anonymised else ("export.organisation", "export.country")
    header = [
        t("export.number"),
        t("export.pseudonym"),
        *map(t, named),
        t("export.state"),
        *(f.label.get(language) or f.label.get(default) or f.name for f in table.fields),
    ]

    def state(name: str) -> str:
        return t(f"state.{name}") if has(f"state.{name}") else name

    rows = [
        [
            row.number,
            row.pseudonym,
            *(() if table.anonymised else (row.organisation, row.country)),
            state(row.state),
            *row.answers,
        ]
        for row in table.rows
    ]
    return header, rows
