"""Call kinds: one YAML file each in `config/calls/`, checked when loaded.

A fault names the file and line: a call kind that loads is one the engine can run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from awards.calls.forms import FieldType, Form, FormField
from awards.calls.jury_spec import JurySpec, Rubric, parse_jury, parse_rubric
from awards.calls.yaml_nodes import mapping, require, texts
from awards.databank.mapping import DatabankMapping, parse_databank
from awards.errors import ConfigurationError
from awards.privacy.policy import Retention, parse_retention
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
EFFECT_KINDS = frozenset({"mail", "databank"})


class Param(StrEnum):
    """What a rule parameter is, so a call-kind file is checked against its own workflow."""

    TEXT = "text"
    TEXTS = "texts"
    NUMBER = "number"
    FLAG = "flag"
    STATE = "state"
    STATES = "states"
    FIELD = "field"
    FIELDS = "fields"
    TRANSITION = "transition"


@dataclass(frozen=True)
class RuleSignature:
    """The parameters a rule type takes, and whether it can be overridden."""

    params: Mapping[str, Param]
    overridable: bool
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """Values of the parameters that may be left out."""


@dataclass(frozen=True)
class RuleSpec:
    """One rule of a call kind: a named, parameterised instance of a rule type."""

    name: str
    type: str
    params: Mapping[str, Any]
    overridable: bool


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
    jury: JurySpec | None
    """How its jury works; None when the Secretariat decides alone."""
    rules: Mapping[str, RuleSpec]
    categories: tuple[Category, ...]
    timers: tuple[StateTimer, ...]
    call_workflow: Workflow
    submission_workflow: Workflow
    source: str
    databank: DatabankMapping | None = None
    """How its published submissions become databank entries; None if they never do."""
    retention: Retention = field(default_factory=Retention)
    """How long its submissions keep their contents (`awards.privacy.retention`)."""

    @property
    def pseudonym_prefix(self) -> str:
        """`ECA` for `educating-cities-award`: the start of its submissions' pseudonyms."""
        return "".join(word[0] for word in self.slug.split("-")).upper()


def load_call_kinds(
    directory: Path, *, guards: Collection[str], rules: Mapping[str, RuleSignature]
) -> dict[str, CallKind]:
    """Every `*.yaml` of `directory`, by slug; raises `ConfigurationError` naming file and line.

    Args:
        guards: names of the guards every kind may use.
        rules: the rule types a kind may instantiate in its `rules:` section.
    """
    kinds: dict[str, CallKind] = {}
    for path in sorted(directory.glob("*.yaml")):
        kind = load_call_kind(path, guards=guards, rules=rules)
        kinds[kind.slug] = kind
    if not kinds:
        raise ConfigurationError(f"no call kinds in {directory}")
    return kinds


def load_call_kind(
    path: Path, *, guards: Collection[str], rules: Mapping[str, RuleSignature]
) -> CallKind:
    try:
        node = load_located_file(path)
        return _parse(node, path=path, guards=guards, rule_types=rules)
    except WorkflowDefinitionError as error:
        raise ConfigurationError(str(error)) from error
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigurationError(f"{path}: {error}") from error


def _parse(
    node: Any, *, path: Path, guards: Collection[str], rule_types: Mapping[str, RuleSignature]
) -> CallKind:
    top = mapping(node, str(path), "the file")
    slug = require(top, "kind", str)
    if slug != path.stem:
        raise ConfigurationError(f"{top.where('kind')}: kind '{slug}' must match the file name")
    languages = tuple(require(top, "languages", list))
    for language in languages:
        if language not in LANGUAGES:
            raise ConfigurationError(f"{top.where('languages')}: unknown language '{language}'")
    default_language = require(top, "default_language", str)
    if default_language not in languages:
        raise ConfigurationError(
            f"{top.where('default_language')}: '{default_language}' is not in languages"
        )
    workflows = mapping(require(top, "workflows", dict), top.where("workflows"), "workflows")
    form = Form(tuple(_field(item, languages) for item in require(top, "form", list)))
    raw_rules = mapping(top.get("rules", LocatedDict()), top.where("rules"), "rules")
    rule_names = list(raw_rules)
    call_workflow = parse_workflow(
        require(workflows, "call", dict),
        name=f"{slug}/call",
        guards=[*guards, *rule_names],
        effect_kinds=EFFECT_KINDS,
    )
    unknown = [state for state in call_workflow.states if state not in set(CallState)]
    if unknown or call_workflow.initial != CallState.DRAFT:
        raise ConfigurationError(
            f"{workflows.where('call')}: a call starts in draft and uses only the states "
            f"{', '.join(CallState)}; not {', '.join(unknown) or call_workflow.initial}"
        )
    submission_workflow = parse_workflow(
        require(workflows, "submission", dict),
        name=f"{slug}/submission",
        guards=[*guards, *rule_names],
        effect_kinds=EFFECT_KINDS,
    )
    inputs_form = Form(tuple(_field(item, languages) for item in top.get("inputs_form", []) or []))
    for transition in submission_workflow.transitions.values():
        for name in transition.inputs:
            if inputs_form.field(name) is None:
                raise ConfigurationError(
                    f"{workflows.where('submission')}: transition '{transition.name}': "
                    f"input '{name}' is not a field of inputs_form"
                )
    categories = tuple(_category(item, languages) for item in top.get("categories", []) or [])
    _check_categories(categories, form, where=top.where("categories"))
    rubric = parse_rubric(
        mapping(require(top, "rubric", dict), top.where("rubric"), "rubric"), languages
    )
    databank = (
        parse_databank(top["databank"], form=form, states=submission_workflow.states)
        if "databank" in top
        else None
    )
    _check_effects(submission_workflow, databank, where=workflows.where("submission"))
    return CallKind(
        slug=slug,
        network=require(top, "network", str),
        name=texts(top, "name", languages),
        languages=languages,
        default_language=default_language,
        anonymised=bool(top.get("anonymised", False)),
        form=form,
        inputs_form=inputs_form,
        rubric=rubric,
        jury=parse_jury(
            mapping(top["jury"], top.where("jury"), "jury"),
            rubric=rubric,
            states=submission_workflow.states,
            languages=languages,
        )
        if "jury" in top
        else None,
        rules={
            name: _rule(name, spec, rule_types, form, submission_workflow)
            for name, spec in raw_rules.items()
        },
        categories=categories,
        timers=tuple(
            _timer(item, submission_workflow.states) for item in top.get("timers", []) or []
        ),
        call_workflow=call_workflow,
        submission_workflow=submission_workflow,
        source=str(path),
        databank=databank,
        retention=parse_retention(top["retention"], where=top.where("retention"))
        if "retention" in top
        else Retention(),
    )


def _check_effects(workflow: Workflow, databank: DatabankMapping | None, *, where: str) -> None:
    """`databank:publish` needs a databank section mapping each state it publishes from."""
    for transition in workflow.transitions.values():
        if not any(effect.kind == "databank" for effect in transition.effects):
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


def _field(item: Any, languages: tuple[str, ...]) -> FormField:
    spec = mapping(item, "<form>", "a form field")
    type_name = require(spec, "type", str)
    try:
        field_type = FieldType(type_name)
    except ValueError:
        raise ConfigurationError(
            f"{spec.where('type')}: unknown field type '{type_name}'"
        ) from None
    options, option_labels = _options(spec, languages)
    if field_type in (FieldType.CHOICE, FieldType.MULTI_CHOICE) and not options:
        raise ConfigurationError(f"{spec.where('type')}: a {type_name} field needs 'options'")
    return FormField(
        name=require(spec, "name", str),
        type=field_type,
        label=texts(spec, "label", languages),
        help=texts(spec, "help", languages, required=False),
        required=bool(spec.get("required", False)),
        identifying=bool(spec.get("identifying", False)),
        multilingual=bool(spec.get("multilingual", False)),
        max_words=spec.get("max_words"),
        options=options,
        option_labels=option_labels,
        max_size_mb=spec.get("max_size_mb", FormField.max_size_mb),
        accept=tuple(spec.get("accept", FormField.accept)),
        network=spec.get("network"),
    )


def _options(
    spec: LocatedDict, languages: tuple[str, ...]
) -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    """A field's options: plain values, or `{value: v, label: {en: ..., fr: ...}}`."""
    values: list[str] = []
    labels: dict[str, dict[str, str]] = {}
    for item in spec.get("options", ()) or ():
        if not isinstance(item, LocatedDict):
            values.append(str(item))
            continue
        value = str(require(item, "value", str))
        values.append(value)
        labels[value] = texts(item, "label", languages)
    return tuple(values), labels


def _rule(
    name: str,
    node: Any,
    rule_types: Mapping[str, RuleSignature],
    form: Form,
    workflow: Workflow,
) -> RuleSpec:
    spec = mapping(node, "<rules>", f"rule '{name}'")
    type_name = require(spec, "rule", str)
    signature = rule_types.get(type_name)
    if signature is None:
        raise ConfigurationError(
            f"{spec.where('rule')}: rule '{name}': unknown rule type '{type_name}'; "
            f"types: {', '.join(sorted(rule_types))}"
        )
    params = {key: value for key, value in spec.items() if key != "rule"}
    for key in sorted(set(params) - set(signature.params)):
        raise ConfigurationError(f"{spec.where(key)}: rule '{name}': unknown parameter '{key}'")
    for key, param in signature.params.items():
        if key not in params:
            if key not in signature.defaults:
                raise ConfigurationError(f"{spec.where()}: rule '{name}' needs '{key}'")
            params[key] = signature.defaults[key]
        problem = _param_problem(param, params[key], form=form, workflow=workflow)
        if problem:
            raise ConfigurationError(f"{spec.where(key)}: rule '{name}': '{key}' {problem}")
    return RuleSpec(name=name, type=type_name, params=params, overridable=signature.overridable)


def _param_problem(param: Param, value: Any, *, form: Form, workflow: Workflow) -> str | None:
    """Why `value` is not a valid `param`, or None."""
    many = param in (Param.TEXTS, Param.STATES, Param.FIELDS)
    items = value if many else [value]
    if many and not isinstance(value, list):
        return "must be a list (one name is written [name])"
    for item in items:
        if param is Param.NUMBER and (isinstance(item, bool) or not isinstance(item, int)):
            return "must be a whole number"
        if param is Param.FLAG and not isinstance(item, bool):
            return "must be true or false"
        if param in (Param.STATE, Param.STATES) and item not in workflow.states:
            return f"names an unknown state '{item}'"
        if param in (Param.FIELD, Param.FIELDS) and form.field(str(item)) is None:
            return f"names an unknown form field '{item}'"
        if param is Param.TRANSITION and item not in workflow.transitions:
            return f"names an unknown transition '{item}'"
        if param in (Param.TEXT, Param.TEXTS) and not isinstance(item, str):
            return "must be text"
    return None


def _category(item: Any, languages: tuple[str, ...]) -> Category:
    spec = mapping(item, "<categories>", "a category")
    return Category(name=require(spec, "name", str), label=texts(spec, "label", languages))


def _check_categories(categories: tuple[Category, ...], form: Form, *, where: str) -> None:
    """Categories are chosen on the form: a `category` choice with exactly their names."""
    if not categories:
        return
    chooser = form.field("category")
    names = tuple(category.name for category in categories)
    if chooser is None or chooser.type is not FieldType.CHOICE or chooser.options != names:
        raise ConfigurationError(
            f"{where}: a call with categories needs a required 'category' choice field "
            f"with the options {', '.join(names)}"
        )


def _timer(item: Any, states: tuple[str, ...]) -> StateTimer:
    spec = mapping(item, "<timers>", "a timer")
    state = require(spec, "state", str)
    if state not in states:
        raise ConfigurationError(f"{spec.where('state')}: unknown state '{state}'")
    days = require(spec, "after_days", int)
    if days < 1:
        raise ConfigurationError(f"{spec.where('after_days')}: a timer waits at least a day")
    return StateTimer(
        name=require(spec, "name", str),
        state=state,
        after_days=days,
        mail=require(spec, "mail", str),
    )
