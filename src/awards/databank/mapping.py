"""The `databank:` section of a call kind: which answers become which entry fields.

Checked when the kind loads, so a kind that loads publishes without surprises: every field it
names is on the form, and every distinction maps a state of the submission workflow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from awards.errors import ConfigurationError
from awards.kinds.forms import FieldType, Form, FormField
from awards.kinds.kind import CallKind
from awards.kinds.sections import Outline
from awards.kinds.yaml_nodes import mapping, require
from awards.vocabulary import EffectKind
from workflows import LocatedDict, Workflow

SECTION = "databank"


class Distinction(StrEnum):
    LAUREATE = "laureate"
    SPECIAL_MENTION = "special_mention"
    FINALIST = "finalist"
    SELECTED = "selected"
    GOOD_PRACTICE = "good_practice"


class Consent(StrEnum):
    """What an applicant may agree to publish (options of the kind's consent field)."""

    SUMMARY = "summary"
    CONTACT = "contact"
    DOCUMENTS = "documents"


@dataclass(frozen=True)
class DatabankMapping:
    """Form fields feeding a databank entry; None where the kind has no such field."""

    title: str
    summary: str
    consent_field: str
    distinctions: Mapping[str, Distinction]
    """Submission state before publication -> the distinction it earns."""
    themes: str | None = None
    principles: str | None = None
    target_groups: str | None = None
    started_on: str | None = None
    """A date field; public only with the summary (consent `summary`)."""
    links: tuple[str, ...] = ()
    contact: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    """File fields; public only with consent `documents` (`awards.databank.documents`)."""


_SINGLE = (
    "title",
    "summary",
    "consent_field",
    "themes",
    "principles",
    "target_groups",
    "started_on",
)
_LISTS = ("links", "contact", "documents")


def databank_section(node: LocatedDict | None, outline: Outline) -> DatabankMapping | None:
    """The kind's `databank:` section (`awards.kinds.sections`); a `databank:publish` effect
    needs one that maps each state it publishes from."""
    found = (
        parse_databank(node, form=outline.form, states=outline.submission_workflow.states)
        if node is not None
        else None
    )
    _check_effects(outline.submission_workflow, found, where=outline.top.where("workflows"))
    return found


def mapping_of(kind: CallKind) -> DatabankMapping | None:
    """How `kind`'s published submissions become entries; None if they never do."""
    return kind.section(SECTION, DatabankMapping)


def _check_effects(workflow: Workflow, databank: DatabankMapping | None, *, where: str) -> None:
    for transition in workflow.transitions.values():
        if not any(effect.kind == EffectKind.DATABANK for effect in transition.effects):
            continue
        if databank is None:
            raise ConfigurationError(
                f"{where}: transition '{transition.name}' publishes to the databank, "
                "but the kind has no 'databank' section"
            )
        unmapped = sorted(set(transition.sources) - set(databank.distinctions))
        if unmapped:
            raise ConfigurationError(
                f"{where}: transition '{transition.name}' publishes from '{unmapped[0]}', "
                "which databank.distinctions does not map"
            )


def parse_databank(node: Any, *, form: Form, states: tuple[str, ...]) -> DatabankMapping:
    """The `databank:` section, each name checked against the form and the workflow."""
    spec = mapping(node, "<databank>", "databank")
    for key in sorted(set(spec) - {*_SINGLE, *_LISTS, "distinctions"}):
        raise ConfigurationError(f"{spec.where(key)}: databank: unknown key '{key}'")
    names: dict[str, Any] = {}
    for key in _SINGLE:
        if key in spec or key in ("title", "summary", "consent_field"):
            names[key] = require(spec, key, str)
    for key in _LISTS:
        names[key] = tuple(spec.get(key, ()) or ())
    for key, value in names.items():
        for name in value if isinstance(value, tuple) else (value,):
            if form.field(str(name)) is None:
                raise ConfigurationError(
                    f"{spec.where(key)}: databank: '{key}' names an unknown form field '{name}'"
                )
    started = form.field(names["started_on"]) if "started_on" in names else None
    if started is not None and started.type is not FieldType.DATE:
        raise ConfigurationError(
            f"{spec.where('started_on')}: databank: 'started_on' must name a date field"
        )
    consent = form.field(names["consent_field"])
    if consent is None or consent.type is not FieldType.MULTI_CHOICE:
        raise ConfigurationError(
            f"{spec.where('consent_field')}: databank: the consent field must be a multi_choice"
        )
    unknown = sorted(set(consent.options) - set(Consent))
    if unknown:
        raise ConfigurationError(
            f"{spec.where('consent_field')}: databank: unknown consent option '{unknown[0]}'; "
            f"options: {', '.join(Consent)}"
        )
    _check_documents(spec.where("documents"), names["documents"], form=form, consent=consent)
    raw = mapping(require(spec, "distinctions", dict), spec.where("distinctions"), "distinctions")
    distinctions: dict[str, Distinction] = {}
    for state, distinction in raw.items():
        if state not in states:
            raise ConfigurationError(f"{raw.where(state)}: databank: unknown state '{state}'")
        if distinction not in set(Distinction):
            raise ConfigurationError(
                f"{raw.where(state)}: databank: unknown distinction '{distinction}'; "
                f"distinctions: {', '.join(Distinction)}"
            )
        distinctions[state] = Distinction(distinction)
    return DatabankMapping(distinctions=distinctions, **names)


def _check_documents(
    where: str, documents: tuple[str, ...], *, form: Form, consent: FormField
) -> None:
    """Documents are file fields, and the applicant can consent to publishing them."""
    for name in documents:
        field = form.field(name)
        if field is not None and field.type is not FieldType.FILE:
            raise ConfigurationError(
                f"{where}: databank: 'documents' names '{name}', which is not a file field"
            )
    if documents and Consent.DOCUMENTS not in consent.options:
        raise ConfigurationError(
            f"{where}: databank: 'documents' needs the consent option '{Consent.DOCUMENTS}'"
        )
