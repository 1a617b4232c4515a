"""One transition on many submissions of a call, each fired on its own (`SubmissionService.fire`,
one transaction and one audit record apiece), the outcome of each reported: a refusal stops
that submission only.

Only a transition that asks for nothing per submission is fired in bulk: no reason, no input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.kinds.kind import CallKind
from awards.submissions.service import CallEntry, SubmissionService
from awards.transitions.actor import Actor, WorkflowRole
from awards.transitions.apply import TransitionRefused
from workflows import GuardFailure, Transition


@dataclass(frozen=True)
class Outcome:
    """What firing the transition did to one submission."""

    entry: CallEntry
    done: bool
    refusal: str = ""
    """Why not, when not done: a `RefusalKind`, or `changed` (a concurrent edit) or
    `forbidden`."""
    state: str = ""
    """The state it is in now: the new one, or the one it was refused in."""
    failures: tuple[GuardFailure, ...] = ()


def bulk_transitions(kind: CallKind) -> list[Transition]:
    """The Secretariat's transitions of `kind` that ask nothing per submission."""
    return [
        transition
        for transition in kind.submission_workflow.transitions.values()
        if WorkflowRole.SECRETARIAT in transition.roles
        and not transition.requires_reason
        and not transition.inputs
    ]


def bulk_transition(kind: CallKind, name: str) -> Transition:
    """Transition `name` if it may be fired in bulk; `Invalid` names it otherwise."""
    found = next((t for t in bulk_transitions(kind) if t.name == name), None)
    if found is None:
        raise Invalid(
            f"'{name}' cannot be fired on several submissions at once", extra={"field": "name"}
        )
    return found


async def chosen(
    service: SubmissionService, call_id: int, ids: Sequence[int], *, actor: Actor
) -> list[CallEntry]:
    """The submissions of call `call_id` among `ids`, in the call's order; `Invalid` if none."""
    wanted = set(ids)
    entries = [e for e in await service.of_call(call_id, actor=actor) if e.submission.id in wanted]
    if not entries:
        raise Invalid("no candidacy of this call was chosen", extra={"field": "id"})
    return entries


async def fire_each(
    service: SubmissionService, entries: Sequence[CallEntry], trigger: str, *, actor: Actor
) -> list[Outcome]:
    """Fire `trigger` on each of `entries` in turn; each succeeds or is refused alone."""
    outcomes = []
    for entry in entries:
        try:
            fired = await service.fire(entry.submission.id or 0, trigger, actor=actor)
        except TransitionRefused as refused:
            outcomes.append(
                Outcome(
                    entry,
                    done=False,
                    refusal=refused.extra["refusal"],
                    state=refused.extra["state"],
                    failures=refused.failures,
                )
            )
        except (Forbidden, NotFound):
            outcomes.append(Outcome(entry, done=False, refusal="forbidden"))
        except Conflict:  # changed since it was read: a stale version
            outcomes.append(Outcome(entry, done=False, refusal="changed"))
        else:
            outcomes.append(Outcome(entry, done=True, state=fired.state))
    return outcomes
