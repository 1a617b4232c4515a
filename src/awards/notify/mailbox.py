"""The local mailbox: mail kept as files instead of sent, for a demo without a mail server.

With `mail_transport = "mailbox"` (as `make run` sets it) the worker delivers each outbox row
here, through the same claim and record as SMTP (`awards.notify.delivery`), and `/mailbox`
shows what was kept: the sign-in link a demo user asked for is a click away. Anyone who
reaches the service reads that page, so this is never the default.

Each message is one file, `<queued>-<digest of its Message-ID>.eml`, written to a temporary
name and renamed: a reader never sees half a message, and a message delivered again (its
worker died before recording it) replaces its own file, so the mailbox never holds a
message twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from awards.db.tables import OutboxMessage
from awards.notify.sender import BatchReport, Failure, Made, compose

SHOWN = 50
"""Letters a reader sees at once: the newest."""


@dataclass(frozen=True)
class Letter:
    """A message of the mailbox as a person reads it."""

    recipient: str
    subject: str
    sent_at: datetime
    """When it was queued (its `Date`)."""
    language: str
    text: str
    attachments: tuple[str, ...] = ()
    """The names of the files it carries."""


class Mailbox:
    """Keeps batches of outbox rows as files in `directory`."""

    name = "mailbox"

    def __init__(self, directory: Path, *, sender: str, secret_key: str) -> None:
        self.directory = directory
        self.sender = sender
        self.secret_key = secret_key

    @property
    def destination(self) -> str:
        return f"the mailbox {self.directory} (read it at /mailbox)"

    async def send_batch(
        self,
        mails: Sequence[OutboxMessage],
        *,
        keep_going: Callable[[], bool] = lambda: True,
        made: Made | None = None,
    ) -> BatchReport:
        """Write `mails` while `keep_going()` holds; a message that cannot be written is
        retried later (a full disk), one that cannot be composed is not (CR/LF in a header)."""
        report = BatchReport()
        for mail in mails:
            if not keep_going():
                break
            assert mail.id is not None, "only stored outbox rows are delivered"
            try:
                message = compose(
                    mail,
                    sender=self.sender,
                    secret_key=self.secret_key,
                    attached=(made or {}).get(mail.id, ()),
                )
                message["Content-Language"] = mail.language
            except ValueError as error:
                report.failed[mail.id] = Failure(f"{type(error).__name__}: {error}", permanent=True)
                continue
            try:
                await asyncio.to_thread(self._keep, message, mail)
            except OSError as error:
                report.failed[mail.id] = Failure(f"cannot write to {self.directory}: {error}")
            else:
                report.sent.append(mail.id)
        return report

    async def check(self, *, within: float) -> None:
        """The directory exists (made if need be) and this process may write in it."""
        await asyncio.to_thread(self._check)

    async def letters(self, *, to: str = "") -> list[Letter]:
        """The newest `SHOWN` letters, newest first; only those to `to` when given."""
        return await asyncio.to_thread(self._read, to.strip().lower())

    def _keep(self, message: EmailMessage, mail: OutboxMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(mail.message_id.encode()).hexdigest()[:16]
        path = self.directory / f"{mail.created_at:%Y%m%dT%H%M%S%f}-{digest}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(message.as_bytes())
        os.replace(partial, path)

    def _check(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if not os.access(self.directory, os.W_OK | os.X_OK):
            raise PermissionError(f"cannot write to {self.directory}")

    def _read(self, to: str) -> list[Letter]:
        if not self.directory.is_dir():
            return []
        letters = []
        parser = BytesParser(policy=policy.default)
        for path in sorted(self.directory.glob("*.eml"), reverse=True):
            message = parser.parsebytes(path.read_bytes())
            assert isinstance(message, EmailMessage)
            recipient = str(message["To"])
            if to and recipient.lower() != to:
                continue
            body = message.get_body(preferencelist=("plain",))
            letters.append(
                Letter(
                    recipient=recipient,
                    subject=str(message["Subject"]),
                    sent_at=parsedate_to_datetime(str(message["Date"])),
                    language=str(message["Content-Language"] or ""),
                    text=body.get_content() if isinstance(body, EmailMessage) else "",
                    attachments=tuple(
                        part.get_filename() or "" for part in message.iter_attachments()
                    ),
                )
            )
            if len(letters) == SHOWN:
                break
        return letters
