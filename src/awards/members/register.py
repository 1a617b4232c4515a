"""Reading the members register from CSV and upserting it by slug."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from awards.db.database import Database
from awards.db.tables import Organisation
from awards.errors import Invalid


@dataclass(frozen=True)
class Member:
    name: str
    country: str
    region: str | None
    network: str | None
    member_since: int | None
    fees_up_to_date: bool

    @property
    def slug(self) -> str:
        return slugify(self.name)


def slugify(name: str) -> str:
    """`Ciudad de México` -> `ciudad-de-mexico`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def read_members_csv(path: Path) -> list[Member]:
    """Rows of a register export; a malformed row is `Invalid` naming its line."""
    members = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                members.append(
                    Member(
                        name=row["name"].strip(),
                        country=_country(row["country"]),
                        region=row.get("region") or None,
                        network=row.get("network") or None,
                        member_since=int(row["member_since"]) if row.get("member_since") else None,
                        fees_up_to_date=_boolean(row.get("fees_up_to_date", "")),
                    )
                )
            except (KeyError, ValueError) as error:
                raise Invalid(f"{path}:{line}: {error}", extra={"line": line}) from None
    return members


async def upsert_members(db: Database, members: Iterable[Member]) -> int:
    """Insert or update organisations by slug, in one transaction; returns how many."""
    count = 0
    async with db.write() as session:
        for member in members:
            organisation = await session.scalar(
                select(Organisation).where(col(Organisation.slug) == member.slug)
            )
            if organisation is None:
                organisation = Organisation(
                    slug=member.slug, name=member.name, country=member.country
                )
                session.add(organisation)
            organisation.name = member.name
            organisation.city = member.name  # the register lists cities
            organisation.country = member.country
            organisation.region = member.region
            organisation.network = member.network
            organisation.member_since = member.member_since
            organisation.fees_up_to_date = member.fees_up_to_date
            count += 1
    return count


def _country(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"country must be an ISO 3166-1 alpha-2 code, not {value!r}")
    return code


def _boolean(value: str) -> bool:
    text = value.strip().lower()
    if text not in ("true", "false", "yes", "no", "1", "0", ""):
        raise ValueError(f"fees_up_to_date must be true or false, not {value!r}")
    return text in ("true", "yes", "1")
