"""The audit of accounts: who invited, granted, revoked or erased whom, and when.

Rows hold ids and roles only, so erasing a person leaves them as they are.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from awards.db.tables import AccountEvent
from awards.transitions.actor import Actor


class AccountAction(StrEnum):
    INVITE = "invite"
    ACCEPT = "accept"
    REVOKE = "revoke"
    ERASE = "erase"
    FIRST_SIGN_IN = "first_sign_in"
    """The account's first sign-in by link: its language became the browser's."""


def record_account_event(
    session: AsyncSession,
    action: AccountAction,
    *,
    actor: Actor,
    now: datetime,
    user_id: int | None = None,
    invitation_id: int | None = None,
    call_id: int | None = None,
    organisation_id: int | None = None,
    detail: str = "",
) -> AccountEvent:
    """Add the event to `session`'s transaction, the one that makes the change."""
    event = AccountEvent(
        at=now,
        action=action,
        actor_id=actor.id,
        user_id=user_id,
        invitation_id=invitation_id,
        call_id=call_id,
        organisation_id=organisation_id,
        detail=detail[:300],
    )
    session.add(event)
    return event
