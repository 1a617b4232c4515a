"""Loading call kinds: one YAML file each in `config/calls/`, checked when loaded.

A fault names the file and line: a call kind that loads is one the engine can run. The
sections that belong to a feature are handed to that feature's parser (`awards.kinds.sections`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from awards.errors import ConfigurationError
from awards.kinds.bodies import parse_body
from awards.kinds.forms import FieldType, Form, FormField, WrittenIn
from awards.kinds.jury_spec import parse_rubric
from awards.kinds.kind import CallKind, Category, StateTimer
from awards.kinds.rule_specs import RuleSignature, parse_rule
from awards.kinds.sections import Outline, SectionParser
from awards.kinds.terms import parse_terms
from awards.kinds.yaml_nodes import mapping, require, texts
from awards.vocabulary import LANGUAGES, CallState, EffectKind
from workflows import (
    LocatedDict,
    WorkflowDefinitionError,
    load_located_file,
    parse_workflow,
)

CORE_KEYS = frozenset(
    {
        "kind",
        "network",
        "name",
        "languages",
        "default_language",
        "anonymised",
        "form",
        "written_in",
        "inputs_form",
        "rubric",
        "body",
        "rules",
        "categories",
        "timers",
        "workflows",
        "terms",
    }
)
"""The top-level keys this package parses; any other must be a registered section."""


def load_call_kinds(
    directory: Path,
    *,
    guards: Collection[str],
    rules: Mapping[str, RuleSignature],
    sections: Mapping[str, SectionParser],
) -> dict[str, CallKind]:
    """Every `*.yaml` of `directory`, by slug; raises `ConfigurationError` naming file and line.

    Args:
        guards: names of the guards every kind may use.
        rules: the rule types a kind may instantiate in its `rules:` section.
        sections: the parser of each top-level section a feature owns, by its key.
    """
    kinds: dict[str, CallKind] = {}
    for path in sorted(directory.glob("*.yaml")):
        kind = load_call_kind(path, guards=guards, rules=rules, sections=sections)
        kinds[kind.slug] = kind
    if not kinds:
        raise ConfigurationError(f"no call kinds in {directory}")
    return kinds


def load_call_kind(
    path: Path,
    *,
    guards: Collection[str],
    rules: Mapping[str, RuleSignature],
    sections: Mapping[str, SectionParser],
) -> CallKind:
    try:
        node = load_located_file(path)
        return _parse(node, path=path, guards=guards, rule_types=rules, sections=sections)
    except WorkflowDefinitionError as error:
        raise ConfigurationError(str(error)) from error
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigurationError(f"{path}: {error}") from error


def _parse(
    node: Any,
    *,
    path: Path,
    guards: Collection[str],
    rule_types: Mapping[str, RuleSignature],
    sections: Mapping[str, SectionParser],
) -> CallKind:
    top = mapping(node, str(path), "the file")
    slug = require(top, "kind", str)
    if slug != path.stem:
        raise ConfigurationError(f"{top.where('kind')}: kind '{slug}' must match the file name")
    for key in top:
        if key not in CORE_KEYS and key not in sections:
            raise ConfigurationError(f"{top.where(key)}: unknown section '{key}'")
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
    form = replace(parse_form(require(top, "form", list), languages), written_in=_written_in(top))
    raw_rules = mapping(top.get("rules", LocatedDict()), top.where("rules"), "rules")
    rule_names = list(raw_rules)
    effect_kinds = frozenset(EffectKind)
    call_workflow = parse_workflow(
        require(workflows, "call", dict),
        name=f"{slug}/call",
        guards=[*guards, *rule_names],
        effect_kinds=effect_kinds,
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
        effect_kinds=effect_kinds,
    )
    inputs_form = parse_form(top.get("inputs_form", []) or [], languages)
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
    outline = Outline(
        slug=slug,
        languages=languages,
        form=form,
        rubric=rubric,
        call_workflow=call_workflow,
        submission_workflow=submission_workflow,
        top=top,
    )
    parsed = {
        name: parser(mapping(top[name], top.where(name), name) if name in top else None, outline)
        for name, parser in sections.items()
    }
    anonymised = bool(top.get("anonymised", False))
    body = (
        parse_body(
            mapping(top["body"], top.where("body"), "body"),
            rubric=rubric,
            submissions=submission_workflow,
            languages=languages,
            anonymised=anonymised,
        )
        if "body" in top
        else None
    )
    rounds = () if body is None or body.score is None else body.score.rounds
    terms = parse_terms(
        mapping(top["terms"], top.where("terms"), "terms") if "terms" in top else None,
        names={
            "state": {*call_workflow.states, *submission_workflow.states},
            "transition": {*call_workflow.transitions, *submission_workflow.transitions},
            "round": {r.name for r in rounds},
        },
        languages=languages,
    )
    return CallKind(
        slug=slug,
        network=require(top, "network", str),
        name=texts(top, "name", languages),
        languages=languages,
        default_language=default_language,
        anonymised=anonymised,
        form=form,
        inputs_form=inputs_form,
        rubric=rubric,
        body=body,
        rules={
            name: parse_rule(name, spec, rule_types, form, submission_workflow, inputs=inputs_form)
            for name, spec in raw_rules.items()
        },
        categories=categories,
        timers=tuple(
            _timer(item, submission_workflow.states) for item in top.get("timers", []) or []
        ),
        call_workflow=call_workflow,
        submission_workflow=submission_workflow,
        source=str(path),
        sections={name: value for name, value in parsed.items() if value is not None},
        terms=terms,
    )


def _written_in(top: LocatedDict) -> WrittenIn:
    """The kind's `written_in:` (`one` or `all`, the default)."""
    value = top.get("written_in", WrittenIn.ALL.value)
    try:
        return WrittenIn(value)
    except ValueError:
        raise ConfigurationError(
            f"{top.where('written_in')}: written_in is 'one' or 'all', not '{value}'"
        ) from None


def parse_form(items: list[Any], languages: tuple[str, ...]) -> Form:
    """A list of form fields (the kind's form, its inputs form, a feature's own forms)."""
    return Form(tuple(_field(item, languages) for item in items))


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
