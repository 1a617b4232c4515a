"""The one path that changes a state (invariant 1).

`apply` asks the workflow engine, then, inside the caller's write transaction: a
compare-and-set on state and version, the audit entry, and the outbox rows of the effects.
A refusal raises and writes nothing (invariant 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.audit.chain import chain_when_flushed
from awards.auth.actor import Actor, WorkflowRole
from awards.calls.forms import FieldType
from awards.calls.kinds import CallKind
from awards.context import GuardContext
from awards.databank.entries import publish_submission
from awards.db.cas import update_if
from awards.db.tables import AuditEntry, Call, Organisation, Submission
from awards.errors import Conflict, Forbidden, Invalid
from awards.facts import guard_context
from awards.guards import because, code_of
from awards.jury.membership import PRESIDENT, applicant_comments, panel_role
from awards.mailing import mail_organisation
from awards.runtime import Runtime
from workflows import Effect, Fired, GuardFailure, Option, RefusalKind, Refused, Workflow


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
    session: AsyncSession, actor: Actor, subject: Call | Submission, *, call: Call
) -> set[str]:
    """The actor's standing roles on the subject, and `president` of the call's panel."""
    roles = actor.roles_on_call() if isinstance(subject, Call) else actor.roles_on(subject)
    if await panel_role(session, call.id or 0, actor.id) == PRESIDENT:
        roles.add(WorkflowRole.PRESIDENT)
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
    context = await _context(session, runtime, subject, call=call)
    kind, now = context.kind, context.now
    roles = await roles_of(session, actor, subject, call=call)
    result = runtime.engine(kind).fire(
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
    await _compare_and_set(session, subject, result, extra)
    noted = ", ".join(f"{name}: {value}" for name, value in given.items())
    audit = record_change(
        session,
        subject,
        trigger,
        actor=actor,
        now=now,
        reason="; ".join(part for part in (reason, noted) if part) or None,
        from_state=result.source,
    )
    await session.flush()
    for effect in result.effects:
        await _carry_out(session, runtime, effect, subject, call=call, audit=audit)
    return audit


async def options(
    session: AsyncSession,
    runtime: Runtime,
    subject: Call | Submission,
    *,
    call: Call,
    actor: Actor,
) -> list[Option]:
    """The transitions `actor` may fire on `subject` now, each with the guards that fail."""
    roles = await roles_of(session, actor, subject, call=call)
    if not roles and isinstance(subject, Submission):
        raise Forbidden(f"{describe(subject)}: nothing you may do here")
    context = await _context(session, runtime, subject, call=call)
    found = runtime.engine(context.kind).options(
        workflow_of(context.kind, subject),
        state=subject.state,
        roles=roles,
        context=context,
    )
    if not _blind(context.kind, roles):
        return found
    return [replace(option, failures=_blinded(option.failures)) for option in found]


def _blind(kind: CallKind, roles: set[str]) -> bool:
    """The caller acts for an anonymised jury: rule reasons may name the applicant
    (invariant 4), so it reads which rule fails, not why."""
    return kind.anonymised and not roles & {WorkflowRole.SECRETARIAT, WorkflowRole.OWNER}


def _blinded(failures: tuple[GuardFailure, ...]) -> tuple[GuardFailure, ...]:
    return tuple(
        GuardFailure(failure.guard, because("rule_not_met", rule=failure.guard))
        for failure in failures
    )


async def _context(
    session: AsyncSession, runtime: Runtime, subject: Call | Submission, *, call: Call
) -> GuardContext:
    submission = subject if isinstance(subject, Submission) else None
    return await guard_context(session, runtime, call, submission)


async def record_creation(
    session: AsyncSession, subject: Call | Submission, *, actor: Actor, now: datetime
) -> AuditEntry:
    """Insert a new call or submission, and the audit entry of its creation."""
    session.add(subject)
    await session.flush()
    return record_change(session, subject, "create", actor=actor, now=now, from_state="")


def record_change(
    session: AsyncSession,
    subject: Call | Submission,
    change: str,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
    from_state: str | None = None,
) -> AuditEntry:
    """Audit a change (a transition, or settings, an override, an extension); the entry is
    linked into its call's chain and gets its id at the next flush."""
    call_id = subject.id if isinstance(subject, Call) else subject.call_id
    assert call_id is not None
    audit = AuditEntry(
        call_id=call_id,
        submission_id=subject.id if isinstance(subject, Submission) else None,
        actor_id=actor.id,
        at=now,
        transition=change,
        from_state=subject.state if from_state is None else from_state,
        to_state=subject.state,
        reason=reason,
    )
    session.add(audit)
    chain_when_flushed(session, audit)
    return audit


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
        organisation = await session.scalar(
            select(Organisation).where(col(Organisation.slug) == value)
        )
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


async def _named_inputs(
    session: AsyncSession, kind: CallKind, inputs: Mapping[str, Any]
) -> dict[str, Any]:
    """The submission's inputs as a person reads them: organisations by name, not slug."""
    named = dict(inputs)
    for name, value in inputs.items():
        field = kind.inputs_form.field(name)
        if field is not None and field.type is FieldType.ORGANISATION:
            organisation = await session.scalar(
                select(Organisation).where(col(Organisation.slug) == value)
            )
            named[name] = organisation.name if organisation else value
    return named


async def _carry_out(
    session: AsyncSession,
    runtime: Runtime,
    effect: Effect,
    subject: Call | Submission,
    *,
    call: Call,
    audit: AuditEntry,
) -> None:
    """Effects are rows written in this transaction; the worker acts on them after commit."""
    if not isinstance(subject, Submission):
        return
    if effect.kind == "databank":
        await publish_submission(
            session,
            subject,
            call=call,
            kind=runtime.kind(call.kind),
            from_state=audit.from_state,
            now=audit.at,
            push=bool(runtime.settings.databank_webhook_url),
        )
        return
    if effect.kind != "mail":
        return
    await mail_organisation(
        session,
        runtime,
        effect.argument,
        call=call,
        organisation_id=subject.organisation_id,
        audit=audit,
        submission_id=subject.id,
        values={
            "submission_id": subject.id,
            "state": subject.state,
            "answers": subject.answers,
            "comments": await applicant_comments(session, subject.id or 0),
            "inputs": await _named_inputs(session, runtime.kind(call.kind), subject.inputs),
            "url": f"{runtime.settings.base_url}/my/submissions/{subject.id}",
        },
    )
