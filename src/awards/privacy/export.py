"""Everything held about a person, as JSON they can download (the right of access).

Secrets are left out (token and link digests); so is anything that would reveal to a juror
whom they judged in an anonymised call: their reviews and audited acts name submissions by
pseudonym, and no organisation id is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from awards.db.tables import (
    AccountEvent,
    ApiToken,
    Assignment,
    Attachment,
    AuditEntry,
    ConflictOfInterest,
    Invitation,
    LoginLink,
    Organisation,
    OutboxMessage,
    PanelMember,
    RegisterChange,
    Review,
    Submission,
    SubmissionVersion,
    User,
    WebSession,
)
from awards.errors import Forbidden, NotFound
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

Record = dict[str, Any]
SECRETS = frozenset({"token_hash"})


def _records(rows: Iterable[SQLModel], *, leave_out: Iterable[str] = ()) -> list[Record]:
    excluded = set(SECRETS | set(leave_out))
    return [row.model_dump(mode="json", exclude=excluded) for row in rows]


async def export_person(runtime: Runtime, *, actor: Actor) -> Record:
    """What the service holds about the signed-in `actor`."""
    if actor.id is None:
        raise Forbidden("sign in to download what is held about you")
    async with runtime.db.read() as session:
        user = await session.get(User, actor.id)
        if user is None:
            raise NotFound(f"no user {actor.id}")
        return await _collect(session, user)


async def _audit(session: AsyncSession, user: User) -> list[Record]:
    """What the person did, as audited: another organisation's submission (a juror declaring
    a conflict or declining) named by its pseudonym, as their reviews name it, not by its id,
    which follows the order candidacies came in."""
    rows = await session.execute(
        select(AuditEntry, col(Submission.pseudonym), col(Submission.organisation_id))
        .outerjoin(Submission, col(Submission.id) == col(AuditEntry.submission_id))
        .where(col(AuditEntry.actor_id) == user.id)
        .order_by(col(AuditEntry.id))
    )
    return [
        _records([entry])[0]
        if entry.submission_id is None or (owner and owner == user.organisation_id)
        else {**_records([entry], leave_out=["submission_id"])[0], "submission": pseudonym}
        for entry, pseudonym, owner in rows
    ]


async def export_by_email(runtime: Runtime, email: str) -> Record:
    """What the service holds about the user with `email` (the command line)."""
    async with runtime.db.read() as session:
        user = await session.scalar(select(User).where(col(User.email) == email.strip().lower()))
        if user is None:
            raise NotFound(f"no user {email}")
        return await _collect(session, user)


async def _collect(session: AsyncSession, user: User) -> Record:
    uid = user.id

    async def rows(statement: Any) -> list[Any]:
        return list(await session.scalars(statement))

    organisation = (
        await session.get(Organisation, user.organisation_id) if user.organisation_id else None
    )
    submissions = await rows(
        select(Submission).where(col(Submission.created_by) == uid).order_by(col(Submission.id))
    )
    attachments = await rows(
        select(Attachment)
        .where(col(Attachment.submission_id).in_([submission.id for submission in submissions]))
        .order_by(col(Attachment.id))
    )
    versions = await rows(
        select(SubmissionVersion)
        .where(col(SubmissionVersion.submission_id).in_([s.id for s in submissions]))
        .order_by(col(SubmissionVersion.id))
    )
    reviews = (
        await session.execute(
            select(Review, Assignment, col(Submission.pseudonym))
            .join(Assignment, col(Assignment.id) == col(Review.assignment_id))
            .join(Submission, col(Submission.id) == col(Assignment.submission_id))
            .where(col(Assignment.juror_id) == uid)
            .order_by(col(Review.id))
        )
    ).all()
    return {
        "user": _records([user])[0],
        "roles": {
            "role": user.role,
            "organisation": None
            if organisation is None
            else {"slug": organisation.slug, "name": organisation.name},
            "panels": _records(
                await rows(select(PanelMember).where(col(PanelMember.user_id) == uid))
            ),
        },
        "invitations": _records(
            await rows(
                select(Invitation).where(
                    or_(col(Invitation.user_id) == uid, col(Invitation.email) == user.email)
                )
            )
        ),
        "tokens": _records(await rows(select(ApiToken).where(col(ApiToken.user_id) == uid))),
        "sessions": _records(await rows(select(WebSession).where(col(WebSession.user_id) == uid))),
        "sign_in_links": _records(
            await rows(select(LoginLink).where(col(LoginLink.email) == user.email))
        ),
        "submissions": [
            {
                **_records([submission])[0],
                "attachments": _records(
                    [a for a in attachments if a.submission_id == submission.id]
                ),
                "versions": _records([v for v in versions if v.submission_id == submission.id]),
            }
            for submission in submissions
        ],
        "reviews": [
            {
                **_records([review], leave_out=["assignment_id"])[0],
                "call_id": assignment.call_id,
                "round": assignment.round,
                "submission": pseudonym,
            }
            for review, assignment, pseudonym in reviews
        ],
        # Without the organisation's id: it follows the register's order, and a conflict
        # declared on a dossier would tie its pseudonym to its applicant.
        "conflicts": _records(
            await rows(select(ConflictOfInterest).where(col(ConflictOfInterest.user_id) == uid)),
            leave_out=["organisation_id"],
        ),
        "mail": _records(
            await rows(
                select(OutboxMessage)
                .where(col(OutboxMessage.recipient) == user.email)
                .order_by(col(OutboxMessage.id))
            ),
            leave_out=["claimed_by", "claimed_until"],
        ),
        "audit": await _audit(session, user),
        "account_events": _records(
            await rows(
                select(AccountEvent)
                .where(or_(col(AccountEvent.actor_id) == uid, col(AccountEvent.user_id) == uid))
                .order_by(col(AccountEvent.id))
            )
        ),
        "register_changes": _records(
            await rows(select(RegisterChange).where(col(RegisterChange.changed_by) == user.email))
        ),
    }
