"""What a register would change in the database, and applying it with its audit trail.

Lifecycle of one import: `plan_changes` compares each member with the organisation of the same
slug (only on the fields the file gives) -> the plan is shown -> `apply_plan`, in the same
transaction as the plan, creates and updates the organisations and writes one
`RegisterChange` per field changed: who, when, old, new, and from which file. Organisations the
file does not list are counted and left alone: an export may cover one network only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awards.db.tables import Organisation, RegisterChange
from awards.members.member import FIELDS, Member, OrganisationKind
from awards.members.progress import Progress, no_progress

Value = str | int | bool | None


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Value
    new: Value


@dataclass(frozen=True)
class OrganisationChange:
    """A new organisation (every field from nothing) or the fields of one that change."""

    slug: str
    name: str
    fields: tuple[FieldChange, ...]
    values: dict[str, Value] = field(repr=False)
    """Every field the file gives, as the organisation will hold them."""


@dataclass(frozen=True)
class RegisterPlan:
    created: list[OrganisationChange]
    changed: list[OrganisationChange]
    unchanged: int
    absent: int
    """Organisations in the database that the file does not list."""

    @property
    def is_empty(self) -> bool:
        return not (self.created or self.changed)


def target(
    member: Member, fields: frozenset[str], *, current: Organisation | None
) -> dict[str, Value]:
    """The values `member` gives to its organisation: the file's fields, and `city`, which for
    a city is its own name (conflict detection compares it)."""
    values: dict[str, Value] = {name: getattr(member, name) for name in FIELDS if name in fields}
    kind = values.get("kind", current.kind if current else OrganisationKind.CITY)
    if kind == OrganisationKind.CITY:
        values["city"] = member.name
    return values


async def plan_changes(
    session: AsyncSession,
    members: Iterable[Member],
    *,
    fields: frozenset[str],
    progress: Progress = no_progress,
) -> RegisterPlan:
    """Compare `members` with the organisations in `session`'s database; writes nothing."""
    current = {o.slug: o for o in await session.scalars(select(Organisation))}
    listed = {member.slug: member for member in members}
    created, changed, unchanged = [], [], 0
    for done, (slug, member) in enumerate(listed.items(), start=1):
        organisation = current.get(slug)
        values = target(member, fields, current=organisation)
        if organisation is None:
            news = tuple(FieldChange(f, None, v) for f, v in values.items() if v is not None)
            created.append(OrganisationChange(slug, member.name, news, values))
        else:
            diffs = tuple(
                FieldChange(f, getattr(organisation, f), v)
                for f, v in values.items()
                if getattr(organisation, f) != v
            )
            if diffs:
                changed.append(OrganisationChange(slug, member.name, diffs, values))
            else:
                unchanged += 1
        progress("comparing", done, len(listed))
    absent = len(current.keys() - listed.keys())
    return RegisterPlan(created, changed, unchanged, absent)


async def apply_plan(
    session: AsyncSession,
    plan: RegisterPlan,
    *,
    by: str,
    now: datetime,
    source: str,
    progress: Progress = no_progress,
) -> None:
    """Write `plan` and its audit rows in `session`'s transaction (the caller commits)."""
    current = {o.slug: o for o in await session.scalars(select(Organisation))}
    applied: list[tuple[Organisation, OrganisationChange]] = []
    for change in plan.created:
        organisation = Organisation(slug=change.slug, name=change.name, country="")
        for name, value in change.values.items():
            setattr(organisation, name, value)
        session.add(organisation)
        applied.append((organisation, change))
    for change in plan.changed:
        organisation = current[change.slug]
        for diff in change.fields:
            setattr(organisation, diff.field, diff.new)
        applied.append((organisation, change))
    await session.flush()  # ids of the new organisations, for their audit rows
    total = len(applied)
    for done, (organisation, change) in enumerate(applied, start=1):
        assert organisation.id is not None
        session.add_all(
            RegisterChange(
                organisation_id=organisation.id,
                field=diff.field,
                old_value=as_text(diff.old),
                new_value=as_text(diff.new),
                changed_by=by,
                changed_at=now,
                source=source,
            )
            for diff in change.fields
        )
        progress("writing", done, total)


def as_text(value: Value) -> str | None:
    """How a value is kept in the audit trail: `true`/`false`, digits, or the text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
