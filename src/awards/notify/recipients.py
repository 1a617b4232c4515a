"""Who is told: mails to people and to an organisation's applicants, each in their language.

Mails are written to the outbox inside the caller's transaction (invariant 6); the id of the
audit entry of the change that causes them makes their Message-IDs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import AuditEntry, Call, User
from awards.kinds.kind import CallKind
from awards.notify.outbox import queue_mail
from awards.notify.render import InReadersLanguage, renderer
from awards.transitions.actor import Role
from awards.transitions.runtime import Runtime


async def mail_people(
    session: AsyncSession,
    runtime: Runtime,
    template: str,
    *,
    call: Call,
    people: Iterable[User],
    audit: AuditEntry,
    values: dict[str, Any],
    submission_id: int | None = None,
    cause: str | None = None,
    attachments: Sequence[dict[str, Any]] = (),
) -> None:
    """Queue `template` to each person not erased, in their language or the kind's default one.

    `cause` names what the mail is about when one change mails more than one thing (a
    reminder per submission); by default it is the audit entry.
    """
    kind = runtime.kind(call.kind)
    for user in people:
        if user.erased_at is not None:
            continue  # a pseudonym at an `.invalid` address: nobody to tell
        language = user.locale if user.locale in call.languages else kind.default_language
        await queue_mail(
            session,
            renderer(runtime.settings.templates_dir),
            template,
            recipient=user.email,
            language=language,
            fallback_language=kind.default_language,
            values={
                "call_title": call.title[language],
                "edition": call.edition,
                "reason": audit.reason or "",
                "name": user.name,
                "body": _body(kind, language),
                **{
                    name: value.said(language) if isinstance(value, InReadersLanguage) else value
                    for name, value in values.items()
                },
            },
            cause=cause or f"audit{audit.id}",
            base_url=runtime.settings.base_url,
            now=audit.at,
            call_id=call.id,
            submission_id=submission_id,
            attachments=attachments,
        )


def named(runtime: Runtime, kind: CallKind, family: str, name: str) -> InReadersLanguage:
    """`name` of `family` (a round...) of `kind` in each recipient's language (`Runtime.term`)."""
    return InReadersLanguage(partial(runtime.term, kind, family, name))


def _body(kind: CallKind, language: str) -> str:
    """Who judges the call, as a sentence begins with it, in the reader's language."""
    if kind.body is None:
        return ""
    named = kind.body.with_article
    return named.get(language) or named[kind.default_language]


async def mail_organisation(
    session: AsyncSession,
    runtime: Runtime,
    template: str,
    *,
    call: Call,
    organisation_id: int,
    audit: AuditEntry,
    values: dict[str, Any],
    submission_id: int | None = None,
    cause: str | None = None,
    attachments: Sequence[dict[str, Any]] = (),
) -> None:
    """Queue `template` to each applicant of the organisation."""
    applicants = await session.scalars(
        select(User).where(
            col(User.organisation_id) == organisation_id, col(User.role) == Role.APPLICANT
        )
    )
    await mail_people(
        session,
        runtime,
        template,
        call=call,
        people=list(applicants),
        audit=audit,
        values=values,
        submission_id=submission_id,
        cause=cause,
        attachments=attachments,
    )
