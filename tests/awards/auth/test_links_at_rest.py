"""Sign-in and invitation links at rest: the outbox keeps each mail as it will read, but a
reader of the database (or of a backup) finds in it no token that opens anything."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.auth.invitations import InvitedRole, NewInvitation, invite
from awards.auth.links import digest
from awards.auth.login import request_link
from awards.db.tables import Invitation, LoginLink, OutboxMessage
from awards.notify.worker import Worker
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from conftest import Client, SmtpServer, Tokens

WORD = re.compile(r"[\w-]{20,}")
LINK = re.compile(r"https://awards\.test(/(?:login/link|invitations)/[\w-]+)")


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return replace(settings, smtp_port=smtp_server.port)


async def test_the_outbox_holds_no_working_link_and_the_mail_sent_does(
    client: Client, runtime: Runtime, tokens: Tokens, smtp_server: SmtpServer
) -> None:
    await request_link(runtime, "staff@edcities.test", ip="192.0.2.1", language="en")
    await invite(
        runtime,
        NewInvitation(
            email="deputy@lisboa.test", role=InvitedRole.APPLICANT, organisation="lisboa"
        ),
        actor=tokens.actors["secretariat"],
    )
    async with runtime.db.read() as session:
        stored = list(await session.scalars(select(OutboxMessage)))
        hashes = set(await session.scalars(select(col(LoginLink.token_hash))))
        hashes |= set(await session.scalars(select(col(Invitation.token_hash))))

    await Worker(runtime).drain()
    await smtp_server.wait_for(2)

    words = {word for mail in stored for word in WORD.findall(mail.body_text + mail.body_html)}
    assert len(stored) == 2 and len(hashes) == 2
    assert {digest(word) for word in words} & hashes == set()
    sent = [LINK.search(str(message.get_body(("plain",)))) for message in smtp_server.messages]
    paths = sorted(found.group(1) for found in sent if found)
    assert [path.split("/")[1] for path in paths] == ["invitations", "login"]
    assert [(await client.get(path)).status_code for path in paths] == [200, 200]
