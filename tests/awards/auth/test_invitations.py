"""Invitations by e-mail to a role on a call or an organisation, accepted once by a link
that signs the person in; roles revoked, and the person refused on their next request."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from html import unescape

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.auth.sessions import SESSION_COOKIE
from awards.db.tables import AccountEvent, Invitation, PanelMember, User
from awards.notify.worker import Worker
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, SmtpServer, Tokens, draft

LINK = re.compile(r"https://awards\.test(/invitations/[\w-]+)")
CSRF_COOKIE = "csrftoken"


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return replace(settings, smtp_port=smtp_server.port)


async def mailed_link(runtime: Runtime, smtp_server: SmtpServer, *, count: int = 1) -> str:
    """The invitation link of the latest message the SMTP server received."""
    await Worker(runtime).drain()
    await smtp_server.wait_for(count)
    body = smtp_server.messages[-1].get_body(("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found, body.get_content()
    return found.group(1)


async def accept(client: Client, link: str) -> httpx.Response:
    """Open the link and press its button, as a browser does: the form carries the CSRF
    token, and the session cookie it answers with is kept (set by hand: the test client
    speaks http and the cookies are Secure)."""
    token = (await client.get(link)).cookies[CSRF_COOKIE]
    client.cookies.set(CSRF_COOKIE, token)
    response = await client.post(link, data={"_csrf_token": token}, follow_redirects=False)
    if SESSION_COOKIE in response.cookies:
        client.cookies.set(SESSION_COOKIE, response.cookies[SESSION_COOKIE])
    return response


async def test_inviting_and_revoking_refuse_everyone_but_the_secretariat(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    attempts = [
        ("/api/v1/invitations", {"email": "x@jury.test", "role": "juror", "call_id": open_award}),
        ("/api/v1/revocations", {"email": "juror@jury.test", "call_id": open_award}),
    ]
    for path, body in attempts:
        for who, status in (("anonymous", 401), ("owner", 403), ("juror", 403)):
            response = await client.post(path, json=body, headers=getattr(tokens, who))
            assert response.status_code == status, (path, who, response.text)


async def test_a_president_invited_in_french_accepts_once_chairs_the_panel_and_is_revoked(
    client: Client,
    runtime: Runtime,
    tokens: Tokens,
    open_award: int,
    smtp_server: SmtpServer,
) -> None:
    invited = await client.post(
        "/api/v1/invitations",
        json={
            "email": "Zoe.Martin@Jury.test",
            "role": "president",
            "call_id": open_award,
            "language": "fr",
            "name": "Zoé Martin",
        },
        headers=tokens.secretariat,
    )
    assert invited.status_code == 201, invited.text
    link = await mailed_link(runtime, smtp_server)
    message = smtp_server.messages[-1]
    assert message["To"] == "zoe.martin@jury.test"
    assert message["Subject"] == "Invitation : Prix Villes éducatrices 2026"
    body = message.get_body(("plain",))
    assert body is not None
    assert "président(e) du jury de Prix Villes éducatrices 2026" in body.get_content()

    # Opening the link (a mail scanner does) spends nothing; the button does.
    status = await client.get(f"/api/v1{link}")
    assert status.json() == {"role": "president", "language": "fr", "usable": True}
    page = await client.get(link)
    assert page.status_code == 200
    assert "présider le jury" in page.text and "Accepter l'invitation" in unescape(page.text)
    accepted = await accept(client, link)
    assert (accepted.status_code, accepted.headers["location"]) == (303, "/jury")
    session_cookie = accepted.cookies[SESSION_COOKIE]
    assert (await client.get("/api/v1/jury/assignments")).status_code == 200
    client.cookies.clear()
    assert (await accept(client, link)).status_code == 409
    client.cookies.set(SESSION_COOKIE, session_cookie)

    async with runtime.db.read() as session:
        user = await session.scalar(select(User).where(col(User.email) == "zoe.martin@jury.test"))
        assert user is not None
        assert (user.role, user.name, user.locale) == ("juror", "Zoé Martin", "fr")
        seat = await session.scalar(select(PanelMember).where(col(PanelMember.user_id) == user.id))
        assert seat is not None and (seat.call_id, seat.role) == (open_award, "president")

    revoked = await client.post(
        "/api/v1/revocations",
        json={"email": "zoe.martin@jury.test", "call_id": open_award},
        headers=tokens.secretariat,
    )
    assert revoked.status_code == 204, revoked.text
    # On no other panel: the person is signed out and refused on their next request.
    assert (await client.get("/api/v1/jury/assignments")).status_code == 401
    async with runtime.db.read() as session:
        events = list(
            await session.scalars(
                select(col(AccountEvent.action)).where(col(AccountEvent.user_id) == user.id)
            )
        )
    assert events == ["accept", "revoke"]


async def test_several_people_act_for_one_organisation_until_one_is_revoked(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    smtp_server: SmtpServer,
) -> None:
    submission = await draft(runtime, open_award, tokens.actors["owner"])
    invited = await client.post(
        "/api/v1/invitations",
        json={"email": "deputy@barcelona.test", "role": "applicant", "organisation": "barcelona"},
        headers=tokens.secretariat,
    )
    assert invited.status_code == 201, invited.text
    link = await mailed_link(runtime, smtp_server)
    accepted = await accept(client, link)
    assert (accepted.status_code, accepted.headers["location"]) == (303, "/my")

    # The deputy's browser holds the session; the owner calls with a token.
    path = f"/api/v1/submissions/{submission}"
    assert (await client.get(path)).json()["id"] == submission
    revoked = await client.post(
        "/api/v1/revocations",
        json={"email": "deputy@barcelona.test", "organisation": "barcelona"},
        headers=tokens.secretariat,
    )
    assert revoked.status_code == 204, revoked.text
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers=tokens.owner)).status_code == 200


async def test_an_invitation_expires_after_two_weeks(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    smtp_server: SmtpServer,
) -> None:
    await client.post(
        "/api/v1/invitations",
        json={"email": "late@lisboa.test", "role": "applicant", "organisation": "lisboa"},
        headers=tokens.secretariat,
    )
    link = await mailed_link(runtime, smtp_server)
    clock.advance(timedelta(days=14, seconds=1))
    assert (await client.get(f"/api/v1{link}")).json()["usable"] is False
    assert (await accept(client, link)).status_code == 409
    async with runtime.db.read() as session:
        assert (
            await session.scalar(select(User).where(col(User.email) == "late@lisboa.test")) is None
        )


async def test_a_person_keeps_one_standing_role(
    client: Client, tokens: Tokens, open_award: int
) -> None:
    refused = await client.post(
        "/api/v1/invitations",
        json={"email": "mayor@lisboa.test", "role": "applicant", "organisation": "barcelona"},
        headers=tokens.secretariat,
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "cannot make mayor@lisboa.test an applicant here: they act for another organisation; "
        "revoke that first"
    )
    staff = await client.post(
        "/api/v1/invitations",
        json={"email": "staff@edcities.test", "role": "juror", "call_id": open_award},
        headers=tokens.secretariat,
    )
    assert staff.json()["detail"] == (
        "cannot make staff@edcities.test a juror: they are a secretariat"
    )


@pytest.mark.parametrize(
    "email",
    ["new@jury.test\r\nBcc: everyone@example.test", "new@jury.test\nx", "new\x00@jury.test"],
    ids=["crlf", "lf", "nul"],
)
async def test_an_address_with_a_line_break_or_a_control_is_not_invited(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int, email: str
) -> None:
    """It was taken: the invitation's mail then went dead, its link never received."""
    response = await client.post(
        "/api/v1/invitations",
        json={"email": email, "role": "juror", "call_id": open_award},
        headers=tokens.secretariat,
    )

    assert response.status_code == 422, response.text
    assert response.json()["extra"]["field"] == "email"
    async with runtime.db.read() as session:
        assert (await session.scalars(select(Invitation))).all() == []
