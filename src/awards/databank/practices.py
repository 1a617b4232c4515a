"""Good practices: experiences the Secretariat adds to the databank directly, not submitted
to any call. They land in the same search, feeds, exports and webhook as published
submissions; each creation and edit is audited (`awards.databank.changes`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from awards.databank.changes import EntryChange, record_entry_change
from awards.databank.entries import blank_entry, put_entry
from awards.databank.lists import listed
from awards.databank.mapping import Distinction
from awards.db.cas import update_if
from awards.db.tables import DatabankEntry
from awards.db.types import StoredInt
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.transitions.actor import Actor
from awards.vocabulary import LANGUAGES

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{1,60}$")]
"""A theme, target group or contact key: lower-case letters, digits and `_`."""
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Link = Annotated[str, msgspec.Meta(pattern=r"^https?://[^\s/$.?#][^\s]*$", max_length=500)]
Principle = Annotated[int, msgspec.Meta(ge=1, le=20)]
"""A principle of the Charter of Educating Cities (1-20)."""
Slugs = Annotated[list[Slug], msgspec.Meta(max_length=8)]
"""At most 8, so they fit their column."""


class PracticeIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A good practice as the Secretariat writes it; texts are per language (en, fr, es, pt)."""

    title: dict[str, str]
    organisation: Text
    country: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2}$")]
    """ISO 3166 alpha-2."""
    year: Annotated[int, msgspec.Meta(ge=1900, le=2100)]
    summary: dict[str, str] = {}
    city: Text | None = None
    themes: Slugs = []
    principles: list[Principle] = []
    target_groups: Slugs = []
    started_on: date | None = None
    links: list[Link] = []
    contact: dict[Slug, Text] | None = None


class PracticeEdit(PracticeIn, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A good practice as the Secretariat rewrites it, with the version it read."""

    version: StoredInt


async def create_practice(
    session: AsyncSession,
    practice: PracticeIn,
    *,
    actor: Actor,
    now: datetime,
    push: bool = False,
) -> DatabankEntry:
    """Publish a new good practice; `push`: queue it for the external databank's webhook."""
    _allowed(actor, "add good practices")
    entry = blank_entry()
    await put_entry(session, entry, _fields(practice), now=now, push=push)
    record_entry_change(session, entry, EntryChange.CREATE, actor=actor, now=now)
    return entry


async def update_practice(
    session: AsyncSession,
    entry_id: int,
    practice: PracticeIn,
    *,
    actor: Actor,
    now: datetime,
    push: bool = False,
    version: int | None = None,
) -> DatabankEntry:
    """Replace what good practice `entry_id` says, if it is still at `version` (None: any);
    saving it unchanged changes nothing."""
    _allowed(actor, "edit good practices")
    # Compare-and-set before reading: on PostgreSQL the row stays locked to this
    # transaction, so a concurrent editor with the same version waits, then is refused.
    if version is not None and not await update_if(
        session, DatabankEntry, entry_id, expect={"version": version}, values={"version": version}
    ):
        current = await session.get(DatabankEntry, entry_id)
        if current is not None:
            raise Conflict(
                f"databank entry {entry_id} is at version {current.version}, not {version}: "
                "reload it and apply your changes again",
                extra={"version": current.version},
            )
    entry = await session.get(DatabankEntry, entry_id)
    if entry is None:
        raise NotFound(f"no databank entry {entry_id}")
    if entry.submission_id is not None:
        raise Conflict(
            f"cannot edit databank entry {entry_id}: it publishes submission "
            f"{entry.submission_id}, which its call decides"
        )
    if entry.unpublished_at is not None:
        raise Conflict(f"cannot edit databank entry {entry_id}: unpublished; republish it first")
    if await put_entry(session, entry, _fields(practice), now=now, push=push) is not None:
        record_entry_change(session, entry, EntryChange.UPDATE, actor=actor, now=now)
    return entry


def _allowed(actor: Actor, action: str) -> None:
    if not actor.is_secretariat:
        raise Forbidden(f"only the Secretariat may {action}")


def _fields(practice: PracticeIn) -> dict[str, Any]:
    title = _texts(practice.title, "title")
    if not title:
        raise Invalid(
            "a good practice needs a title in at least one language", extra={"field": "title"}
        )
    return {
        "kind": None,
        "edition": None,
        "distinction": str(Distinction.GOOD_PRACTICE),
        "title": title,
        "summary": _texts(practice.summary, "summary"),
        "organisation": practice.organisation,
        "city": practice.city,
        "country": practice.country.upper(),
        "year": practice.year,
        "languages": listed(title),
        "themes": listed(dict.fromkeys(practice.themes)),
        "principles": listed(str(number) for number in dict.fromkeys(practice.principles)),
        "target_groups": listed(dict.fromkeys(practice.target_groups)),
        "started_on": practice.started_on,
        "links": list(practice.links),
        "contact": dict(practice.contact) if practice.contact else None,
    }


def _texts(texts: dict[str, str], field: str) -> dict[str, str]:
    """The non-empty texts, each in a language the databank is published in."""
    for language in texts:
        if language not in LANGUAGES:
            raise Invalid(
                f"{field}: unknown language '{language}'; languages: {', '.join(LANGUAGES)}",
                extra={"field": f"{field}.{language}"},
            )
    return {language: text.strip() for language, text in texts.items() if text.strip()}
