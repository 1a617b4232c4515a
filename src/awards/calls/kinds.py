"""Call kinds: one YAML file each in `config/calls/`, checked when loaded.

A fault names the file and line: a call kind that loads is one the engine can run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from awards.calls.forms import FieldType, Form, FormField
from awards.errors import ConfigurationError
from workflows import (
    LocatedDict,
    Workflow,
    WorkflowDefinitionError,
    load_located_file,
    parse_workflow,
)

LANGUAGES = ("en", "fr", "es", "pt")


class CallState(StrEnum):
    """The lifecycle every call shares (DESIGN.md); kinds choose the transitions between them."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REVIEWING = "reviewing"
    DECIDING = "deciding"
    PUBLISHED = "published"
    ARCHIVED = "archived"


PUBLIC_CALL_STATES = frozenset(set(CallState) - {CallState.DRAFT, CallState.ARCHIVED})
EFFECT_KINDS = frozenset({"mail"})


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float
    label: Mapping[str, str]
    help: Mapping[str, str]


@dataclass(frozen=True)
class Rubric:
    scale_min: int
    scale_max: int
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class CallKind:
    """A kind of call: its names, languages, form, rubric and two workflows."""

    slug: str
    network: str
    name: Mapping[str, str]
    languages: tuple[str, ...]
    default_language: str
    anonymised: bool
    form: Form
    rubric: Rubric
    call_workflow: Workflow
    submission_workflow: Workflow
    source: str


def load_call_kinds(directory: Path, *, guards: Collection[str]) -> dict[str, CallKind]:
    """Every `*.yaml` of `directory`, by slug; raises `ConfigurationError` naming file and line."""
    kinds: dict[str, CallKind] = {}
    for path in sorted(directory.glob("*.yaml")):
        kind = load_call_kind(path, guards=guards)
        kinds[kind.slug] = kind
    if not kinds:
        raise ConfigurationError(f"no call kinds in {directory}")
    return kinds


def load_call_kind(path: Path, *, guards: Collection[str]) -> CallKind:
    try:
        node = load_located_file(path)
        return _parse(node, path=path, guards=guards)
    except WorkflowDefinitionError as error:
        raise ConfigurationError(str(error)) from error
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigurationError(f"{path}: {error}") from error


def _parse(node: Any, *, path: Path, guards: Collection[str]) -> CallKind:
    top = _mapping(node, str(path), "the file")
    slug = _require(top, "kind", str)
    if slug != path.stem:
        raise ConfigurationError(f"{top.where('kind')}: kind '{slug}' must match the file name")
    languages = tuple(_require(top, "languages", list))
    for language in languages:
        if language not in LANGUAGES:
            raise ConfigurationError(f"{top.where('languages')}: unknown language '{language}'")
    default_language = _require(top, "default_language", str)
    if default_language not in languages:
        raise ConfigurationError(
            f"{top.where('default_language')}: '{default_language}' is not in languages"
        )
    workflows = _mapping(_require(top, "workflows", dict), top.where("workflows"), "workflows")
    call_workflow = parse_workflow(
        _require(workflows, "call", dict),
        name=f"{slug}/call",
        guards=guards,
        effect_kinds=EFFECT_KINDS,
    )
    unknown = [state for state in call_workflow.states if state not in set(CallState)]
    if unknown or call_workflow.initial != CallState.DRAFT:
        raise ConfigurationError(
            f"{workflows.where('call')}: a call starts in draft and uses only the states "
            f"{', '.join(CallState)}; not {', '.join(unknown) or call_workflow.initial}"
        )
    return CallKind(
        slug=slug,
        network=_require(top, "network", str),
        name=_texts(top, "name", languages),
        languages=languages,
        default_language=default_language,
        anonymised=bool(top.get("anonymised", False)),
        form=Form(tuple(_field(item, languages) for item in _require(top, "form", list))),
        rubric=_rubric(
            _mapping(_require(top, "rubric", dict), top.where("rubric"), "rubric"), languages
        ),
        call_workflow=call_workflow,
        submission_workflow=parse_workflow(
            _require(workflows, "submission", dict),
            name=f"{slug}/submission",
            guards=guards,
            effect_kinds=EFFECT_KINDS,
        ),
        source=str(path),
    )


def _field(item: Any, languages: tuple[str, ...]) -> FormField:
    spec = _mapping(item, "<form>", "a form field")
    type_name = _require(spec, "type", str)
    try:
        field_type = FieldType(type_name)
    except ValueError:
        raise ConfigurationError(
            f"{spec.where('type')}: unknown field type '{type_name}'"
        ) from None
    options = tuple(spec.get("options", ()))
    if field_type in (FieldType.CHOICE, FieldType.MULTI_CHOICE) and not options:
        raise ConfigurationError(f"{spec.where('type')}: a {type_name} field needs 'options'")
    return FormField(
        name=_require(spec, "name", str),
        type=field_type,
        label=_texts(spec, "label", languages),
        help=_texts(spec, "help", languages, required=False),
        required=bool(spec.get("required", False)),
        identifying=bool(spec.get("identifying", False)),
        multilingual=bool(spec.get("multilingual", False)),
        max_words=spec.get("max_words"),
        options=options,
    )


def _rubric(spec: LocatedDict, languages: tuple[str, ...]) -> Rubric:
    scale = _mapping(_require(spec, "scale", dict), spec.where("scale"), "scale")
    criteria = []
    for item in _require(spec, "criteria", list):
        criterion = _mapping(item, spec.where("criteria"), "a criterion")
        criteria.append(
            Criterion(
                name=_require(criterion, "name", str),
                weight=float(criterion.get("weight", 1)),
                label=_texts(criterion, "label", languages),
                help=_texts(criterion, "help", languages, required=False),
            )
        )
    return Rubric(
        scale_min=_require(scale, "min", int),
        scale_max=_require(scale, "max", int),
        criteria=tuple(criteria),
    )


def _texts(
    spec: LocatedDict, key: str, languages: tuple[str, ...], *, required: bool = True
) -> dict[str, str]:
    """A per-language text; every language of the kind must be there (invariant 8)."""
    if key not in spec and not required:
        return {}
    texts = _mapping(_require(spec, key, dict), spec.where(key), key)
    absent = [language for language in languages if not texts.get(language)]
    if absent:
        raise ConfigurationError(f"{spec.where(key)}: '{key}' has no text in {', '.join(absent)}")
    return dict(texts)


def _require(spec: LocatedDict, key: str, kind: type) -> Any:
    if key not in spec:
        raise ConfigurationError(f"{spec.where()}: '{key}' is required")
    value = spec[key]
    if not isinstance(value, kind):
        raise ConfigurationError(f"{spec.where(key)}: '{key}' must be a {kind.__name__}")
    return value


def _mapping(value: Any, where: str, what: str) -> LocatedDict:
    if not isinstance(value, LocatedDict):
        raise ConfigurationError(f"{where}: {what} must be a mapping")
    return value
