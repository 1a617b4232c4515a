"""Rules as a call kind's file declares them: a named, parameterised instance of a rule type,
checked against the kind's own form and workflow when it loads (`awards.transitions.rules`
holds the checks themselves)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from awards.errors import ConfigurationError
from awards.kinds.forms import Form
from awards.kinds.yaml_nodes import mapping, require
from workflows import Workflow


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
    INPUT = "input"
    """A field of the kind's inputs_form (a value given with a transition)."""


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


def parse_rule(
    name: str,
    node: Any,
    rule_types: Mapping[str, RuleSignature],
    form: Form,
    workflow: Workflow,
    *,
    inputs: Form,
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
        problem = _param_problem(param, params[key], form=form, workflow=workflow, inputs=inputs)
        if problem:
            raise ConfigurationError(f"{spec.where(key)}: rule '{name}': '{key}' {problem}")
    return RuleSpec(name=name, type=type_name, params=params, overridable=signature.overridable)


def _param_problem(
    param: Param, value: Any, *, form: Form, workflow: Workflow, inputs: Form
) -> str | None:
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
        if param is Param.INPUT and inputs.field(str(item)) is None:
            return f"names an unknown field of inputs_form '{item}'"
        if param is Param.TRANSITION and item not in workflow.transitions:
            return f"names an unknown transition '{item}'"
        if param in (Param.TEXT, Param.TEXTS) and not isinstance(item, str):
            return "must be text"
    return None
