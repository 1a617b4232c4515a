"""Attachments: documents uploaded as answers to the file fields of a draft.

An upload is an edit of the draft, not a transition: no audit entry, but the same
compare-and-set on `version` as any edit (invariant 3), and only while the submission is in
one of its kind's editable states (the draft, a return for revision). Reading one is for the
owner and the Secretariat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from awards.db.cas import update_if
from awards.db.lookups import submission_and_call
from awards.db.tables import Attachment, Submission
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.kinds.forms import FieldType, FormField
from awards.storage import (
    FileFamily,
    Identified,
    StagedBlob,
    TooLarge,
    Unacceptable,
    identify,
)
from awards.storage.content import PDF
from awards.storage.pdf_pages import count_pages
from awards.submissions.service import SubmissionService, refuse_unless_editable
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Uploaded:
    attachment: Attachment
    version: int
    """The submission's version after the upload."""


@dataclass(frozen=True)
class Download:
    attachment: Attachment
    chunks: AsyncIterator[bytes]


@dataclass(frozen=True)
class _Target:
    submission: Submission
    field: FormField


class AttachmentService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.store = runtime.files

    async def upload(
        self,
        submission_id: int,
        field: str,
        stream: AsyncIterable[bytes],
        filename: str,
        *,
        actor: Actor,
    ) -> Uploaded:
        """Store `stream` as the answer to file field `field` of the caller's draft.

        Check (owner, draft, file field) -> stage the bytes, refused past the field's cap ->
        identify the content and name it -> keep the blob durably -> one write transaction:
        the attachment row and `answers[field]`, compare-and-set on version. The caller
        answers only after that commit, so an acknowledged upload survives a crash.
        """
        async with self.runtime.db.read() as session:
            target = await self._target(session, submission_id, field, actor)
        try:
            async with self.store.stage(stream, limit=target.field.max_bytes) as staged:
                identified = await self._identify(staged, filename, target.field)
                await self._count_pages(staged, identified, target.field)
                await self.store.keep(staged)
        except TooLarge:
            _refuse(
                target.field,
                f"files of at most {target.field.max_size_mb} MB are accepted",
                code="too_large",
            )
        now = self.runtime.clock()
        async with self.runtime.db.write() as session:
            # Checked again inside the transaction: the draft may have been submitted since.
            submission = (await self._target(session, submission_id, field, actor)).submission
            attachment = Attachment(
                submission_id=submission_id,
                field=field,
                filename=identified.filename,
                content_type=identified.content_type,
                size=staged.size,
                sha256=staged.sha256,
                created_at=now,
                uploaded_by=actor.id or 0,
            )
            session.add(attachment)
            await session.flush()
            answer = {
                "attachment_id": attachment.id,
                "filename": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
            version = submission.version
            if not await update_if(
                session,
                Submission,
                submission_id,
                expect={"version": version, "state": submission.state},
                values={
                    "answers": {**submission.answers, field: answer},
                    "version": version + 1,
                    "updated_at": now,
                },
            ):
                raise Conflict(
                    f"submission {submission_id} changed while '{field}' was uploading: "
                    "reload it and upload again",
                    extra={"field": field, "code": "changed"},
                )
        logger.info(
            "attachment %s (%s, %d bytes) answers %s of submission %s, now version %d",
            attachment.id,
            attachment.sha256,
            attachment.size,
            field,
            submission_id,
            version + 1,
        )
        return Uploaded(attachment=attachment, version=version + 1)

    async def download(self, submission_id: int, attachment_id: int, *, actor: Actor) -> Download:
        """An attachment of a submission the caller may read (owner, Secretariat)."""
        await SubmissionService(self.runtime).get(submission_id, actor=actor)
        async with self.runtime.db.read() as session:
            attachment = await session.get(Attachment, attachment_id)
        if attachment is None or attachment.submission_id != submission_id:
            raise NotFound(f"no attachment {attachment_id} in submission {submission_id}")
        return Download(attachment=attachment, chunks=await self.store.open(attachment.sha256))

    async def _target(
        self, session: AsyncSession, submission_id: int, field: str, actor: Actor
    ) -> _Target:
        found = await submission_and_call(session, submission_id)
        if found is None:
            raise NotFound(f"no submission {submission_id}")
        submission, call = found
        if not (actor.owns(submission) or actor.is_secretariat):
            raise NotFound(f"no submission {submission_id}")  # as for a missing id
        if not actor.owns(submission):
            raise Forbidden(
                f"only the applicant of submission {submission_id} uploads its documents"
            )
        kind = self.runtime.kind(call.kind)
        refuse_unless_editable(submission, kind, action="upload to")
        form_field = kind.form.field(field)
        if form_field is None:
            raise Invalid(
                f"field '{field}' is not on this form",
                extra={"field": field, "rule": "unknown field"},
            )
        if form_field.type is not FieldType.FILE:
            _refuse(form_field, "not a file field", code="not_accepted")
        return _Target(submission=submission, field=form_field)

    async def _count_pages(
        self, staged: StagedBlob, identified: Identified, form_field: FormField
    ) -> None:
        """Refuse a PDF of more pages than the settings allow (a jury could not read it, and
        rebuilding it for an anonymised one would take a thread for long)."""
        if identified.kind is not PDF:
            return
        most = self.runtime.settings.pdf_max_pages
        pages = await asyncio.to_thread(count_pages, staged.path, most=most)
        if pages is not None and pages > most:
            _refuse(
                form_field,
                f"PDF documents of at most {most} pages are accepted; "
                f"'{identified.filename}' has more",
                code="too_many_pages",
            )

    @staticmethod
    async def _identify(staged: StagedBlob, filename: str, form_field: FormField) -> Identified:
        """The upload's kind and safe name; refused if the field does not accept that kind."""
        try:
            identified = await asyncio.to_thread(identify, staged.path, filename)
        except Unacceptable as refusal:
            _refuse(form_field, str(refusal), code=refusal.code)
        if identified.kind.family not in form_field.accept:
            accepted = " or ".join(FileFamily(family).label for family in form_field.accept)
            _refuse(
                form_field,
                f"only {accepted} are accepted; '{identified.filename}' is {identified.kind.label}",
                code="not_accepted",
            )
        return identified


def _refuse(form_field: FormField, rule: str, *, code: str) -> NoReturn:
    """Refuse an upload to `form_field`: `rule` says why in English, `code` which refusal it
    is (`upload.<code>` on the pages)."""
    raise Invalid(
        f"field '{form_field.name}': {rule}",
        extra={"field": form_field.name, "rule": rule, "code": code},
    )
