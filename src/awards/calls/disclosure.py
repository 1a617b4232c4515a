"""Which submission states of a call anyone may count; the Secretariat counts them all.

Drafts are never counted: they are their city's own. Until a call's results are published,
neither the deliberation (a shortlist, the president's proposals) nor a decision not yet
announced may show through the counts. A decision is a transition that may fire only while
the call is deciding (the guard `call_deciding` of `awards.transitions.guards`): the states
decisions lead to, and every state after them, are counted for the public once the call is
published.
So each kind's public states follow from its workflow, and a new kind needs no list of them.

An applicant reads their own submission by the same rule, and in the states a transition
announces to them by mail (a decision's result, mailed when taken): in any other state it
shows as the last such state it went through ("in review" while the jury shortlists and the
president proposes), `applicant_states` and `disclosed_state`.
"""

from __future__ import annotations

from collections.abc import Sequence

from awards.vocabulary import CallState, EffectKind
from workflows import Workflow

DECISION_GUARD = "call_deciding"
"""The guard that marks a transition as a decision."""
RESULTS_PUBLIC = frozenset({CallState.PUBLISHED, CallState.ARCHIVED})


def public_states(workflow: Workflow, *, call_state: str) -> frozenset[str]:
    """The states of a submission `workflow` anyone may count in a call in `call_state`."""
    if call_state in RESULTS_PUBLIC:
        return frozenset(workflow.states) - {workflow.initial}
    return _before_any_decision(workflow)


def _before_any_decision(workflow: Workflow) -> frozenset[str]:
    """The states a submission reaches from its draft without a decision."""
    reached, to_visit = {workflow.initial}, [workflow.initial]
    while to_visit:
        for transition in workflow.leaving(to_visit.pop()):
            if DECISION_GUARD not in transition.guards and transition.dest not in reached:
                reached.add(transition.dest)
                to_visit.append(transition.dest)
    return frozenset(reached - {workflow.initial})


def applicant_states(workflow: Workflow, *, call_state: str) -> frozenset[str]:
    """The states an applicant may read their submission in (module docstring)."""
    announced = {
        transition.dest
        for transition in workflow.transitions.values()
        if any(effect.kind == EffectKind.MAIL for effect in transition.effects)
    }
    return public_states(workflow, call_state=call_state) | announced | {workflow.initial}


def disclosed_state(workflow: Workflow, *, call_state: str, state: str, path: Sequence[str]) -> str:
    """`state` as its applicant may read it (`applicant_states`), else the last such state
    of `path` (the states it entered, oldest first)."""
    shown = applicant_states(workflow, call_state=call_state)
    if state in shown:
        return state
    return next((entered for entered in reversed(path) if entered in shown), workflow.initial)
