"""Send outbox rows over SMTP with aiosmtplib: one connection carries a whole batch.

A batch connects once (implicit TLS, STARTTLS or plain text as `smtp_tls` says; logging in
when `smtp_user` is set), sends its messages one after the other and quits. What happens to
each message is reported, never raised:

- a 5xx answer to the message itself (sender, recipient or content refused) is permanent;
- everything else is temporary: timeouts, disconnects, refused connections, 4xx answers, and
  any answer while connecting or logging in, which says nothing about the message (a wrong
  password must not kill every mail of the batch);
- a message after a lost connection, or after `keep_going()` turned false, is not attempted
  and is left out of the report, so the worker releases it untouched.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime

from aiosmtplib import (
    SMTP,
    SMTPException,
    SMTPNotSupported,
    SMTPRecipientsRefused,
    SMTPResponseException,
)

from awards.db.tables import OutboxMessage
from awards.notify.seals import unseal
from awards.settings import Settings
from awards.transitions.runtime import Attached

Made = Mapping[int, Sequence[Attached]]
"""The files of the mails of a batch that carry some, by outbox row id (`awards.notify.attach`)."""

DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for each answer of the server."""


@dataclass(frozen=True)
class Failure:
    """Why a message was not delivered; `permanent` when sending it again cannot help."""

    error: str
    permanent: bool = False


@dataclass
class BatchReport:
    """Outcome per outbox row id; a row in neither was not attempted."""

    sent: list[int] = field(default_factory=list)
    failed: dict[int, Failure] = field(default_factory=dict)


def compose(
    mail: OutboxMessage, *, sender: str, secret_key: str, attached: Sequence[Attached] = ()
) -> EmailMessage:
    """The e-mail of an outbox row: text and HTML alternatives, under the row's Message-ID,
    its seals opened (`awards.notify.seals`), then the files it carries.

    `Date` is when the row was queued, so a copy sent again after a crash is identical.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(mail.created_at)
    message.set_content(unseal(mail.body_text, secret_key=secret_key))
    message.add_alternative(unseal(mail.body_html, secret_key=secret_key), subtype="html")
    for file in attached:
        maintype, _, subtype = file.content_type.partition("/")
        message.add_attachment(file.data, maintype, subtype, filename=file.filename)
    return message


class SmtpSender:
    """Delivers batches of outbox rows to the server named in the settings."""

    name = "smtp"

    def __init__(
        self,
        settings: Settings,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        """`tls_context` replaces the system's trust store (a private CA, or tests)."""
        self.settings = settings
        self.timeout = timeout
        self.tls_context = tls_context

    @property
    def destination(self) -> str:
        return f"{self.settings.smtp_host}:{self.settings.smtp_port} ({self.settings.smtp_tls})"

    async def check(self, *, within: float) -> None:
        """Connect (in TLS when `smtp_tls` is `tls`), read the greeting, say goodbye."""
        settings = self.settings
        client = SMTP(
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            use_tls=settings.smtp_tls == "tls",
            start_tls=False,
            timeout=within,
        )
        try:
            await client.connect()
            await client.quit()
        finally:
            client.close()

    async def send_batch(
        self,
        mails: Sequence[OutboxMessage],
        *,
        keep_going: Callable[[], bool] = lambda: True,
        made: Made | None = None,
    ) -> BatchReport:
        """Send `mails`, with the files `made` for them, over one connection while
        `keep_going()` holds."""
        report = BatchReport()
        client = self._client()
        try:
            await client.connect()
        except (SMTPException, OSError) as error:
            unreachable = Failure(f"cannot connect to {self.destination}: {_describe(error)}")
            report.failed = {_id(mail): unreachable for mail in mails}
            return report
        try:
            for mail in mails:
                if not (client.is_connected and keep_going()):
                    break
                failure = await self._send(client, mail, (made or {}).get(_id(mail), ()))
                if failure is None:
                    report.sent.append(_id(mail))
                else:
                    report.failed[_id(mail)] = failure
        finally:
            await _quit(client)
        return report

    def _client(self) -> SMTP:
        settings = self.settings
        return SMTP(
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_user or None,
            password=settings.smtp_password if settings.smtp_user else None,
            use_tls=settings.smtp_tls == "tls",
            # `none` means plain text even when the server offers STARTTLS.
            start_tls=settings.smtp_tls == "starttls",
            tls_context=self.tls_context,
            timeout=self.timeout,
        )

    async def _send(
        self, client: SMTP, mail: OutboxMessage, attached: Sequence[Attached]
    ) -> Failure | None:
        try:
            message = compose(
                mail,
                sender=self.settings.mail_from,
                secret_key=self.settings.secret_key,
                attached=attached,
            )
            refused, _ = await client.send_message(message, recipients=[mail.recipient])
        except SMTPRecipientsRefused as error:
            return _answer(error.recipients[0].code, error.recipients[0].message)
        except SMTPResponseException as error:
            return _answer(error.code, error.message)
        except (SMTPNotSupported, ValueError) as error:
            # An address or header this server cannot take as it is (non-ASCII, CR/LF).
            return Failure(_describe(error), permanent=True)
        except (SMTPException, OSError) as error:
            return Failure(_describe(error))
        # aiosmtplib returns, without raising, the recipients it refused when others were
        # accepted; one recipient per message keeps this for the day a message has more.
        if mail.recipient in refused:
            return _answer(refused[mail.recipient].code, refused[mail.recipient].message)
        return None


def _answer(code: int, text: str) -> Failure:
    return Failure(f"{code} {text}", permanent=500 <= code < 600)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _id(mail: OutboxMessage) -> int:
    assert mail.id is not None, "only stored outbox rows are sent"
    return mail.id


async def _quit(client: SMTP) -> None:
    """Say goodbye politely if the server still listens; close the socket in any case."""
    if client.is_connected:
        with suppress(SMTPException, OSError):
            await client.quit()
    client.close()
