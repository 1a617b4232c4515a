"""The one path that changes a state (invariant 1).

`apply` asks the workflow engine, then, inside the caller's write transaction: a
compare-and-set on state and version, the audit entry, and the outbox rows of the effects.
A refusal raises and writes nothing (invariant 2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.auth.actor import Actor, Role
from awards.calls.kinds import CallKind
from awards.db.cas import update_if
from awards.db.tables import AuditEntry, Call, Submission, User
from awards.errors import Conflict, Forbidden, Invalid
from awards.guards import GuardContext
from awards.notify.outbox import queue_mail
from awards.runtime import Runtime
from workflows import Effect, Fired, RefusalKind, Refused, Workflow


class TransitionRefused(Conflict):
    """The workflow refused a transition; `extra` names it, the state and each failed guard."""

    def __init__(self, refusal: Refused, subject: str) -> None:
        super().__init__(
            f"{subject}: {refusal.message}",
            extra={
                "transition": refusal.transition,
                "state": refusal.state,
                "refusal": str(refusal.kind),
                "failed_guards": [
                    {"guard": failure.guard, "reason": failure.reason}
                    for failure in refusal.failures
                ],
            },
        )


def describe(subject: Call | Submission) -> str:
    return f"{'call' if isinstance(subject, Call) else 'submission'} {subject.id}"


def workflow_of(kind: CallKind, subject: Call | Submission) -> Workflow:
    return kind.call_workflow if isinstance(subject, Call) else kind.submission_workflow


def roles_of(actor: Actor, subject: Call | Submission) -> set[str]:
    return actor.roles_on_call() if isinstance(subject, Call) else actor.roles_on(subject)


async def apply(
    session: AsyncSession,
    runtime: Runtime,
    trigger: str,
    subject: Call | Submission,
    *,
    call: Call,
    actor: Actor,
    reason: str | None = None,
) -> AuditEntry:
    """Fire `trigger` on `subject` (a call, or a submission of `call`) and persist the result."""
    kind = runtime.kind(call.kind)
    now = runtime.clock()
    context = GuardContext(
        kind=kind,
        call=call,
        submission=subject if isinstance(subject, Submission) else None,
        now=now,
    )
    result = runtime.engine.fire(
        workflow_of(kind, subject),
        trigger,
        state=subject.state,
        roles=roles_of(actor, subject),
        context=context,
        reason=reason,
    )
    if isinstance(result, Refused):
        raise _refusal_error(result, describe(subject))
    await _compare_and_set(session, subject, result)
    assert call.id is not None
    audit = AuditEntry(
        call_id=call.id,
        submission_id=subject.id if isinstance(subject, Submission) else None,
        actor_id=actor.id,
        at=now,
        transition=trigger,
        from_state=result.source,
        to_state=result.dest,
        reason=reason,
    )
    session.add(audit)
    await session.flush()
    for effect in result.effects:
        await _carry_out(session, runtime, effect, subject, call=call, audit=audit)
    return audit


async def record_creation(
    session: AsyncSession, subject: Call | Submission, *, actor: Actor, now: datetime
) -> AuditEntry:
    """Insert a new call or submission, and the audit entry of its creation."""
    session.add(subject)
    await session.flush()
    call_id = subject.id if isinstance(subject, Call) else subject.call_id
    assert call_id is not None
    audit = AuditEntry(
        call_id=call_id,
        submission_id=subject.id if isinstance(subject, Submission) else None,
        actor_id=actor.id,
        at=now,
        transition="create",
        from_state="",
        to_state=subject.state,
    )
    session.add(audit)
    return audit


def _refusal_error(refusal: Refused, subject: str) -> Exception:
    if refusal.kind is RefusalKind.FORBIDDEN:
        return Forbidden(f"{subject}: {refusal.message}", extra={"transition": refusal.transition})
    if refusal.kind is RefusalKind.UNKNOWN:
        return Invalid(f"{subject}: {refusal.message}", extra={"field": "name"})
    return TransitionRefused(refusal, subject)


async def _compare_and_set(session: AsyncSession, subject: Call | Submission, fired: Fired) -> None:
    assert subject.id is not None
    if not await update_if(
        session,
        type(subject),
        subject.id,
        expect={"state": fired.source, "version": subject.version},
        values={"state": fired.dest, "version": subject.version + 1},
    ):
        raise Conflict(
            f"{describe(subject)} changed while {fired.transition.name} was applied; reload it",
            extra={"transition": fired.transition.name, "state": fired.source},
        )


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
    if effect.kind != "mail" or not isinstance(subject, Submission):
        return
    kind = runtime.kind(call.kind)
    recipients = await session.scalars(
        select(User).where(
            col(User.organisation_id) == subject.organisation_id,
            col(User.role) == Role.APPLICANT,
        )
    )
    for user in recipients:
        language = user.locale if user.locale in call.languages else kind.default_language
        values: dict[str, Any] = {
            "call_title": call.title.get(language) or call.title[kind.default_language],
            "edition": call.edition,
            "submission_id": subject.id,
            "state": subject.state,
            "reason": audit.reason or "",
            "answers": subject.answers,
            "url": f"{runtime.settings.base_url}/my/submissions/{subject.id}",
        }
        await queue_mail(
            session,
            runtime.mail,
            effect.argument,
            recipient=user.email,
            language=language,
            fallback_language=kind.default_language,
            values=values,
            cause=f"audit{audit.id}",
            base_url=runtime.settings.base_url,
            now=audit.at,
            call_id=call.id,
            submission_id=subject.id,
        )
