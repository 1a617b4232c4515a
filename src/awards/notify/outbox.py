"""The outbox: e-mails written in the transaction that causes them (invariant 6).

A message is rendered when it is queued, so what is sent is what was decided. Its Message-ID
is derived from what caused it (template, audit entry, recipient): queuing the same cause
twice is refused by the unique index, and a resend after a crash is recognisable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from awards.db.tables import OutboxMessage
from awards.notify.render import MailRenderer


class MailStatus(StrEnum):
    """Where an outbox row stands; `awards.notify.delivery` moves it."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


def message_id(*, template: str, cause: str, recipient: str, base_url: str) -> str:
    digest = hashlib.sha256(f"{template}|{cause}|{recipient.lower()}".encode()).hexdigest()[:24]
    domain = urlsplit(base_url).hostname or "awards.local"
    return f"<{template}.{cause}.{digest}@{domain}>"


async def queue_mail(
    session: AsyncSession,
    renderer: MailRenderer,
    template: str,
    *,
    recipient: str,
    language: str,
    fallback_language: str,
    values: dict[str, Any],
    cause: str,
    base_url: str,
    now: datetime,
    call_id: int | None = None,
    submission_id: int | None = None,
    attachments: Sequence[dict[str, Any]] = (),
) -> OutboxMessage:
    """Render `template` for `recipient` and add it to the outbox in `session`'s transaction;
    its `attachments` are made when it is sent (`awards.notify.attach`)."""
    mail = renderer.render(template, language=language, fallback=fallback_language, values=values)
    message = OutboxMessage(
        message_id=message_id(
            template=template, cause=cause, recipient=recipient, base_url=base_url
        ),
        call_id=call_id,
        submission_id=submission_id,
        recipient=recipient,
        language=mail.language,
        template=template,
        subject=mail.subject,
        body_text=mail.text,
        body_html=mail.html,
        attachments=list(attachments),
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message
