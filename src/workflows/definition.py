"""Workflow definitions: states and named transitions with roles, guards and effects.

A definition is parsed from a YAML mapping such as::

    version: 1
    initial: draft
    states: [draft, submitted, withdrawn]
    transitions:
      submit:
        from: draft
        to: submitted
        roles: [owner]
        guards: [call_accepting_submissions]
        effects: ["mail:submission_received"]

Parsing checks everything that can be checked without running it: unknown states, guards
and effect kinds, duplicate names and states that no transition reaches. Each fault is
reported with the file and line it is on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from workflows.errors import WorkflowDefinitionError
from workflows.located import LocatedDict


@dataclass(frozen=True)
class Effect:
    """Something to do once a transition is applied, e.g. `mail:submission_received`."""

    kind: str
    argument: str

    @classmethod
    def parse(cls, text: str) -> Effect:
        kind, _, argument = text.partition(":")
        return cls(kind=kind, argument=argument)

    def __str__(self) -> str:
        return f"{self.kind}:{self.argument}" if self.argument else self.kind


@dataclass(frozen=True)
class Transition:
    """A named trigger from one of `sources` to `dest`."""

    name: str
    sources: tuple[str, ...]
    dest: str
    roles: frozenset[str]
    guards: tuple[str, ...]
    effects: tuple[Effect, ...]
    requires_reason: bool = False
    inputs: tuple[str, ...] = ()
    """Values the caller must supply to fire it (e.g. the mentor a decision assigns)."""


@dataclass(frozen=True)
class Workflow:
    """A parsed, checked workflow definition."""

    name: str
    version: int
    initial: str
    states: tuple[str, ...]
    transitions: Mapping[str, Transition]

    def leaving(self, state: str) -> list[Transition]:
        """Transitions whose sources include `state`, in definition order."""
        return [t for t in self.transitions.values() if state in t.sources]


def parse_workflow(
    node: Any,
    *,
    name: str,
    guards: Collection[str],
    effect_kinds: Collection[str],
) -> Workflow:
    """Build a `Workflow` from a YAML mapping, or raise `WorkflowDefinitionError`.

    Args:
        node: the mapping (a `LocatedDict` when read with `workflows.located`).
        name: what the workflow is called, e.g. `educating-cities-award/submission`.
        guards: the guard names the caller can evaluate.
        effect_kinds: the effect kinds the caller can carry out.
    """
    where = _where(node)
    if not isinstance(node, Mapping):
        raise WorkflowDefinitionError(where(None), f"workflow {name} must be a mapping")
    for key in ("initial", "states", "transitions"):
        if key not in node:
            raise WorkflowDefinitionError(where(None), f"workflow {name} has no '{key}'")
    version = node.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise WorkflowDefinitionError(where("version"), "'version' must be an integer")
    states = _names(node["states"], where("states"), "states")
    if len(set(states)) != len(states):
        raise WorkflowDefinitionError(where("states"), "a state is listed twice")
    initial = node["initial"]
    if initial not in states:
        raise WorkflowDefinitionError(where("initial"), f"unknown initial state '{initial}'")
    raw_transitions = node["transitions"]
    if not isinstance(raw_transitions, Mapping):
        raise WorkflowDefinitionError(where("transitions"), "'transitions' must be a mapping")
    transitions = {
        trigger: _parse_transition(
            trigger,
            spec,
            where=_where(raw_transitions)(trigger),
            states=states,
            guards=guards,
            effect_kinds=effect_kinds,
        )
        for trigger, spec in raw_transitions.items()
    }
    workflow = Workflow(
        name=name,
        version=version,
        initial=initial,
        states=tuple(states),
        transitions=transitions,
    )
    unreachable = sorted(set(states) - _reachable(workflow))
    if unreachable:
        raise WorkflowDefinitionError(
            where("states"), f"unreachable state(s) from '{initial}': {', '.join(unreachable)}"
        )
    return workflow


def _parse_transition(
    trigger: str,
    spec: Any,
    *,
    where: str,
    states: list[str],
    guards: Collection[str],
    effect_kinds: Collection[str],
) -> Transition:
    if not isinstance(spec, Mapping) or "from" not in spec or "to" not in spec:
        raise WorkflowDefinitionError(where, f"transition '{trigger}' needs 'from' and 'to'")
    sources = _names(spec["from"], where, "from")
    for state in [*sources, spec["to"]]:
        if state not in states:
            raise WorkflowDefinitionError(where, f"transition '{trigger}': unknown state '{state}'")
    roles = _names(spec.get("roles", []), where, "roles")
    if not roles:
        raise WorkflowDefinitionError(where, f"transition '{trigger}' names no role")
    guard_names = _names(spec.get("guards", []), where, "guards")
    for guard in guard_names:
        if guard not in guards:
            raise WorkflowDefinitionError(where, f"transition '{trigger}': unknown guard '{guard}'")
    effects = [Effect.parse(text) for text in _names(spec.get("effects", []), where, "effects")]
    for effect in effects:
        if effect.kind not in effect_kinds:
            raise WorkflowDefinitionError(
                where, f"transition '{trigger}': unknown effect kind '{effect.kind}'"
            )
    return Transition(
        name=trigger,
        sources=tuple(sources),
        dest=spec["to"],
        roles=frozenset(roles),
        guards=tuple(guard_names),
        effects=tuple(effects),
        requires_reason=bool(spec.get("reason", False)),
        inputs=tuple(_names(spec.get("inputs", []), where, "inputs")),
    )


def _names(value: Any, where: str, key: str) -> list[str]:
    """A string or a list of strings, as a list."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise WorkflowDefinitionError(where, f"'{key}' must be a name or a list of names")
    return list(items)


def _reachable(workflow: Workflow) -> set[str]:
    seen = {workflow.initial}
    pending = [workflow.initial]
    while pending:
        for transition in workflow.leaving(pending.pop()):
            if transition.dest not in seen:
                seen.add(transition.dest)
                pending.append(transition.dest)
    return seen


def _where(node: object) -> Callable[[str | None], str]:
    """A function giving `file:line` for a key of `node`, as precisely as is known."""
    if isinstance(node, LocatedDict):
        return node.where
    return lambda key: "<definition>"
