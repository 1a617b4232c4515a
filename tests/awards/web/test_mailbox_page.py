"""The demo's mailbox page: with the mailbox transport, anyone reads the mail the service kept
(with the names of the files it carries) and signs in by the link in it, a click from the
sign-in page; with SMTP (the default) there is no such page, for anyone."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from pages import Browser, signed_in, text

from awards.notify.worker import Worker
from awards.settings import Settings, load_settings
from awards.transitions.runtime import Runtime
from conftest import ROOT, Client, Tokens
from harness.seeding import complete_answers

STAFF = "staff@edcities.test"
LINK = re.compile(r'<a href="(https://awards\.test/login/link/[\w-]+)">\1</a>')


@pytest.fixture
def settings(settings: Settings, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """The demo's: mail kept in the mailbox, unless a test asks for `smtp`."""
    transport = getattr(request, "param", "mailbox")
    return replace(settings, mail_transport=transport, mailbox_dir=tmp_path / "mailbox")


def test_mail_goes_to_an_smtp_server_unless_the_demo_mailbox_is_chosen() -> None:
    settings = load_settings({}, defaults_file=ROOT / "config" / "settings.toml")

    assert (settings.mail_transport, settings.keeps_mail_in_mailbox) == ("smtp", False)


async def test_a_demo_user_signs_in_through_the_mailbox_in_spanish(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    browser = Browser(client, accept_language="es")
    sent = await browser.post("/login", {"email": STAFF})
    await Worker(runtime).drain()

    mailbox = await browser.get("/mailbox?to=staff%40edcities.test")
    others = await browser.get("/mailbox?to=mayor%40lisboa.test")
    link = LINK.search(mailbox.text)
    assert link is not None
    path = link.group(1).removeprefix("https://awards.test")
    await browser.get(path)
    used = await browser.post(path, follow_redirects=False)
    home = await browser.get("/secretariat")

    assert '<a class="button primary" href="/mailbox?to=staff%40edcities.test">' in sent.text
    assert "léalo en el buzón de demostración" in text(sent.text)
    assert mailbox.status_code == 200
    assert "Buzón de demostración Esta demostración guarda aquí el correo que envía" in text(
        mailbox.text
    )
    assert "Correo para staff@edcities.test" in text(mailbox.text)
    assert "Su enlace para iniciar sesión Para staff@edcities.test" in text(mailbox.text)
    assert "Aún no hay correo." in text(others.text)
    assert (used.status_code, used.headers["location"]) == (303, "/secretariat")
    assert home.status_code == 200


async def test_the_demo_mailbox_is_read_by_anyone_signed_in_or_not(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    await Browser(client).post("/login", {"email": STAFF})
    await Worker(runtime).drain()

    anonymous = await Browser(client).get("/mailbox")
    applicant = await (await signed_in(client, runtime, tokens.actors["owner"])).get("/mailbox")

    assert (anonymous.status_code, applicant.status_code) == (200, 200)
    assert "Your sign-in link To staff@edcities.test" in text(anonymous.text)
    assert text(applicant.text).count("Your sign-in link") == 1


async def test_the_mailbox_names_the_receipt_the_submission_mail_carries(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    draft = await client.post(
        f"/api/v1/calls/{open_award}/submissions",
        json={"answers": complete_answers()},
        headers=tokens.owner,
    )
    submission = draft.json()["id"]
    await client.post(
        f"/api/v1/submissions/{submission}/transitions",
        json={"name": "submit"},
        headers=tokens.owner,
    )
    await Worker(runtime).drain()

    mailbox = await Browser(client, accept_language="es").get(
        f"/mailbox?to={tokens.actors['owner'].email}"
    )

    assert f"Candidatura {submission} recibida" in text(mailbox.text)
    assert f"Adjuntos: receipt-{submission}-v1.pdf" in text(mailbox.text)


@pytest.mark.parametrize("settings", ["smtp"], indirect=True)
async def test_without_the_mailbox_transport_there_is_no_mailbox_for_anyone(
    client: Client, runtime: Runtime, tokens: Tokens
) -> None:
    browser = Browser(client)
    sent = await browser.post("/login", {"email": STAFF})

    anonymous = await browser.get("/mailbox")
    staff = await (await signed_in(client, runtime, tokens.actors["secretariat"])).get("/mailbox")

    assert (anonymous.status_code, staff.status_code) == (404, 404)
    assert "/mailbox" not in sent.text
    assert "No message after a few minutes?" in text(sent.text)
