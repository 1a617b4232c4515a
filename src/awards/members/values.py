"""Reading one cell of the register into the value stored: each parser says what is wrong
with a cell in words the Secretariat can act on, and accepts the spellings its exports use."""

from __future__ import annotations

import re

from awards.members.columns import normalise
from awards.members.member import OrganisationKind

_TRUE = {"true", "yes", "y", "1", "x", "oui", "vrai", "si", "verdadero", "sim", "verdadeiro"}
_FALSE = {"", "false", "no", "n", "0", "non", "faux", "falso", "nao"}
_NETWORKS = {"iaec": "IAEC", "aice": "IAEC", "aive": "IAEC", "aimf": "AIMF"}
NETWORKS = tuple(dict.fromkeys(_NETWORKS.values()))
"""The networks an organisation may belong to: IAEC, AIMF."""
_NO_NETWORK = {"", "none", "no", "non", "aucun", "ninguna", "ninguno", "nenhuma", "nenhum"}
_KINDS = {
    OrganisationKind.CITY: (
        "city", "ville", "ciudad", "cidade", "municipality", "municipalite", "municipio",
        "commune", "local_authority", "collectivite_locale",
    ),
    OrganisationKind.ASSOCIATION: (
        "association", "asociacion", "associacao", "association_of_local_authorities",
        "association_de_collectivites", "asociacion_de_gobiernos_locales",
    ),
    OrganisationKind.CIVIL_SOCIETY: (
        "civil_society", "civil_society_organisation", "civil_society_organization",
        "societe_civile", "sociedad_civil", "sociedade_civil", "ngo", "ong",
    ),
}  # fmt: skip
_KIND_OF = {spelling: kind for kind, spellings in _KINDS.items() for spelling in spellings}
FIRST_YEAR, LAST_YEAR = 1900, 2100


def name(cell: str) -> str:
    if not cell:
        raise ValueError("name is empty")
    return _at_most(cell, 200, "name")


def country(cell: str) -> str:
    code = cell.upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        what = f"'{cell}'" if cell else "empty"
        raise ValueError(f"country is {what}, not an ISO 3166-1 alpha-2 code such as ES or FR")
    return code


def region(cell: str) -> str | None:
    return _at_most(cell, 80, "region") or None


def network(cell: str) -> str | None:
    key = normalise(cell)
    if key in _NO_NETWORK:
        return None
    if key in _NETWORKS:
        return _NETWORKS[key]
    raise ValueError(f"network '{cell}' is not IAEC, AIMF or empty")


def member_since(cell: str) -> int | None:
    """A year, or the date someone joined (its year counts)."""
    if not cell:
        return None
    found = re.fullmatch(r"(\d{4})(?:\.0+|-\d{2}-\d{2}.*)?", cell)
    year = int(found.group(1)) if found else None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"member_since '{cell}' is not a year")
    return year


def fees_up_to_date(cell: str) -> bool:
    key = normalise(cell)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"fees_up_to_date '{cell}' is not yes or no (true/false, oui/non, sí/no)")


def kind(cell: str) -> str:
    if not cell:
        return OrganisationKind.CITY
    found = _KIND_OF.get(normalise(cell))
    if found is None:
        raise ValueError(f"kind '{cell}' is not {', '.join(OrganisationKind)}")
    return found


def note(cell: str) -> str | None:
    return cell or None


def aliases(cell: str) -> str | None:
    """`Barcelone; BCN`: the other names, each trimmed, in one `; `-separated value."""
    names = [name.strip() for name in cell.split(";") if name.strip()]
    return _at_most("; ".join(names), 2000, "aliases") if names else None


def _at_most(cell: str, length: int, field: str) -> str:
    if len(cell) > length:
        raise ValueError(f"{field} is longer than {length} characters")
    return cell
