"""Deadline extensions: a later deadline for one organisation, granted with a reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from awards.calls.instants import utc_instant
from awards.clock import local
from awards.db.lookups import registered_organisation
from awards.db.tables import Call, Extension
from awards.errors import Forbidden, Invalid, NotFound
from awards.notify.recipients import mail_organisation
from awards.transitions.actor import Actor
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime


async def grant_extension(
    runtime: Runtime,
    call_id: int,
    *,
    organisation: str,
    until: datetime,
    reason: str,
    actor: Actor,
) -> Extension:
    """Let `organisation` submit until `until`; audited on the call and mailed to its people.

    Granting again replaces the earlier extension of that organisation.
    """
    if not actor.is_secretariat or actor.id is None:
        raise Forbidden("only the Secretariat grants extensions")
    if not reason.strip():
        raise Invalid("an extension needs a reason", extra={"field": "reason"})
    until = utc_instant("until", until)
    now = runtime.clock()
    async with runtime.db.write() as session:
        call = await session.get(Call, call_id)
        if call is None:
            raise NotFound(f"no call {call_id}")
        if until <= call.closes_at:
            raise Invalid(
                f"an extension must end after the deadline {local(call.closes_at, call.timezone)}",
                extra={"field": "until"},
            )
        member = await registered_organisation(session, organisation)
        assert member.id is not None
        extension = await session.scalar(
            select(Extension).where(
                col(Extension.call_id) == call_id, col(Extension.organisation_id) == member.id
            )
        )
        if extension is None:
            extension = Extension(
                call_id=call_id,
                organisation_id=member.id,
                until=until,
                reason=reason,
                granted_by=actor.id,
                granted_at=now,
            )
            session.add(extension)
        extension.until, extension.reason = until, reason.strip()
        extension.granted_by, extension.granted_at = actor.id, now
        audit = record_change(
            session,
            call,
            "extend",
            actor=actor,
            now=now,
            reason=f"{member.name} until {local(until, call.timezone)}: {reason.strip()}",
        )
        await session.flush()
        await mail_organisation(
            session,
            runtime,
            "extension_granted",
            call=call,
            organisation_id=member.id,
            audit=audit,
            values={"until": local(until, call.timezone), "reason": reason.strip()},
        )
    return extension
