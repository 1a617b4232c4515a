"""The Secretariat edits one organisation of the register on its pages.

Lifecycle: the typed values are read by the register's own cell parsers (`values`), so a
page accepts what an import accepts -> compared with the organisation -> the fields that
change are written with one `RegisterChange` each (who, when, old, new), by `apply_plan` in
the same transaction, exactly as an import writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from awards.db.database import Database
from awards.db.lookups import registered_organisation
from awards.db.tables import Organisation
from awards.errors import Invalid
from awards.members import values
from awards.members.changes import (
    FieldChange,
    OrganisationChange,
    RegisterPlan,
    Value,
    apply_plan,
)

PAGES = "the Secretariat's pages"
"""The source recorded for a change made on the pages."""
EDITABLE = {
    "country": values.country,
    "region": values.region,
    "network": values.network,
    "member_since": values.member_since,
    "fees_up_to_date": values.fees_up_to_date,
}
"""The fields the page edits, each read as an import reads its cell."""


def read_fields(cells: Mapping[str, str]) -> dict[str, Value]:
    """The editable fields typed in `cells`; `Invalid` naming every field that is wrong
    (`extra["fields"]`: field -> problem)."""
    read: dict[str, Value] = {}
    problems: dict[str, str] = {}
    for name, parse in EDITABLE.items():
        try:
            read[name] = parse(cells.get(name, "").strip())
        except ValueError as problem:
            problems[name] = str(problem)
    if problems:
        first = next(iter(problems))
        raise Invalid("; ".join(problems.values()), extra={"field": first, "fields": problems})
    return read


async def organisations(db: Database) -> list[Organisation]:
    """The register, by name."""
    async with db.read() as session:
        return list(await session.scalars(select(Organisation).order_by(col(Organisation.name))))


async def organisation(db: Database, slug: str) -> Organisation:
    async with db.read() as session:
        return await registered_organisation(session, slug)


async def edit_organisation(
    db: Database, slug: str, fields: Mapping[str, Value], *, by: str, now: datetime
) -> OrganisationChange:
    """Give the organisation `slug` these field values; what changed, as recorded."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise Invalid(f"{unknown[0]} is not edited here", extra={"field": unknown[0]})
    async with db.write() as session:
        found = await registered_organisation(session, slug)
        diffs = tuple(
            FieldChange(name, getattr(found, name), value)
            for name, value in fields.items()
            if getattr(found, name) != value
        )
        change = OrganisationChange(slug, found.name, diffs, dict(fields))
        if diffs:
            plan = RegisterPlan(created=[], changed=[change], unchanged=0, absent=0)
            await apply_plan(session, plan, by=by, now=now, source=PAGES)
    return change
