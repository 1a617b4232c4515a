"""The people the Secretariat chooses from and invites, as its pages list them: the jurors
it knows, an organisation's applicants, the invitations sent to a call's panel or to an
organisation with their state, a list of addresses invited in one go (each on its own, the
refused ones kept with why) and an invitation sent again.

Each invitation goes through `awards.auth.invitations.invite` (audited, its mail queued in
the same transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlmodel import col

from awards.auth.invitations import InvitedRole, NewInvitation, invite
from awards.db.tables import Invitation, Organisation, User
from awards.errors import AwardsError, Forbidden, NotFound
from awards.transitions.actor import Actor, Role
from awards.transitions.runtime import Runtime


class InvitationState(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Invited:
    """The latest invitation of one address to one role."""

    id: int
    email: str
    name: str
    role: InvitedRole
    sent_at: datetime
    expires_at: datetime
    state: InvitationState
    category: str | None
    """For a juror: the category they are invited to sit for."""


@dataclass(frozen=True)
class Invitee:
    """A line of a typed list: an address, and a name if one follows it."""

    email: str
    name: str = ""

    @property
    def line(self) -> str:
        return f"{self.email} {self.name}".strip()


@dataclass(frozen=True)
class Refused:
    invitee: Invitee
    why: str
    """`not_an_address`, `other_role`, `other_organisation` or `refused`."""


@dataclass(frozen=True)
class Target:
    """Where people are invited: a call's panel, or an organisation (by slug)."""

    call_id: int | None = None
    organisation: str | None = None


def _staff_only(actor: Actor) -> None:
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat manages people and invitations")


def invitees(typed: str) -> list[Invitee]:
    """One person per line: the address first, then the name if any (`a@b.org Ana Gil`, or
    `a@b.org, Ana Gil`); blank lines are skipped."""
    found = []
    for line in typed.splitlines():
        email, _, name = line.strip().replace(",", " ", 1).partition(" ")
        if email:
            found.append(Invitee(email, name.strip()))
    return found


async def known_jurors(runtime: Runtime, *, actor: Actor) -> list[User]:
    """Everyone with the juror role, by name: the people a panel is chosen from."""
    _staff_only(actor)
    async with runtime.db.read() as session:
        return list(
            await session.scalars(
                select(User)
                .where(col(User.role) == Role.JUROR)
                .order_by(col(User.name), col(User.email))
            )
        )


async def applicants_of(runtime: Runtime, slug: str, *, actor: Actor) -> list[User]:
    """The people who act for organisation `slug`."""
    _staff_only(actor)
    async with runtime.db.read() as session:
        return list(
            await session.scalars(
                select(User)
                .join(Organisation, col(Organisation.id) == col(User.organisation_id))
                .where(col(Organisation.slug) == slug, col(User.role) == Role.APPLICANT)
                .order_by(col(User.email))
            )
        )


async def invitations_to(runtime: Runtime, target: Target, *, actor: Actor) -> list[Invited]:
    """The latest invitation of each address and role to `target`, newest first."""
    _staff_only(actor)
    now = runtime.clock()
    async with runtime.db.read() as session:
        query = select(Invitation).order_by(col(Invitation.id).desc())
        if target.call_id is not None:
            query = query.where(col(Invitation.call_id) == target.call_id)
        else:
            query = query.join(
                Organisation, col(Organisation.id) == col(Invitation.organisation_id)
            ).where(col(Organisation.slug) == target.organisation)
        rows = list(await session.scalars(query))
    latest: dict[tuple[str, str], Invited] = {}
    for row in rows:
        latest.setdefault((row.email, row.role), _invited(row, now=now))
    return list(latest.values())


def _invited(row: Invitation, *, now: datetime) -> Invited:
    if row.accepted_at is not None:
        state = InvitationState.ACCEPTED
    elif now >= row.expires_at:
        state = InvitationState.EXPIRED
    else:
        state = InvitationState.SENT
    return Invited(
        id=row.id or 0,
        email=row.email,
        name=row.name,
        role=InvitedRole(row.role),
        sent_at=row.created_at,
        expires_at=row.expires_at,
        state=state,
        category=row.category,
    )


async def invite_each(
    runtime: Runtime,
    people: Sequence[Invitee],
    target: Target,
    *,
    role: InvitedRole,
    language: str,
    actor: Actor,
    category: str | None = None,
) -> list[Refused]:
    """Invite each of `people` to `target` on its own (a panel's jurors for `category`, if
    one); those refused, with why."""
    refused = []
    for person in people:
        try:
            await invite(
                runtime,
                NewInvitation(
                    email=person.email,
                    role=role,
                    call_id=target.call_id,
                    organisation=target.organisation,
                    language=language,
                    name=person.name,
                    category=category,
                ),
                actor=actor,
            )
        except AwardsError as error:
            refused.append(Refused(person, _why(error)))
    return refused


def _why(error: AwardsError) -> str:
    field = error.extra.get("field")
    if field == "email":
        return "not_an_address"
    if field == "role":
        return "other_role"
    if field == "organisation":
        return "other_organisation"
    return "refused"


async def resend(runtime: Runtime, invitation_id: int, target: Target, *, actor: Actor) -> None:
    """A new link for invitation `invitation_id` of `target`, mailed in its language; the
    old link keeps its own expiry. `NotFound` unless it is `target`'s and not accepted."""
    _staff_only(actor)
    ours = [i for i in await invitations_to(runtime, target, actor=actor) if i.id == invitation_id]
    async with runtime.db.read() as session:
        row = await session.get(Invitation, invitation_id)
    if not ours or row is None or ours[0].state is InvitationState.ACCEPTED:
        raise NotFound(f"no invitation {invitation_id} waiting here")
    await invite(
        runtime,
        NewInvitation(
            email=row.email,
            role=InvitedRole(row.role),
            call_id=target.call_id,
            organisation=target.organisation,
            language=row.language,
            name=row.name,
            category=row.category,
        ),
        actor=actor,
    )
