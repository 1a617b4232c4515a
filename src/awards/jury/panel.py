"""The panel of a call: its jurors and its president, set by the Secretariat."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.auth.actor import Actor, Role
from awards.db.tables import Call, PanelMember, User
from awards.errors import Forbidden, Invalid, NotFound
from awards.jury.conflicts import Finding, detect
from awards.jury.membership import JUROR, PRESIDENT, call_with_jury
from awards.lifecycle import record_change
from awards.mailing import mail_people
from awards.runtime import Runtime


async def set_panel(
    runtime: Runtime,
    call_id: int,
    *,
    jurors: Sequence[str],
    president: str | None,
    actor: Actor,
) -> list[PanelMember]:
    """Make the panel exactly these jurors (the president among them); newcomers are invited.

    Jurors must exist as users with the juror role (`awards users add`).
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
            reason=f"{len(members)} jurors; president: {president or 'none'}",
        )
        await session.flush()
        await mail_people(
            session,
            runtime,
            "juror_invited",
            call=call,
            people=[user for user in users if user.id not in before],
            audit=audit,
            values={"url": f"{runtime.settings.base_url}/jury"},
        )
    return members


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
