"""Invitations by e-mail to a role: juror or president on a call's panel, or applicant of an
organisation (several people may act for one organisation).

The lifecycle of an invitation:

1. `invite` (the Secretariat) checks the role fits the person and the call or organisation
   exists, records the invitation with the SHA-256 of a random link, and queues the
   `invitation` e-mail in the chosen language, in one audited transaction;
2. `peek_invitation` tells the landing page what a link is without spending it, so a mail
   scanner that opens links accepts nothing;
3. `accept_invitation` spends it once (a compare-and-set on `accepted_at`), creates or
   updates the user, grants the role and opens a browser session, as a sign-in link does, in
   one audited transaction.

Revoking a role is `awards.auth.revocation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards import urls
from awards.auth.account_events import AccountAction, record_account_event
from awards.auth.links import digest, find_link, spend_link
from awards.auth.sessions import start_session
from awards.auth.users import email_address
from awards.calls.networks import run_by
from awards.db.lookups import registered_organisation
from awards.db.tables import Call, Invitation, Organisation, User
from awards.errors import Conflict, Forbidden, Invalid
from awards.jury.membership import call_with_jury
from awards.jury.panel import check_category, seat
from awards.notify.outbox import queue_mail
from awards.notify.render import renderer
from awards.notify.seals import sealed_token
from awards.transitions.actor import Actor, Role
from awards.transitions.runtime import Runtime
from awards.vocabulary import LANGUAGES

LIFETIME = timedelta(days=14)
TEMPLATE = "invitation"


class InvitedRole(StrEnum):
    JUROR = "juror"
    PRESIDENT = "president"
    APPLICANT = "applicant"

    @property
    def standing_role(self) -> Role:
        """The user's role once accepted: a president is a juror who chairs one panel."""
        return Role.APPLICANT if self is InvitedRole.APPLICANT else Role.JUROR


class InvitationRefused(Conflict):
    """A link that is unknown, accepted already or expired."""


@dataclass(frozen=True)
class NewInvitation:
    email: str
    role: InvitedRole
    call_id: int | None = None
    """For a juror or a president."""
    organisation: str | None = None
    """The organisation's slug, for an applicant."""
    language: str = "en"
    name: str = ""
    category: str | None = None
    """For a juror or a president: the call's category they will sit for."""


@dataclass(frozen=True)
class InvitationStatus:
    language: str
    role: InvitedRole
    usable: bool
    """Not accepted and not expired."""


@dataclass(frozen=True)
class Accepted:
    session_secret: str
    user: User
    role: InvitedRole


def check_fits(user: User | None, role: InvitedRole, *, organisation_id: int | None) -> None:
    """`Conflict` unless the person can take `role`: a user keeps one standing role, and an
    applicant acts for one organisation."""
    if user is None:
        return
    if user.role != role.standing_role:
        raise Conflict(
            f"cannot make {user.email} a {role}: they are a {user.role}",
            extra={"field": "role"},
        )
    if role is InvitedRole.APPLICANT and user.organisation_id not in (None, organisation_id):
        raise Conflict(
            f"cannot make {user.email} an applicant here: they act for another organisation; "
            "revoke that first",
            extra={"field": "organisation"},
        )


async def invite(runtime: Runtime, new: NewInvitation, *, actor: Actor) -> Invitation:
    """Record the invitation and queue its e-mail; returns it (its link is only mailed)."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat invites")
    email = email_address(new.email)
    if new.language not in LANGUAGES:
        raise Invalid(
            f"unknown language '{new.language}'; languages: {', '.join(LANGUAGES)}",
            extra={"field": "language"},
        )
    now, (token, seal) = runtime.clock(), sealed_token(runtime.settings.secret_key)
    async with runtime.db.write() as session:
        call, organisation = await _target(session, runtime, new, actor)
        user = await session.scalar(select(User).where(col(User.email) == email))
        check_fits(user, new.role, organisation_id=organisation.id if organisation else None)
        invitation = Invitation(
            token_hash=digest(token),
            email=email,
            name=new.name.strip()[:200],
            role=new.role,
            call_id=call.id if call else None,
            organisation_id=organisation.id if organisation else None,
            language=new.language,
            category=new.category or None,
            invited_by=actor.id,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        session.add(invitation)
        await session.flush()
        record_account_event(
            session,
            AccountAction.INVITE,
            actor=actor,
            now=now,
            user_id=user.id if user else None,
            invitation_id=invitation.id,
            call_id=invitation.call_id,
            organisation_id=invitation.organisation_id,
            detail=new.role,
        )
        await queue_mail(
            session,
            renderer(runtime.settings.templates_dir),
            TEMPLATE,
            recipient=email,
            language=new.language,
            fallback_language="en",
            values={
                "name": invitation.name or (user.name if user else ""),
                "role": str(new.role),
                "target": _target_name(runtime, call, organisation, new.language),
                "url": urls.absolute(runtime.settings.base_url, urls.invitation(seal)),
                "expires": f"{invitation.expires_at:%Y-%m-%d}",
            },
            cause=f"invitation{invitation.id}",
            base_url=runtime.settings.base_url,
            now=now,
            call_id=invitation.call_id,
        )
    return invitation


async def _target(
    session: AsyncSession, runtime: Runtime, new: NewInvitation, actor: Actor
) -> tuple[Call | None, Organisation | None]:
    """The organisation an applicant is invited to, or the call (of the Secretariat
    member's network) a juror or a president is."""
    if new.role is InvitedRole.APPLICANT:
        if new.organisation is None or new.call_id is not None:
            raise Invalid(
                "an applicant is invited to an organisation, not to a call",
                extra={"field": "organisation"},
            )
        return None, await registered_organisation(session, new.organisation)
    if new.call_id is None or new.organisation is not None:
        raise Invalid(f"a {new.role} is invited to a call's panel", extra={"field": "call_id"})
    run_by(await session.get(Call, new.call_id), new.call_id, runtime=runtime, actor=actor)
    call, _ = await call_with_jury(session, runtime, new.call_id)
    if new.category:
        check_category(runtime, call, new.category, field="category")
    return call, None


def _target_name(
    runtime: Runtime, call: Call | None, organisation: Organisation | None, language: str
) -> str:
    if organisation is not None:
        return organisation.name
    assert call is not None
    default = runtime.kind(call.kind).default_language
    return call.title.get(language) or call.title[default]


async def peek_invitation(runtime: Runtime, token: str) -> InvitationStatus | None:
    """What link `token` is, without spending it; None for a link that never existed."""
    async with runtime.db.read() as session:
        invitation = await find_link(session, Invitation, token)
    if invitation is None:
        return None
    return InvitationStatus(
        language=invitation.language,
        role=InvitedRole(invitation.role),
        usable=_usable(invitation, now=runtime.clock()),
    )


def _usable(invitation: Invitation, *, now: datetime) -> bool:
    return invitation.accepted_at is None and now < invitation.expires_at


async def accept_invitation(runtime: Runtime, token: str) -> Accepted:
    """Spend link `token`: the person gets the role and a session; `InvitationRefused` if
    the link is unknown, used or expired, `Conflict` if the role no longer fits them."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        invitation = await spend_link(
            session, Invitation, token, used=col(Invitation.accepted_at), now=now
        )
        if invitation is None:
            raise InvitationRefused(
                "this invitation has expired or was accepted already: ask the Secretariat "
                "for a new one"
            )
        role = InvitedRole(invitation.role)
        user = await _grant(session, invitation, role, now=now)
        assert user.id is not None
        invitation.user_id = user.id
        if invitation.call_id is not None:
            await seat(
                session, invitation.call_id, user.id, role=role, category=invitation.category
            )
        record_account_event(
            session,
            AccountAction.ACCEPT,
            actor=Actor.of(user),
            now=now,
            user_id=user.id,
            invitation_id=invitation.id,
            call_id=invitation.call_id,
            organisation_id=invitation.organisation_id,
            detail=role,
        )
        secret = await start_session(session, user.id, now=now)
    return Accepted(session_secret=secret, user=user, role=role)


async def _grant(
    session: AsyncSession, invitation: Invitation, role: InvitedRole, *, now: datetime
) -> User:
    """The invited person as a user with the role: created, or updated."""
    user = await session.scalar(select(User).where(col(User.email) == invitation.email))
    check_fits(user, role, organisation_id=invitation.organisation_id)
    if user is None:
        user = User(
            email=invitation.email,
            name=invitation.name,
            role=role.standing_role,
            locale=invitation.language,
            created_at=now,
        )
        session.add(user)
    if invitation.organisation_id is not None:
        user.organisation_id = invitation.organisation_id
    user.name = user.name or invitation.name
    await session.flush()
    return user
