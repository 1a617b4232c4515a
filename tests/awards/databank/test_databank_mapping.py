"""The `databank:` section of a call kind is checked at load, naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from awards.assembly import load_kind
from awards.databank.mapping import Distinction, mapping_of
from awards.errors import ConfigurationError

AWARD = Path(__file__).resolve().parents[3] / "config" / "calls" / "educating-cities-award.yaml"


def test_the_awards_databank_section_maps_its_form_and_distinctions() -> None:
    mapping = mapping_of(load_kind(AWARD))

    assert mapping is not None
    assert mapping.consent_field == "publication_consent"
    assert mapping.contact == ("contact_name", "contact_email")
    assert mapping.documents == ("annex",)  # never the support letter
    assert mapping.distinctions == {
        "laureate": Distinction.LAUREATE,
        "special_mention": Distinction.SPECIAL_MENTION,
    }


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "  principles: charter_principles\n",
            "  principles: charter_principle\n",
            "databank: 'principles' names an unknown form field 'charter_principle'",
        ),
        (
            "  consent_field: publication_consent\n",
            "  consent_field: focus_area\n",
            "databank: the consent field must be a multi_choice",
        ),
        (
            "  documents: [annex]",
            "  documents: [annex, summary]",
            "databank: 'documents' names 'summary', which is not a file field",
        ),
        (
            '      - {value: documents, label: {en: "The documents", fr: "Les documents", '
            'es: "Los documentos", pt: "Os documentos"}}\n',
            "",
            "databank: 'documents' needs the consent option 'documents'",
        ),
        (
            "  distinctions: {laureate: laureate, special_mention: special_mention}\n",
            "  distinctions: {laureate: laureate, special_mention: honourable}\n",
            "databank: unknown distinction 'honourable'; distinctions: " + ", ".join(Distinction),
        ),
        (
            "  distinctions: {laureate: laureate, special_mention: special_mention}\n",
            "  distinctions: {laureate: laureate}\n",
            "transition 'publish' publishes from 'special_mention', "
            "which databank.distinctions does not map",
        ),
    ],
)
def test_a_broken_databank_section_fails_at_load_naming_file_and_line(
    kind_directory: Path, old: str, new: str, problem: str
) -> None:
    text = AWARD.read_text(encoding="utf-8")
    assert old in text
    broken = kind_directory / AWARD.name
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_kind(broken)

    assert raised.value.message.startswith(f"{broken}:")
    assert raised.value.message.endswith(problem)
