"""The SMTP sender against a real server: what arrives, and how each failure is judged."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from awards.db.tables import OutboxMessage
from awards.notify.sender import Failure, SmtpSender
from awards.settings import Settings, load_settings
from conftest import ROOT, SmtpServer, running_smtp_server
from harness.processes import free_port

QUEUED_AT = datetime(2025, 9, 1, 10, 0, tzinfo=UTC)


def smtp_settings(port: int, **environ: str) -> Settings:
    return load_settings(
        {"AWARDS_SMTP_HOST": "127.0.0.1", "AWARDS_SMTP_PORT": str(port), **environ},
        defaults_file=ROOT / "config" / "settings.toml",
    )


def mail(number: int, recipient: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        id=number,
        message_id=f"<test.{number}.abc@awards.test>",
        recipient=recipient or f"city{number}@cities.test",
        language="fr",
        template="result",
        subject=f"Résultat n°{number}",
        body_text=f"Bonjour {number}\n",
        body_html=f"<p>Bonjour <b>{number}</b></p>\n",
        next_attempt_at=QUEUED_AT,
        created_at=QUEUED_AT,
    )


async def test_a_batch_goes_over_one_connection_with_text_html_and_the_rows_message_id(
    smtp_server: SmtpServer,
) -> None:
    sender = SmtpSender(smtp_settings(smtp_server.port))

    report = await sender.send_batch([mail(1), mail(2), mail(3)])

    assert (report.sent, report.failed) == ([1, 2, 3], {})
    assert smtp_server.connections == 1
    first = smtp_server.messages[0]
    assert {key: str(first[key]) for key in ("From", "To", "Subject", "Message-ID", "Date")} == {
        "From": "Awards <no-reply@awards.local>",
        "To": "city1@cities.test",
        "Subject": "Résultat n°1",
        "Message-ID": "<test.1.abc@awards.test>",
        "Date": "Mon, 01 Sep 2025 10:00:00 +0000",
    }
    text, html = first.get_body(("plain",)), first.get_body(("html",))
    assert text is not None
    assert html is not None
    assert (text.get_content(), html.get_content()) == ("Bonjour 1\n", "<p>Bonjour <b>1</b></p>\n")
    assert smtp_server.message_ids == [f"<test.{n}.abc@awards.test>" for n in (1, 2, 3)]


async def test_a_refused_connection_fails_the_whole_batch_for_now() -> None:
    port = free_port()  # nobody listens there
    sender = SmtpSender(smtp_settings(port))

    report = await sender.send_batch([mail(1), mail(2)])

    assert report.sent == []
    assert report.failed.keys() == {1, 2}
    failure = report.failed[1]
    assert not failure.permanent
    assert failure.error.startswith(f"cannot connect to 127.0.0.1:{port} (none): SMTPConnectError")


async def test_a_server_that_hangs_up_at_once_is_a_temporary_failure(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.refuse_connections(1)
    sender = SmtpSender(smtp_settings(smtp_server.port))

    hung_up = await sender.send_batch([mail(1)])
    retried = await sender.send_batch([mail(1)])

    assert not hung_up.failed[1].permanent
    assert hung_up.failed[1].error.startswith(f"cannot connect to 127.0.0.1:{smtp_server.port}")
    assert retried.sent == [1]
    assert smtp_server.message_ids == ["<test.1.abc@awards.test>"]


async def test_a_4xx_is_temporary_and_the_next_mail_still_goes_on_the_same_connection(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.defer(1)
    sender = SmtpSender(smtp_settings(smtp_server.port))

    report = await sender.send_batch([mail(1), mail(2)])

    assert report.failed == {1: Failure("451 4.3.0 Try again later", permanent=False)}
    assert report.sent == [2]
    assert smtp_server.connections == 1


async def test_a_5xx_for_one_recipient_is_permanent_and_the_others_are_sent(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.reject("gone@cities.test")
    sender = SmtpSender(smtp_settings(smtp_server.port))

    report = await sender.send_batch([mail(1), mail(2, "gone@cities.test"), mail(3)])

    assert report.failed == {2: Failure("550 5.1.1 No such mailbox here", permanent=True)}
    assert report.sent == [1, 3]


async def test_a_server_too_slow_to_answer_times_out_and_the_rest_waits(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.stall(1.0)
    sender = SmtpSender(smtp_settings(smtp_server.port), timeout=0.2)

    report = await sender.send_batch([mail(1), mail(2)])

    assert report.sent == []
    assert list(report.failed) == [1]
    assert not report.failed[1].permanent
    assert report.failed[1].error.startswith("SMTPReadTimeoutError")


async def test_a_batch_told_to_stop_leaves_the_rest_unattempted(smtp_server: SmtpServer) -> None:
    sender = SmtpSender(smtp_settings(smtp_server.port))

    report = await sender.send_batch(
        [mail(1), mail(2), mail(3)], keep_going=lambda: not smtp_server.messages
    )

    assert (report.sent, report.failed) == ([1], {})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, and its key."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


class Logins:
    """An aiosmtpd authenticator that accepts one user and remembers who tried."""

    def __init__(self, user: str, password: str) -> None:
        self.expected = LoginPassword(user.encode(), password.encode())
        self.tried: list[str] = []

    def __call__(self, *args: Any) -> AuthResult:
        credentials = args[-1]
        assert isinstance(credentials, LoginPassword)
        self.tried.append(credentials.login.decode())
        # handled=False: aiosmtpd answers 235 or 535 itself.
        return AuthResult(success=credentials == self.expected, handled=False)


async def test_starttls_logs_in_with_the_configured_credentials(
    certificate: tuple[Path, Path],
) -> None:
    logins = Logins("awards", "s3cret")
    with running_smtp_server(
        tls_context=server_context(certificate),
        require_starttls=True,
        auth_required=True,
        authenticator=logins,
    ) as server:
        settings = smtp_settings(
            server.port,
            AWARDS_SMTP_TLS="starttls",
            AWARDS_SMTP_USER="awards",
            AWARDS_SMTP_PASSWORD="s3cret",
        )
        sender = SmtpSender(settings, tls_context=ssl.create_default_context(cafile=certificate[0]))

        report = await sender.send_batch([mail(1)])

    assert report.sent == [1]
    assert logins.tried == ["awards"]
    assert server.message_ids == ["<test.1.abc@awards.test>"]


async def test_a_wrong_password_is_temporary_for_the_mail_and_names_the_server(
    certificate: tuple[Path, Path],
) -> None:
    logins = Logins("awards", "s3cret")
    with running_smtp_server(
        tls_context=server_context(certificate), auth_required=True, authenticator=logins
    ) as server:
        settings = smtp_settings(
            server.port,
            AWARDS_SMTP_TLS="starttls",
            AWARDS_SMTP_USER="awards",
            AWARDS_SMTP_PASSWORD="wrong",
        )
        sender = SmtpSender(settings, tls_context=ssl.create_default_context(cafile=certificate[0]))

        report = await sender.send_batch([mail(1)])

    assert not report.failed[1].permanent
    assert report.failed[1].error.startswith(
        f"cannot connect to 127.0.0.1:{server.port} (starttls): SMTPAuthenticationError"
    )
    assert server.messages == []


async def test_implicit_tls_delivers(certificate: tuple[Path, Path]) -> None:
    with running_smtp_server(ssl_context=server_context(certificate)) as server:
        settings = smtp_settings(server.port, AWARDS_SMTP_TLS="tls")
        sender = SmtpSender(settings, tls_context=ssl.create_default_context(cafile=certificate[0]))

        report = await sender.send_batch([mail(1)])

    assert report.sent == [1]
    assert server.message_ids == ["<test.1.abc@awards.test>"]
