"""Firing transitions of a `Workflow` on a persisted subject, through `transitions`.

One `transitions.Machine` is built per workflow name and version, with no model attached.
Each firing binds a short-lived adapter holding the subject's current state and the caller's
context: the ORM row never meets the machine (it would reject the attributes `transitions`
sets). Conditions are pure guard functions and callbacks only record effects; the caller
writes the new state, its audit record and its effects in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from transitions import EventData, Machine

from workflows.definition import Effect, Transition, Workflow

Context = TypeVar("Context")

Guard = Callable[[Context], str | None]
"""A pure check: `None` when it holds, otherwise the human reason it does not."""


class RefusalKind(StrEnum):
    """Why a transition could not be fired."""

    UNKNOWN = "unknown_transition"
    FORBIDDEN = "forbidden"
    WRONG_STATE = "wrong_state"
    REASON_MISSING = "reason_missing"
    INPUT_MISSING = "input_missing"
    GUARDS_FAILED = "guards_failed"


@dataclass(frozen=True)
class GuardFailure:
    guard: str
    reason: str


@dataclass(frozen=True)
class Fired:
    """The transition may be applied: write `dest` and carry out `effects`."""

    transition: Transition
    source: str
    dest: str
    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class Refused:
    """The transition may not be applied, and why."""

    transition: str
    state: str
    kind: RefusalKind
    failures: tuple[GuardFailure, ...] = ()

    @property
    def message(self) -> str:
        if self.kind is RefusalKind.UNKNOWN:
            return f"no transition '{self.transition}'"
        if self.kind is RefusalKind.FORBIDDEN:
            return f"not allowed to {self.transition}"
        if self.kind is RefusalKind.WRONG_STATE:
            return f"cannot {self.transition} from {self.state}"
        if self.kind is RefusalKind.REASON_MISSING:
            return f"cannot {self.transition} from {self.state}: a reason is required"
        if self.kind is RefusalKind.INPUT_MISSING:
            names = ", ".join(failure.guard for failure in self.failures)
            return f"cannot {self.transition} from {self.state}: {names} must be given"
        reasons = "; ".join(failure.reason for failure in self.failures)
        return f"cannot {self.transition} from {self.state}: {reasons}"


@dataclass(frozen=True)
class Option:
    """A transition leaving the current state, with the guards that fail now (if any)."""

    transition: Transition
    failures: tuple[GuardFailure, ...]

    @property
    def allowed(self) -> bool:
        return not self.failures


@dataclass
class _Adapter(Generic[Context]):
    """What the machine sees of a subject for the duration of one event."""

    state: str
    transition: Transition
    context: Context
    guards: Mapping[str, Guard[Context]]
    failures: list[GuardFailure] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    def check_guards(self, event: EventData) -> bool:
        self.failures = _failures(self.transition, self.guards, self.context)
        return not self.failures

    def record_effects(self, event: EventData) -> None:
        self.effects.extend(self.transition.effects)


class Engine(Generic[Context]):
    """Evaluates and fires the transitions of any number of workflows."""

    def __init__(self, guards: Mapping[str, Guard[Context]]) -> None:
        self.guards = guards
        self._machines: dict[tuple[str, int], Machine] = {}

    def fire(
        self,
        workflow: Workflow,
        trigger: str,
        *,
        state: str,
        roles: Collection[str],
        context: Context,
        reason: str | None = None,
        inputs: Collection[str] = (),
    ) -> Fired | Refused:
        """Decide whether `trigger` may move a subject in `state`; nothing is written.

        `inputs` names the values the caller supplies; each input the transition declares
        must be among them.
        """
        transition = workflow.transitions.get(trigger)
        if transition is None:
            return Refused(trigger, state, RefusalKind.UNKNOWN)
        if not transition.roles & set(roles):
            return Refused(trigger, state, RefusalKind.FORBIDDEN)
        if state not in transition.sources:
            return Refused(trigger, state, RefusalKind.WRONG_STATE)
        if transition.requires_reason and not (reason and reason.strip()):
            return Refused(trigger, state, RefusalKind.REASON_MISSING)
        missing = [name for name in transition.inputs if name not in inputs]
        if missing:
            failures = tuple(GuardFailure(name, f"{name} must be given") for name in missing)
            return Refused(trigger, state, RefusalKind.INPUT_MISSING, failures)
        adapter = _Adapter(state, transition, context, self.guards)
        if not self._machine(workflow).events[trigger].trigger(adapter):
            return Refused(trigger, state, RefusalKind.GUARDS_FAILED, tuple(adapter.failures))
        return Fired(transition, state, adapter.state, tuple(adapter.effects))

    def options(
        self, workflow: Workflow, *, state: str, roles: Collection[str], context: Context
    ) -> list[Option]:
        """Transitions leaving `state` that `roles` may fire, each with its failing guards."""
        return [
            Option(transition, tuple(_failures(transition, self.guards, context)))
            for transition in workflow.leaving(state)
            if transition.roles & set(roles)
        ]

    def _machine(self, workflow: Workflow) -> Machine:
        key = (workflow.name, workflow.version)
        if key not in self._machines:
            machine = Machine(
                model=None,
                states=list(workflow.states),
                initial=workflow.initial,
                auto_transitions=False,
                send_event=True,
            )
            for transition in workflow.transitions.values():
                machine.add_transition(
                    transition.name,
                    list(transition.sources),
                    transition.dest,
                    conditions="check_guards",
                    after="record_effects",
                )
            self._machines[key] = machine
        return self._machines[key]


def _failures(
    transition: Transition, guards: Mapping[str, Guard[Any]], context: Any
) -> list[GuardFailure]:
    failures = []
    for name in transition.guards:
        reason = guards[name](context)
        if reason is not None:
            failures.append(GuardFailure(name, reason))
    return failures
