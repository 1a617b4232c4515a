"""How mail leaves, as `mail_transport` says: to an SMTP server (`awards.notify.sender`) or
into the local mailbox of a demo (`awards.notify.mailbox`).

A transport only delivers the batches it is given and says what became of each message; the
worker claims and records them the same way whichever it is (`awards.notify.delivery`), so
nothing is lost or sent twice with either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from awards.db.tables import OutboxMessage
from awards.notify.mailbox import Mailbox
from awards.notify.sender import BatchReport, Made, SmtpSender
from awards.settings import Settings


class MailTransport(Protocol):
    @property
    def name(self) -> str:
        """What `/ready` calls the check of it: `smtp` or `mailbox`."""

    @property
    def destination(self) -> str:
        """Where mail goes, for a person: `127.0.0.1:8025 (none)`, `the mailbox var/mailbox`."""

    async def send_batch(
        self,
        mails: Sequence[OutboxMessage],
        *,
        keep_going: Callable[[], bool] = ...,
        made: Made | None = ...,
    ) -> BatchReport:
        """Deliver `mails` in order, with the files `made` for them, while `keep_going()`
        holds; never raises."""

    async def check(self, *, within: float) -> None:
        """Raise if mail could not be delivered now (for `/ready`)."""


def mail_transport(settings: Settings) -> MailTransport:
    if settings.keeps_mail_in_mailbox:
        return Mailbox(
            settings.mailbox_dir, sender=settings.mail_from, secret_key=settings.secret_key
        )
    return SmtpSender(settings)
