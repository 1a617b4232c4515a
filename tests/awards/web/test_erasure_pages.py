"""Erasing a person from the Secretariat's pages: a confirmation that says what will be
replaced, cancelled and kept, counted now; the erasure as the API does it; a report after."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from pages import Browser, section, signed_in, text
from sqlalchemy import func, select
from sqlmodel import col

from awards.calls.rescheduling import NewDates, move_dates
from awards.calls.service import CallService
from awards.db.tables import AuditEntry, OutboxMessage, User
from awards.notify.outbox import MailStatus
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens, draft


@pytest.fixture
async def staff(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    return await signed_in(client, runtime, tokens.actors["secretariat"])


async def test_an_applicant_is_erased_from_the_page_that_says_what_goes_and_what_stays(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    lisboa = tokens.actors["other_applicant"]
    submitted = await draft(runtime, open_award, lisboa, contact_email="mayor@lisboa.test")
    await SubmissionService(runtime).fire(submitted, "submit", actor=lisboa)  # mails them
    await draft(runtime, open_award, lisboa)
    organisation = await staff.get("/secretariat/organisations/lisboa")
    path = f"/secretariat/people/{lisboa.id}/erasure"
    assert section(organisation.text, "applicants") == "mayor@lisboa.test · Erase…"
    assert f'<a href="{path}">Erase…</a>' in organisation.text

    confirm = await staff.get(path)

    assert section(confirm.text, "consequence") == (
        "mayor@lisboa.test · applicant · organisation: Lisboa. "
        "Their name and e-mail address will be replaced by a pseudonym (such as Person 3F9A2C) "
        "wherever they appear: in the answers of 2 candidacies written by them or their "
        "organisation, and in 1 mails sent to them. "
        "Mails still waiting to be sent to them (1) are cancelled; their sessions, API tokens, "
        "sign-in links and invitations end. "
        "Kept as they are: 3 audit records of their acts and 0 jury assignments with their "
        "reviews and scores, because they hold an id, not a name: decisions and rankings do "
        "not change. This cannot be undone."
    )
    assert 'class="danger">Yes: erase mayor@lisboa.test</button>' in confirm.text

    report = await staff.post(path)

    async with runtime.db.read() as session:
        person = await session.get(User, lisboa.id)
        mail = await session.scalar(
            select(OutboxMessage).where(col(OutboxMessage.submission_id) == submitted)
        )
        audit = await session.scalar(
            select(func.count()).where(col(AuditEntry.actor_id) == lisboa.id)
        )
    assert person is not None and person.erased_at is not None
    assert re.fullmatch(r"erased-[0-9a-f]{6}@erased\.invalid", person.email)
    assert mail is not None and mail.status == MailStatus.DEAD
    assert mail.recipient == person.email
    assert audit == 3  # kept
    shown = text(report.text)
    assert "The person is erased." in shown
    assert f"They are now {person.name} ({person.email})." in shown
    assert "mayor@lisboa.test" not in report.text


async def test_erasing_someone_erased_already_is_refused_and_changes_nothing(
    staff: Browser, runtime: Runtime, tokens: Tokens
) -> None:
    path = f"/secretariat/people/{tokens.actors['juror'].id}/erasure"
    await staff.post(path)

    again = await staff.post(path)

    assert again.status_code == 409
    assert "was erased on" in text(again.text)


async def test_a_missing_person_has_no_erasure_page(staff: Browser) -> None:
    assert (await staff.get("/secretariat/people/999/erasure")).status_code == 404


async def test_an_erased_applicant_is_told_nothing_more_of_their_organisations_calls(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    lisboa = tokens.actors["other_applicant"]
    await draft(runtime, open_award, lisboa)
    await staff.post(f"/secretariat/people/{lisboa.id}/erasure")
    call = await CallService(runtime).get(open_award, actor=lisboa)

    await move_dates(
        runtime,
        open_award,
        NewDates(call.opens_at, call.closes_at + timedelta(days=7)),
        version=call.version,
        actor=tokens.actors["secretariat"],
    )

    async with runtime.db.read() as session:
        told = list(
            await session.scalars(
                select(col(OutboxMessage.recipient)).where(
                    col(OutboxMessage.subject).startswith("Novo prazo")
                )
            )
        )
    assert told == []
