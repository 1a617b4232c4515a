"""Documents of an assigned submission, as a juror may download them.

In an anonymised call only documents of non-identifying fields are served, under a neutral
name (`annex-1.pdf`), and a PDF is rebuilt from what its pages show first, once per
original (`awards.jury.clean_copies`): a document that cannot be rebuilt is withheld rather
than served as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from awards.db.tables import Attachment, Submission
from awards.errors import Conflict, NotFound
from awards.jury.anonymise import neutral_attachment
from awards.jury.clean_copies import clean_copy
from awards.jury.dossier import is_revealed
from awards.jury.pdf_metadata import UnreadablePdf
from awards.jury.reviews import own_assignment
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

PDF = "application/pdf"


@dataclass(frozen=True)
class JuryDocument:
    name: str
    content_type: str
    content: bytes


async def jury_document(
    runtime: Runtime, assignment_id: int, attachment_id: int, *, actor: Actor
) -> JuryDocument:
    async with runtime.db.read() as session:
        assignment, call = await own_assignment(session, assignment_id, actor)
        attachment = await session.get(Attachment, attachment_id)
        submission = await session.get(Submission, assignment.submission_id)
    assert submission is not None
    kind = runtime.kind(call.kind)
    field = kind.form.field(attachment.field) if attachment else None
    current = attachment is not None and (
        submission.answers.get(attachment.field, {}).get("attachment_id") == attachment.id
    )
    if attachment is None or field is None or not current:
        raise NotFound(f"no document {attachment_id} in assignment {assignment_id}")
    revealed = is_revealed(kind, call)
    if field.identifying and not revealed:
        raise NotFound(f"no document {attachment_id} in assignment {assignment_id}")
    if revealed:
        content = b"".join([chunk async for chunk in await runtime.files.open(attachment.sha256)])
        return JuryDocument(attachment.filename, attachment.content_type, content)
    if attachment.content_type != PDF:
        raise Conflict(
            f"document {attachment_id} is withheld from the anonymised jury: only PDF documents "
            "are cleaned of their metadata",
            extra={"field": attachment.field},
        )
    try:
        content = await clean_copy(runtime, attachment.sha256)
    except UnreadablePdf as error:
        raise Conflict(
            f"document {attachment_id} cannot be cleaned of its metadata, so it is withheld: "
            f"{error}",
            extra={"field": attachment.field},
        ) from None
    neutral = neutral_attachment(field.name, submission.answers[field.name])
    return JuryDocument(str(neutral["name"]), attachment.content_type, content)
