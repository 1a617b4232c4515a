"""A kind of call as its file in `config/calls/` defines it (`awards.kinds.loader` reads it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from awards.kinds.bodies import Body
from awards.kinds.forms import Form
from awards.kinds.jury_spec import JurySpec, Rubric
from awards.kinds.rule_specs import RuleSpec
from workflows import Workflow

T = TypeVar("T")


@dataclass(frozen=True)
class Category:
    """A category of a call (e.g. civil-society organisations), ranked and awarded apart."""

    name: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class StateTimer:
    """Mail the applicant once a submission has been `after_days` in `state` (e.g. a yearly
    report falling due)."""

    name: str
    state: str
    after_days: int
    mail: str


@dataclass(frozen=True)
class CallKind:
    """A kind of call: its names, languages, form, rubric, rules and two workflows."""

    slug: str
    network: str
    name: Mapping[str, str]
    languages: tuple[str, ...]
    default_language: str
    anonymised: bool
    form: Form
    inputs_form: Form
    """Fields supplied with transitions (their `inputs`): a mentor a decision assigns, a report."""
    rubric: Rubric
    body: Body | None
    """The body that judges it; None when the Secretariat decides alone."""
    rules: Mapping[str, RuleSpec]
    categories: tuple[Category, ...]
    timers: tuple[StateTimer, ...]
    call_workflow: Workflow
    submission_workflow: Workflow
    source: str
    sections: Mapping[str, object] = field(default_factory=dict)
    """What features parsed of their own sections (`awards.kinds.sections`), by name."""
    terms: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    """Its own labels of the names it brings (`terms:`): by family (`round`), name, language."""

    @property
    def jury(self) -> JurySpec | None:
        """How its body scores, when it is a body that scores."""
        return None if self.body is None else self.body.score

    @property
    def pseudonym_prefix(self) -> str:
        """`ECA` for `educating-cities-award`: the start of its submissions' pseudonyms."""
        return "".join(word[0] for word in self.slug.split("-")).upper()

    def term(self, family: str, name: str) -> Mapping[str, str]:
        """Its labels of `name` of `family` by language; empty when its file gives none."""
        return self.terms.get(family, {}).get(name, {})

    def section(self, name: str, of: type[T]) -> T | None:
        """The parsed section `name`, as the feature that parses it made it; None if absent."""
        value = self.sections.get(name)
        if value is not None and not isinstance(value, of):
            raise TypeError(f"{self.slug}: section '{name}' is a {type(value).__name__}")
        return value
