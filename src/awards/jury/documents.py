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
    runtime: Runtime, assignment_id: int, field_name: str, *, actor: Actor
) -> JuryDocument:
    """The current document answering `field_name` of the assigned submission.

    Addressed by its field, not by its attachment id: ids follow the order of uploads across
    the service, and a juror who could read or try them would learn that order.
    """
    async with runtime.db.read() as session:
        assignment, call = await own_assignment(session, assignment_id, actor)
        submission = await session.get(Submission, assignment.submission_id)
        assert submission is not None
        answer = submission.answers.get(field_name)
        attachment_id = answer.get("attachment_id") if isinstance(answer, dict) else None
        attachment = await session.get(Attachment, attachment_id) if attachment_id else None
    kind = runtime.kind(call.kind)
    field = kind.form.field(field_name)
    missing = NotFound(f"no document '{field_name}' in assignment {assignment_id}")
    if attachment is None or field is None or attachment.field != field_name:
        raise missing
    revealed = is_revealed(kind, call)
    if field.identifying and not revealed:
        raise missing
    if revealed:
        content = b"".join([chunk async for chunk in await runtime.files.open(attachment.sha256)])
        return JuryDocument(attachment.filename, attachment.content_type, content)
    if attachment.content_type != PDF:
        raise Conflict(
            f"document '{field_name}' of assignment {assignment_id} is withheld from the "
            "anonymised jury: only PDF documents are cleaned of their metadata",
            extra={"field": attachment.field},
        )
    try:
        content = await clean_copy(runtime, attachment.sha256)
    except UnreadablePdf as error:
        raise Conflict(
            f"document '{field_name}' of assignment {assignment_id} cannot be cleaned of its "
            f"metadata, so it is withheld: {error}",
            extra={"field": attachment.field},
        ) from None
    neutral = neutral_attachment(field.name, submission.answers[field.name])
    return JuryDocument(str(neutral["name"]), attachment.content_type, content)
