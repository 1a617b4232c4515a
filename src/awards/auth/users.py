"""Users and organisations: adding them from the CLI and the demo."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from awards.db.database import Database
from awards.db.lookups import registered_organisation
from awards.db.tables import User
from awards.errors import Invalid
from awards.transitions.actor import Role
from awards.vocabulary import LANGUAGES

_ADDRESS = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+")
"""One `@`, no space, line break or control: a CR/LF in an invitation's address was taken,
and its mail then went dead."""
MAX_ADDRESS = 320


def email_address(text: str) -> str:
    """`text` as the address users are kept under (trimmed, lower case), or `Invalid` naming
    field `email`."""
    address = text.strip().lower()
    if len(address) > MAX_ADDRESS or not _ADDRESS.fullmatch(address):
        raise Invalid(f"{text!r} is not an e-mail address", extra={"field": "email"})
    return address


async def add_user(
    db: Database,
    email: str,
    *,
    role: str,
    now: datetime,
    organisation: str | None = None,
    name: str = "",
    locale: str = "en",
    network: str | None = None,
) -> User:
    """Create the user, or update role, organisation, name, locale and network (the
    Secretariat's: whose calls they run, None for all) of an existing one."""
    try:
        checked_role = Role(role)
    except ValueError:
        raise Invalid(
            f"unknown role '{role}'; roles: {', '.join(Role)}", extra={"field": "role"}
        ) from None
    if locale not in LANGUAGES:
        raise Invalid(f"unknown locale '{locale}'", extra={"field": "locale"})
    email = email_address(email)
    if checked_role is Role.APPLICANT and organisation is None:
        raise Invalid("an applicant belongs to an organisation: give --org", extra={"field": "org"})
    async with db.write() as session:
        organisation_id = None
        if organisation is not None:
            organisation_id = (await registered_organisation(session, organisation)).id
        user = await session.scalar(select(User).where(col(User.email) == email.lower()))
        if user is None:
            user = User(email=email.lower(), created_at=now, role=checked_role)
            session.add(user)
        user.role = checked_role
        user.organisation_id = organisation_id
        user.name = name or user.name
        user.locale = locale
        user.network = network
    return user
