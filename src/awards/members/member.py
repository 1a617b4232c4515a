"""An organisation as the members register lists it, and the slug that identifies it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class OrganisationKind(StrEnum):
    """What an organisation is; the gender-equality prize ranks each kind apart."""

    CITY = "city"
    ASSOCIATION = "association"
    """An association of local authorities."""
    CIVIL_SOCIETY = "civil_society"


FIELDS = (
    "name",
    "kind",
    "country",
    "region",
    "network",
    "member_since",
    "fees_up_to_date",
    "note",
    "aliases",
)
"""The register's columns, as stored on `Organisation`."""


@dataclass(frozen=True)
class Member:
    """One line of the register. Its `slug` is who it is: the same slug is the same
    organisation, so a renamed city arrives as a new one."""

    name: str
    country: str
    region: str | None
    network: str | None
    member_since: int | None
    fees_up_to_date: bool
    kind: str = OrganisationKind.CITY
    note: str | None = None
    aliases: str | None = None
    """Other names, `;`-separated (`Organisation.aliases`)."""

    @property
    def slug(self) -> str:
        return slugify(self.name)


def slugify(name: str) -> str:
    """`Ciudad de México` -> `ciudad-de-mexico`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
