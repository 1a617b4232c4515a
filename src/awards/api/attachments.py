"""Attachments of a submission: upload (multipart `file` and `field`) and download."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Stream

from awards.http.auth import signed_in
from awards.http.downloads import content_disposition
from awards.http.params import RowId
from awards.http.uploads import multipart_operation, streamed_upload
from awards.kinds.forms import MAX_SIZE_MB_CEILING, MEGABYTE
from awards.submissions.attachments import AttachmentService, Uploaded
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

# Room for the multipart envelope and the `field` part around the largest file any field takes;
# a bigger body is refused with 413 before it is read.
UPLOAD_BODY_LIMIT = MAX_SIZE_MB_CEILING * MEGABYTE + 64 * 1024


class AttachmentOut(msgspec.Struct):
    """An attachment, with the version its upload gave the submission."""

    id: int
    submission_id: int
    field: str
    filename: str
    content_type: str
    size: int
    sha256: str
    submission_version: int

    @classmethod
    def of(cls, uploaded: Uploaded) -> AttachmentOut:
        attachment = uploaded.attachment
        assert attachment.id is not None
        return cls(
            id=attachment.id,
            submission_id=attachment.submission_id,
            field=attachment.field,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            submission_version=uploaded.version,
        )


def _attachments(runtime: NamedDependency[Runtime]) -> AttachmentService:
    return AttachmentService(runtime)


class AttachmentController(Controller):
    path = "/submissions/{submission_id:int}/attachments"
    tags = ("submissions",)
    guards = (signed_in,)
    dependencies = {"attachments": Provide(_attachments, sync_to_thread=False)}  # noqa: RUF012 - Litestar reads it as a class attribute

    @post(
        "/",
        request_max_body_size=UPLOAD_BODY_LIMIT,
        operation_class=multipart_operation("field"),
    )
    async def upload_attachment(
        self,
        submission_id: RowId,
        request: Request[Any, Any, Any],
        attachments: NamedDependency[AttachmentService],
        actor: NamedDependency[Actor],
    ) -> AttachmentOut:
        """Owner: a document answering a file field of a draft, multipart part `file` after
        part `field` (422 naming the field when its content, name or size is refused)."""
        async with streamed_upload(request) as upload:
            uploaded = await attachments.upload(
                submission_id, upload.text("field"), upload.chunks, upload.filename, actor=actor
            )
        return AttachmentOut.of(uploaded)

    @get("/{attachment_id:int}")
    async def download_attachment(
        self,
        submission_id: RowId,
        attachment_id: RowId,
        attachments: NamedDependency[AttachmentService],
        actor: NamedDependency[Actor],
    ) -> Stream:
        """Owner, Secretariat: the document's bytes as uploaded; `ETag` is their SHA-256."""
        download = await attachments.download(submission_id, attachment_id, actor=actor)
        return stored_file(download.chunks, download.attachment)


class StoredFile(Protocol):
    """What a download answer says of a stored document."""

    @property
    def filename(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def sha256(self) -> str: ...


def stored_file(chunks: AsyncIterator[bytes], file: StoredFile) -> Stream:
    """A stored document's bytes as a download; `ETag` is their SHA-256, and browsers may not
    sniff another type than the one checked at upload."""
    return Stream(
        chunks,
        media_type=file.content_type,
        headers={
            "Content-Disposition": content_disposition(file.filename),
            "Content-Length": str(file.size),
            "ETag": f'"{file.sha256}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
