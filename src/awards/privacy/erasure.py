"""Erasing a person: they become a pseudonym, and the decisions they took part in hold.

In one transaction, `erase_person`:

- replaces the user's name and address with a pseudonym (`Person 3F9A2C`,
  `erased-3f9a2c@erased.invalid`), so every page, answer and export that named them names the
  pseudonym instead;
- ends their sessions, revokes their tokens, voids their sign-in links and invitations;
- cancels mail still waiting for them, and replaces their name and address in every stored
  mail that holds them (mail is kept as sent);
- replaces their name and address in the answers of the submissions they wrote or their
  organisation made, in databank contacts, in conflict reasons and in the members register's
  log;
- records the erasure (ids only).

Audit rows, reviews and scores stay as they are (they hold ids, not names), so rankings and
decisions are unchanged.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.auth.account_events import AccountAction, record_account_event
from awards.auth.revocation import shut_out
from awards.db.tables import (
    ConflictOfInterest,
    DatabankEntry,
    Invitation,
    LoginLink,
    Obligation,
    OutboxMessage,
    RegisterChange,
    Submission,
    SubmissionVersion,
    User,
)
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.notify.outbox import MailStatus
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

ERASED_DOMAIN = "erased.invalid"
"""`.invalid` is reserved (RFC 2606): mail to a pseudonym can never reach anyone."""
MIN_NAME = 3
"""A shorter name is not searched for in texts: it would match inside other words' letters."""

T = TypeVar("T")


@dataclass(frozen=True)
class Erased:
    user_id: int
    name: str
    email: str


@dataclass(frozen=True)
class Scrubber:
    """Replaces a person's address and name in texts, whole words only, any case."""

    pattern: re.Pattern[str]
    replacements: dict[str, str]

    @classmethod
    def of(cls, *, email: str, name: str, new_email: str, new_name: str) -> Scrubber:
        replacements = {email.lower(): new_email}
        if len(name.strip()) >= MIN_NAME:
            replacements[name.strip().lower()] = new_name
        # Longest first: an address that contains the name is replaced whole.
        alternatives = sorted(replacements, key=len, reverse=True)
        pattern = r"(?<![\w.@-])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w@-])"
        return cls(re.compile(pattern, re.IGNORECASE), replacements)

    def text(self, value: str) -> str:
        return self.pattern.sub(lambda found: self.replacements[found.group(1).lower()], value)

    def value(self, value: T) -> T:
        """`value` with every text in it scrubbed: answers are texts, lists and mappings."""
        scrubbed: Any = value
        if isinstance(value, str):
            scrubbed = self.text(value)
        elif isinstance(value, list):
            scrubbed = [self.value(item) for item in value]
        elif isinstance(value, dict):
            scrubbed = {key: self.value(item) for key, item in value.items()}
        return scrubbed  # type: ignore[no-any-return]

    def needles(self) -> list[str]:
        return list(self.replacements)


async def erase_person(
    runtime: Runtime, email: str, *, actor: Actor, confirm: str | None = None
) -> Erased:
    """Erase the person with `email`: the Secretariat may erase anyone; a person only
    themselves, confirming with their own address (`confirm`)."""
    address = email.strip().lower()
    if not actor.is_secretariat and not actor.system:
        if actor.email != address:
            raise Forbidden("only the Secretariat erases someone else")
        if (confirm or "").strip().lower() != address:
            raise Invalid("confirm with your own e-mail address", extra={"field": "confirm"})
    now = runtime.clock()
    async with runtime.db.write() as session:
        user = await session.scalar(select(User).where(col(User.email) == address))
        if user is None or user.id is None:
            raise NotFound(f"no user {email}")
        if user.erased_at is not None:
            raise Conflict(f"user {user.id} was erased on {user.erased_at:%Y-%m-%d}")
        label = secrets.token_hex(3)
        erased = Erased(user.id, f"Person {label.upper()}", f"erased-{label}@{ERASED_DOMAIN}")
        scrubber = Scrubber.of(
            email=user.email, name=user.name, new_email=erased.email, new_name=erased.name
        )
        await _scrub_everywhere(session, user, scrubber, erased, now=now)
        user.email, user.name, user.erased_at = erased.email, erased.name, now
        await shut_out(session, user.id, now=now)
        record_account_event(
            session,
            AccountAction.ERASE,
            actor=actor,
            now=now,
            user_id=user.id,
            detail="at their request" if actor.id == user.id else "by the Secretariat",
        )
    return erased


async def _scrub_everywhere(
    session: AsyncSession, user: User, scrubber: Scrubber, erased: Erased, *, now: datetime
) -> None:
    old_email = user.email
    await session.execute(
        update(LoginLink).where(col(LoginLink.email) == old_email).values(email=erased.email)
    )
    await session.execute(
        update(Invitation)
        .where(col(Invitation.email) == old_email)
        .values(email=erased.email, name="", expires_at=now)
    )
    await session.execute(
        update(RegisterChange)
        .where(col(RegisterChange.changed_by) == old_email)
        .values(changed_by=erased.email)
    )
    await _scrub_mail(session, scrubber, old_email=old_email, erased=erased, now=now)
    submission_ids = await _scrub_submissions(session, user, scrubber)
    await _scrub_rows(
        session,
        select(DatabankEntry).where(col(DatabankEntry.submission_id).in_(submission_ids)),
        lambda entry: _scrub_entry(entry, scrubber),
    )
    await _scrub_rows(
        session,
        select(Obligation).where(col(Obligation.submission_id).in_(submission_ids)),
        lambda obligation: _scrub_obligation(obligation, scrubber),
    )
    await _scrub_rows(
        session,
        select(ConflictOfInterest).where(col(ConflictOfInterest.user_id) == user.id),
        lambda conflict: setattr(conflict, "reason", scrubber.text(conflict.reason)),
    )


async def _scrub_rows(session: AsyncSession, query: Any, scrub: Callable[[Any], None]) -> None:
    for row in list(await session.scalars(query)):
        scrub(row)


def _scrub_obligation(obligation: Obligation, scrubber: Scrubber) -> None:
    """A laureate's reports and its signed agreement's name, as its submission's answers."""
    obligation.answers = scrubber.value(obligation.answers)
    if obligation.document_name is not None:
        obligation.document_name = scrubber.text(obligation.document_name)


def _scrub_entry(entry: DatabankEntry, scrubber: Scrubber) -> None:
    entry.contact = scrubber.value(entry.contact)
    entry.search_text = scrubber.text(entry.search_text)


async def _scrub_mail(
    session: AsyncSession, scrubber: Scrubber, *, old_email: str, erased: Erased, now: datetime
) -> None:
    """Mail to them or about them: names replaced; mail still waiting for them cancelled."""
    mentions = [
        column.ilike(f"%{needle}%")
        for needle in scrubber.needles()
        for column in (
            col(OutboxMessage.subject),
            col(OutboxMessage.body_text),
            col(OutboxMessage.body_html),
        )
    ]
    messages = await session.scalars(
        select(OutboxMessage).where(or_(col(OutboxMessage.recipient) == old_email, *mentions))
    )
    for message in list(messages):
        message.subject = scrubber.text(message.subject)
        message.body_text = scrubber.text(message.body_text)
        message.body_html = scrubber.text(message.body_html)
        if message.recipient != old_email:
            continue
        message.recipient = erased.email
        if message.status == MailStatus.PENDING:
            message.status = MailStatus.DEAD
            message.last_error = f"cancelled on {now:%Y-%m-%d}: the recipient was erased"


async def _scrub_submissions(session: AsyncSession, user: User, scrubber: Scrubber) -> list[int]:
    """Answers of what they wrote and of their organisation's submissions, every version
    sent included; their ids."""
    mine = col(Submission.created_by) == user.id
    where = (
        mine
        if user.organisation_id is None
        else or_(mine, col(Submission.organisation_id) == user.organisation_id)
    )
    submissions = list(await session.scalars(select(Submission).where(where)))
    for submission in submissions:
        answers, inputs = scrubber.value(submission.answers), scrubber.value(submission.inputs)
        if (answers, inputs) != (submission.answers, submission.inputs):
            # A new version: an edit made from a copy read before the erasure is refused.
            submission.answers, submission.inputs = answers, inputs
            submission.version += 1
    ids = [submission.id for submission in submissions]
    for version in await session.scalars(
        select(SubmissionVersion).where(col(SubmissionVersion.submission_id).in_(ids))
    ):
        version.answers = scrubber.value(version.answers)
    return [submission.id for submission in submissions if submission.id is not None]
