"""Documents in the databank: the attachments an applicant agreed to publish.

A call kind's `databank.documents` names the file fields that may be published; only with
the `documents` option of its consent field are they. The entry keeps a copy of each
document's description (`DatabankEntry.documents`); the bytes stay the attachment's blob,
served to anyone at `/api/v1/databank/{id}/documents/{number}` while the entry is public.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from awards.db.tables import Attachment, Submission


async def published_documents(
    session: AsyncSession, submission: Submission, fields: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The attachments answering `fields` of `submission`, in that order, as the entry
    describes them."""
    documents = []
    for name in fields:
        answer = submission.answers.get(name)
        attachment_id = answer.get("attachment_id") if isinstance(answer, dict) else None
        if not isinstance(attachment_id, int):
            continue
        attachment = await session.get(Attachment, attachment_id)
        # Only an upload to this very field of this submission: answers are the applicant's.
        if attachment is None or (attachment.submission_id, attachment.field) != (
            submission.id,
            name,
        ):
            continue
        documents.append(
            {
                "field": name,
                "filename": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
        )
    return documents


def document_path(entry_id: int, number: int) -> str:
    """Where anyone downloads document `number` (from 1) of entry `entry_id`."""
    return f"/api/v1/databank/{entry_id}/documents/{number}"
