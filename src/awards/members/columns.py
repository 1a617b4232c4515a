"""Which column of an export holds which field: the header names the Secretariat's
spreadsheets use, in English, French, Spanish and Portuguese.

A header is compared without case, accents or punctuation, so `País`, `pais` and `PAIS` are
one name, and so are `Fees up to date`, `fees_up_to_date` and `fees-up-to-date`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from awards.errors import Invalid

REQUIRED = ("name", "country")

_NAMES: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "nom", "nombre", "nome", "organisation", "organization", "organizacion",
        "organizacao", "member", "membre", "miembro", "membro", "city", "ville", "ciudad",
        "cidade", "municipality", "municipalite", "municipio", "commune",
    ),
    "kind": ("kind", "type", "tipo", "nature", "type_d_organisation", "tipo_de_organizacion"),
    "country": (
        "country", "country_code", "pays", "code_pays", "pais", "codigo_pais", "codigo_de_pais",
        "iso", "iso2", "iso_code",
    ),
    "region": ("region", "regiao", "zone", "continent", "continente"),
    "network": ("network", "reseau", "red", "rede"),
    "member_since": (
        "member_since", "membre_depuis", "miembro_desde", "membro_desde", "since", "depuis",
        "desde", "year_joined", "joined", "adhesion", "annee_d_adhesion", "annee_adhesion",
        "ano_de_adhesion", "ano_adhesion", "ano_de_adesao",
    ),
    "fees_up_to_date": (
        "fees_up_to_date", "fees", "fees_paid", "dues_paid", "cotisation_a_jour",
        "cotisations_a_jour", "a_jour", "cuota_al_dia", "cuotas_al_dia", "al_corriente",
        "al_dia", "cuotas_pagadas", "quotas_em_dia", "em_dia",
    ),
    "note": (
        "note", "notes", "remarque", "remarques", "commentaire", "commentaires", "comment",
        "comments", "comentario", "comentarios", "nota", "notas", "observations",
        "observaciones", "observacoes",
    ),
    "aliases": (
        "aliases", "alias", "other_names", "exonyms", "short_names", "autres_noms", "exonymes",
        "otros_nombres", "exonimos", "outros_nomes",
    ),
}  # fmt: skip
FIELD_OF_HEADER = {header: field for field, headers in _NAMES.items() for header in headers}


@dataclass(frozen=True)
class Columns:
    """The position of each field the file gives, and the headers it does not understand."""

    position: dict[str, int]
    ignored: tuple[str, ...]

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.position)


def normalise(header: str) -> str:
    """`Año de adhesión` -> `ano_de_adhesion`."""
    ascii_text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def match_columns(headers: Sequence[str], *, where: str) -> Columns:
    """Map `headers` to fields; `Invalid` when a required field is missing or given twice."""
    position: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        field = FIELD_OF_HEADER.get(normalise(header))
        if field is None:
            ignored.append(header.strip())
        elif field in position:
            raise Invalid(
                f"{where}: columns '{headers[position[field]]}' and '{header}' both give "
                f"{field}; keep one",
                extra={"field": field},
            )
        else:
            position[field] = index
    missing = [field for field in REQUIRED if field not in position]
    if missing:
        raise Invalid(
            f"{where}: no column for {' or '.join(missing)} "
            f"(found: {', '.join(h for h in headers if h.strip()) or 'nothing'})",
            extra={"field": missing[0]},
        )
    return Columns(position, tuple(ignored))
