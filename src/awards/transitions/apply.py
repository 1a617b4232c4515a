"""The one path that changes a state (invariant 1).

`apply` asks the workflow engine, then, inside the caller's write transaction: a
compare-and-set on state and version, the audit entry, and the transition's effects, each
carried out by the handler its feature registered (`awards.transitions.extensions`). A
refusal raises and writes nothing (invariant 2).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from awards.audit.chain import lock_chain
from awards.db.cas import update_if
from awards.db.lookups import organisation_by_slug
from awards.db.tables import AuditEntry, Call, Submission
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.kinds.forms import FieldType
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor, WorkflowRole
from awards.transitions.facts import guard_context
from awards.transitions.reasons import because, code_of
from awards.transitions.records import record_change
from awards.transitions.runtime import Occasion, Runtime
from workflows import Fired, GuardFailure, Option, RefusalKind, Refused, Workflow

log = logging.getLogger(__name__)


class TransitionRefused(Conflict):
    """The workflow refused a transition; `extra` names it, the state and each failed guard
    with its code and English reason; `failures` keep the reasons' values for the pages."""

    def __init__(self, refusal: Refused, subject: str) -> None:
        self.failures = _explained(refusal)
        super().__init__(
            f"{subject}: {refusal.message}",
            extra={
                "transition": refusal.transition,
                "state": refusal.state,
                "refusal": str(refusal.kind),
                "failed_guards": [
                    {
                        "guard": failure.guard,
                        "code": code_of(failure.reason),
                        "reason": str(failure.reason),
                    }
                    for failure in self.failures
                ],
            },
        )


def _explained(refusal: Refused) -> tuple[GuardFailure, ...]:
    """The refusal's failures, each with a coded reason: the engine words missing inputs."""
    if refusal.kind is not RefusalKind.INPUT_MISSING:
        return refusal.failures
    return tuple(
        GuardFailure(failure.guard, because("input_missing", input=failure.guard))
        for failure in refusal.failures
    )


def describe(subject: Call | Submission) -> str:
    return f"{'call' if isinstance(subject, Call) else 'submission'} {subject.id}"


def workflow_of(kind: CallKind, subject: Call | Submission) -> Workflow:
    return kind.call_workflow if isinstance(subject, Call) else kind.submission_workflow


async def roles_of(
    session: AsyncSession, runtime: Runtime, actor: Actor, subject: Call | Submission, *, call: Call
) -> set[str]:
    """The actor's standing roles on the subject, and those features give it on the call.

    `NotFound` for a submission the actor has no role on, as for a missing one: a refusal
    would tell another applicant, or a juror off the panel, which ids exist.
    """
    roles = actor.roles_on_call() if isinstance(subject, Call) else actor.roles_on(subject)
    for source in runtime.roles:
        roles |= await source(session, actor, call)
    if not roles and isinstance(subject, Submission):
        raise NotFound(f"no {describe(subject)}")
    return roles


async def apply(
    session: AsyncSession,
    runtime: Runtime,
    trigger: str,
    subject: Call | Submission,
    *,
    call: Call,
    actor: Actor,
    reason: str | None = None,
    inputs: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Fire `trigger` on `subject` (a call, or a submission of `call`) and persist the result.

    `inputs` are the values a transition asks for (the kind's inputs_form), stored on the
    submission with the new state.
    """
    given = dict(inputs or {})
    context = replace(
        await guard_context(session, runtime, call, _submission(subject)), given=given
    )
    kind = context.kind
    roles = await roles_of(session, runtime, actor, subject, call=call)
    result = runtime.judge(kind).engine.fire(
        workflow_of(kind, subject),
        trigger,
        state=subject.state,
        roles=roles,
        context=context,
        reason=reason,
        inputs=given.keys(),
    )
    if isinstance(result, Refused):
        if _blind(kind, roles):
            result = replace(result, failures=_blinded(result.failures))
        raise _refusal_error(result, describe(subject))
    extra: dict[str, Any] = {}
    if isinstance(subject, Submission) and result.transition.inputs:
        await _check_inputs(session, kind, result, given)
        extra["inputs"] = {**subject.inputs, **given}
    elif given:
        raise Invalid(f"{trigger} takes no inputs", extra={"field": "inputs"})
    await lock_chain(session, call)
    await _compare_and_set(session, subject, result, extra)
    noted = noted_inputs(given)
    audit = record_change(
        session,
        subject,
        trigger,
        actor=actor,
        now=context.now,
        reason="; ".join(part for part in (reason, noted) if part) or None,
        from_state=result.source,
    )
    await session.flush()
    for effect in result.effects:
        await runtime.effects[effect.kind](
            Occasion(session, runtime, effect.argument, subject, call, kind, audit)
        )
    log.info(
        "%s: %s, %s -> %s",
        describe(subject),
        trigger,
        result.source,
        result.dest,
        extra={
            "call_id": call.id,
            "submission_id": subject.id if isinstance(subject, Submission) else None,
            "transition": trigger,
            "actor_id": actor.id,
            "audit_id": audit.id,
        },
    )
    return audit


def noted_inputs(given: Mapping[str, Any]) -> str:
    """How a transition's inputs follow its reason in the audit entry: `name: value, ...`."""
    return ", ".join(f"{name}: {value}" for name, value in given.items())


def stated_reason(entry: AuditEntry, given: Mapping[str, Any]) -> str:
    """The reason the person gave for `entry`, without the inputs `apply` noted after it."""
    noted = noted_inputs(given)
    reason = entry.reason or ""
    return reason.removesuffix(noted).removesuffix("; ") if noted else reason


async def options(
    session: AsyncSession,
    runtime: Runtime,
    subject: Call | Submission,
    *,
    call: Call,
    actor: Actor,
) -> list[Option]:
    """The transitions `actor` may fire on `subject` now, each with the guards that fail."""
    roles = await roles_of(session, runtime, actor, subject, call=call)
    context = await guard_context(session, runtime, call, _submission(subject))
    found = runtime.judge(context.kind).engine.options(
        workflow_of(context.kind, subject),
        state=subject.state,
        roles=roles,
        context=context,
    )
    if not _blind(context.kind, roles):
        return found
    return [replace(option, failures=_blinded(option.failures)) for option in found]


def _submission(subject: Call | Submission) -> Submission | None:
    return subject if isinstance(subject, Submission) else None


def _blind(kind: CallKind, roles: set[str]) -> bool:
    """The caller acts for an anonymised jury: rule reasons may name the applicant
    (invariant 4), so it reads which rule fails, not why."""
    return kind.anonymised and not roles & {WorkflowRole.SECRETARIAT, WorkflowRole.OWNER}


def _blinded(failures: tuple[GuardFailure, ...]) -> tuple[GuardFailure, ...]:
    return tuple(
        GuardFailure(failure.guard, because("rule_not_met", rule=failure.guard))
        for failure in failures
    )


def _refusal_error(refusal: Refused, subject: str) -> Exception:
    if refusal.kind is RefusalKind.FORBIDDEN:
        return Forbidden(f"{subject}: {refusal.message}", extra={"transition": refusal.transition})
    if refusal.kind is RefusalKind.UNKNOWN:
        return Invalid(f"{subject}: {refusal.message}", extra={"field": "name"})
    return TransitionRefused(refusal, subject)


async def _check_inputs(
    session: AsyncSession, kind: CallKind, fired: Fired, given: Mapping[str, Any]
) -> None:
    """Inputs are fields of the inputs form; an organisation must exist (in its network)."""
    unknown = sorted(set(given) - set(fired.transition.inputs))
    if unknown:
        raise Invalid(
            f"{fired.transition.name} takes no input '{unknown[0]}'", extra={"field": unknown[0]}
        )
    kind.inputs_form.check_answers(given, languages=kind.languages)
    for name, value in given.items():
        field = kind.inputs_form.field(name)
        if field is None or field.type is not FieldType.ORGANISATION:
            continue
        organisation = await organisation_by_slug(session, value)
        if organisation is None or (field.network and organisation.network != field.network):
            member = f"a member of {field.network}" if field.network else "in the register"
            raise Invalid(f"{name} '{value}' is not {member}", extra={"field": name})


async def _compare_and_set(
    session: AsyncSession, subject: Call | Submission, fired: Fired, extra: dict[str, Any]
) -> None:
    assert subject.id is not None
    if not await update_if(
        session,
        type(subject),
        subject.id,
        expect={"state": fired.source, "version": subject.version},
        values={"state": fired.dest, "version": subject.version + 1, **extra},
    ):
        raise Conflict(
            f"{describe(subject)} changed while {fired.transition.name} was applied; reload it",
            extra={"transition": fired.transition.name, "state": fired.source},
        )
