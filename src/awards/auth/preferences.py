"""What a signed-in person chooses for themselves: the language of their pages and e-mails."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from awards.db.database import Database
from awards.db.tables import User
from awards.errors import Forbidden, Invalid
from awards.transitions.actor import Actor
from awards.vocabulary import LANGUAGES


async def set_locale(db: Database, locale: str, *, actor: Actor) -> None:
    """Make `locale` the actor's language, for pages and for the e-mails they are sent."""
    if actor.id is None:
        raise Forbidden("sign in to keep a language")
    if locale not in LANGUAGES:
        raise Invalid(
            f"unknown language '{locale}'; languages: {', '.join(LANGUAGES)}",
            extra={"field": "locale"},
        )
    async with db.write() as session:
        await session.execute(update(User).where(col(User.id) == actor.id).values(locale=locale))
