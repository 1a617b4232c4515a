"""The panel of a call: its jurors and its president, set by the Secretariat."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Assignment, Call, PanelMember, Review, User
from awards.errors import Forbidden, Invalid, NotFound
from awards.jury.conflicts import Finding, detect
from awards.jury.membership import JUROR, PRESIDENT, call_with_jury
from awards.notify.recipients import mail_people
from awards.transitions.actor import Actor, Role
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime
from awards.urls import JURY, absolute


async def set_panel(
    runtime: Runtime,
    call_id: int,
    *,
    jurors: Sequence[str],
    president: str | None,
    actor: Actor,
    categories: Mapping[str, str] | None = None,
) -> list[PanelMember]:
    """Make the panel exactly these jurors (the president among them); newcomers are invited.

    Jurors must exist as users with the juror role (`awards users add`). `categories` seats
    a juror (by e-mail) for one of the call's categories: they judge only its submissions.
    """
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat sets the panel")
    emails = list(dict.fromkeys(email.strip().lower() for email in [*jurors, *[president or ""]]))
    emails = [email for email in emails if email]
    if not emails:
        raise Invalid("a panel needs at least one juror", extra={"field": "jurors"})
    now = runtime.clock()
    async with runtime.db.write() as session:
        call = await session.get(Call, call_id)
        if call is None:
            raise NotFound(f"no call {call_id}")
        users = await _jurors(session, emails)
        sits_for = _categories(runtime, call, emails, categories or {})
        before = set(
            await session.scalars(
                select(col(PanelMember.user_id)).where(col(PanelMember.call_id) == call_id)
            )
        )
        await session.execute(delete(PanelMember).where(col(PanelMember.call_id) == call_id))
        members = [
            PanelMember(
                call_id=call_id,
                user_id=user.id or 0,
                role=PRESIDENT if user.email == (president or "").strip().lower() else JUROR,
                category=sits_for.get(user.email),
            )
            for user in users
        ]
        session.add_all(members)
        audit = record_change(
            session,
            call,
            "set_panel",
            actor=actor,
            now=now,
            # Ids, not addresses: audit rows outlive an erased person (`awards.privacy`).
            reason=f"{len(members)} jurors; president: {_president_id(members)}",
        )
        await session.flush()
        await mail_people(
            session,
            runtime,
            "juror_invited",
            call=call,
            people=[user for user in users if user.id not in before],
            audit=audit,
            values={"url": absolute(runtime.settings.base_url, JURY)},
        )
    return members


def _categories(
    runtime: Runtime, call: Call, emails: Sequence[str], categories: Mapping[str, str]
) -> dict[str, str]:
    """The category each juror sits for, by e-mail: one of the call's kind's."""
    sits_for = {email.strip().lower(): category for email, category in categories.items()}
    for email, category in sits_for.items():
        if email not in emails:
            raise Invalid(f"{email} is not on the panel", extra={"field": "categories"})
        check_category(runtime, call, category, field="categories")
    return sits_for


def check_category(runtime: Runtime, call: Call, category: str, *, field: str) -> None:
    """`Invalid` naming `field` unless `category` is one of the call's kind's."""
    names = {found.name for found in runtime.kind(call.kind).categories}
    if category not in names:
        raise Invalid(
            f"'{category}' is not a category of this call; "
            f"categories: {', '.join(sorted(names)) or 'none'}",
            extra={"field": field},
        )


def _president_id(members: Sequence[PanelMember]) -> str:
    chair = next((member for member in members if member.role == PRESIDENT), None)
    return "none" if chair is None else f"user {chair.user_id}"


async def seat(
    session: AsyncSession, call_id: int, user_id: int, *, role: str, category: str | None = None
) -> None:
    """Put a juror on the call's panel as `role`, for `category` if one (an invitation
    accepted); a new president takes the chair from the previous one, who stays a juror."""
    if role == PRESIDENT:
        await session.execute(
            update(PanelMember)
            .where(col(PanelMember.call_id) == call_id, col(PanelMember.role) == PRESIDENT)
            .values(role=JUROR)
        )
    member = await session.scalar(
        select(PanelMember).where(
            col(PanelMember.call_id) == call_id, col(PanelMember.user_id) == user_id
        )
    )
    if member is None:
        session.add(PanelMember(call_id=call_id, user_id=user_id, role=role, category=category))
    else:
        member.role, member.category = role, category


async def unseat(session: AsyncSession, call_id: int, user_id: int) -> bool:
    """Take the juror off the call's panel; False if they were not on it.

    Their unfinished assignments are withdrawn; final reviews stay, so the ranking holds.
    """
    left = await session.execute(
        delete(PanelMember).where(
            col(PanelMember.call_id) == call_id, col(PanelMember.user_id) == user_id
        )
    )
    if cast(CursorResult[Any], left).rowcount != 1:
        return False
    finished = select(col(Review.assignment_id)).where(col(Review.final))
    await session.execute(
        update(Assignment)
        .where(
            col(Assignment.call_id) == call_id,
            col(Assignment.juror_id) == user_id,
            col(Assignment.active),
            col(Assignment.id).not_in(finished),
        )
        .values(active=False, withdrawn_reason="the juror left the panel")
    )
    return True


@dataclass(frozen=True)
class PanelSeat:
    email: str
    name: str
    role: str
    category: str | None
    """The category they judge; None: every one."""


async def panel_seats(runtime: Runtime, call_id: int, *, actor: Actor) -> list[PanelSeat]:
    """Who sits on a call's panel, by e-mail (Secretariat)."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat sees the panel")
    async with runtime.db.read() as session:
        seated = await panel_of(session, call_id)
    return [
        PanelSeat(user.email, user.name, member.role, member.category) for member, user in seated
    ]


async def panel_of(session: AsyncSession, call_id: int) -> list[tuple[PanelMember, User]]:
    rows = await session.execute(
        select(PanelMember, User)
        .join(User, col(User.id) == col(PanelMember.user_id))
        .where(col(PanelMember.call_id) == call_id)
        .order_by(col(User.email))
    )
    return [(member, user) for member, user in rows]


async def _jurors(session: AsyncSession, emails: list[str]) -> list[User]:
    users = {
        user.email: user
        for user in await session.scalars(select(User).where(col(User.email).in_(emails)))
    }
    for email in emails:
        user = users.get(email)
        if user is None or user.role != Role.JUROR:
            raise Invalid(
                f"{email} is not a juror: add them with `awards users add {email} --role juror`",
                extra={"field": "jurors", "email": email},
            )
    return [users[email] for email in emails]


async def panel_conflicts(
    runtime: Runtime, call_id: int, *, candidates: Sequence[str] | None, actor: Actor
) -> list[Finding]:
    """Conflicts the kind's rules find for `candidates` (e-mails), or for the current panel.

    Run it before inviting a panel: nothing is written.
    """
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat checks conflicts")
    async with runtime.db.read() as session:
        call, jury = await call_with_jury(session, runtime, call_id)
        if candidates is None:
            jurors = [user for _, user in await panel_of(session, call_id)]
        else:
            jurors = await _jurors(session, [email.strip().lower() for email in candidates])
        return await detect(session, call, jurors, rules=jury.conflicts)
