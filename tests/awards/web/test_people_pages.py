"""The Secretariat's pages for people: a panel chosen from the jurors known, invitations to
addresses not known yet sent from the page, with their state and a resend; an organisation's
applicant accounts invited the same way. A typed list is never lost on an error."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from pages import Browser, section, signed_in, text
from sqlalchemy import select
from sqlmodel import col

from awards.auth.invitations import accept_invitation
from awards.calls.service import CallService, NewCall
from awards.db.tables import Invitation, OutboxMessage
from awards.jury.panel import panel_seats
from awards.notify.seals import unseal
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens

LINK = re.compile(r"/invitations/([\w-]+)")


@pytest.fixture
async def staff(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    return await signed_in(client, runtime, tokens.actors["secretariat"])


async def invitation_token(runtime: Runtime, recipient: str) -> str:
    """The link of the latest invitation mailed to `recipient`, as it leaves the outbox."""
    async with runtime.db.read() as session:
        body = await session.scalar(
            select(col(OutboxMessage.body_text))
            .where(col(OutboxMessage.recipient) == recipient)
            .order_by(col(OutboxMessage.id).desc())
        )
    found = LINK.search(unseal(body or "", secret_key=runtime.settings.secret_key))
    assert found, body
    return found.group(1)


async def test_the_panel_is_chosen_from_the_jurors_known_with_its_president(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    path = f"/secretariat/calls/{open_award}/panel"
    page = await staff.get(path)
    assert 'name="jurors" value="juror@jury.test"' in page.text

    saved = await staff.post(
        path, {"jurors": "juror@jury.test", "president": "juror@jury.test", "back": "panel"}
    )

    assert "The panel is saved" in text(saved.text)
    assert re.search(r'value="juror@jury.test" id="sits-\d+" checked', saved.text)
    seats = await panel_seats(runtime, open_award, actor=tokens.actors["secretariat"])
    assert [(s.email, s.role) for s in seats] == [("juror@jury.test", "president")]


async def test_invitations_go_to_unknown_addresses_and_a_refused_line_comes_back_as_typed(
    staff: Browser,
    client: Client,
    runtime: Runtime,
    tokens: Tokens,
    clock: MovableClock,
    open_award: int,
) -> None:
    path = f"/secretariat/calls/{open_award}/invitations"
    typed = "ana@jurado.test Ana Gil\nnot-an-address\nmayor@barcelona.test\nrui@juri.test"

    refused = await staff.post(path, {"invitees": typed, "role": "juror", "language": "es"})

    assert refused.status_code == 422
    assert section(refused.text, "invite-refused") == (
        "These addresses were not invited; the others were. Correct them below and send again. "
        "not-an-address : this is not an e-mail address "
        "mayor@barcelona.test : this person already has another role here"
    )
    assert ">not-an-address\nmayor@barcelona.test</textarea>" in refused.text
    invitations = section(refused.text, "invitations")
    assert "Ana Gil ana@jurado.test juror" in invitations and "rui@juri.test" in invitations
    assert invitations.count("sent, not accepted yet") == 2

    accepted = await accept_invitation(runtime, await invitation_token(runtime, "ana@jurado.test"))
    clock.advance(timedelta(days=15))
    staff = await signed_in(client, runtime, tokens.actors["secretariat"])  # a new day's session
    page = await staff.get(f"/secretariat/calls/{open_award}/panel")

    assert accepted.user.locale == "es"
    assert "Ana Gil ana@jurado.test" in section(page.text, "people")  # known, and seated
    assert re.search(r'value="ana@jurado.test" id="sits-\d+" checked', page.text)
    rows = re.findall(r'<tr id="invitation-(\d+)">(.*?)</tr>', page.text, re.S)
    states = {text(html).split(" ")[0]: text(html) for _, html in rows}
    assert "accepted" in states["Ana"] and "Send again" not in states["Ana"]
    assert "expired Send again" in states["rui@juri.test"]
    rui = next(i for i, html in rows if "rui@juri.test" in html)

    resent = await staff.post(f"{path}/{rui}/resend")

    assert "The invitation is sent again, with a new link." in text(resent.text)
    assert "rui@juri.test juror" in section(resent.text, "invitations")
    assert "sent, not accepted yet" in section(resent.text, "invitations")
    seats = await panel_seats(runtime, open_award, actor=tokens.actors["secretariat"])
    assert [s.email for s in seats] == ["ana@jurado.test"]  # accepting seated her


async def test_an_invitation_of_another_call_is_not_resent_from_this_one(
    staff: Browser, runtime: Runtime, open_award: int
) -> None:
    await staff.post(
        f"/secretariat/calls/{open_award}/invitations", {"invitees": "ana@jurado.test"}
    )
    async with runtime.db.read() as session:
        invitation = await session.scalar(select(col(Invitation.id)))
    assert invitation is not None

    other = await staff.post(f"/secretariat/calls/{open_award + 1}/invitations/{invitation}/resend")

    assert other.status_code == 404


async def test_an_organisations_applicants_are_invited_from_its_page(
    staff: Browser, runtime: Runtime, tokens: Tokens
) -> None:
    path = "/secretariat/organisations/lisboa"
    page = await staff.get(path)
    assert "mayor@lisboa.test" in section(page.text, "applicants")

    sent = await staff.post(
        f"{path}/invitations", {"invitees": "ines@lisboa.test Inês Costa", "language": "pt"}
    )

    assert "Invitations sent by e-mail: 1." in text(sent.text)
    assert "Inês Costa ines@lisboa.test applicant for the organisation" in section(
        sent.text, "invitations"
    )
    await accept_invitation(runtime, await invitation_token(runtime, "ines@lisboa.test"))
    page = await staff.get(path)
    assert "Inês Costa ines@lisboa.test" in section(page.text, "applicants")
    empty = await staff.post(f"{path}/invitations", {"invitees": " "})
    assert empty.status_code == 422
    assert "Type at least one e-mail address." in text(empty.text)


async def test_a_juror_chosen_or_invited_for_one_category_judges_it_as_the_list_shows(
    staff: Browser, runtime: Runtime, tokens: Tokens
) -> None:
    now = runtime.clock()
    prize = await CallService(runtime).create(
        NewCall(
            kind="aimf-gender-equality-prize",
            edition="2027",
            title={"fr": "Prix Égalité 2027", "en": "Equality Prize 2027"},
            opens_at=now,
            closes_at=now + timedelta(days=30),
            timezone="Europe/Paris",
            languages=["fr", "en"],
        ),
        actor=tokens.actors["secretariat"],
    )
    path = f"/secretariat/calls/{prize.id}"

    saved = await staff.post(
        f"{path}/panel",
        {
            "jurors": "juror@jury.test",
            "category.juror@jury.test": "local_authorities",
            "back": "panel",
        },
    )
    invited = await staff.post(
        f"{path}/invitations",
        {
            "invitees": "awa@jury.test Awa Diallo",
            "role": "juror",
            "category": "civil_society_organisations",
        },
    )
    await accept_invitation(runtime, await invitation_token(runtime, "awa@jury.test"))
    call_page = await staff.get(path)

    assert '<option value="local_authorities" selected>Local authorities</option>' in saved.text
    assert "Awa Diallo awa@jury.test juror · Civil-society organisations" in section(
        invited.text, "invitations"
    )
    seats = await panel_seats(runtime, prize.id or 0, actor=tokens.actors["secretariat"])
    assert [(s.email, s.category) for s in seats] == [
        ("awa@jury.test", "civil_society_organisations"),
        ("juror@jury.test", "local_authorities"),
    ]
    assert "juror@jury.test · Local authorities" in section(call_page.text, "jury")
