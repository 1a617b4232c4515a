"""A laureate's obligations and their lifecycle, each step audited in its own transaction:

    agreement: due --sign (accept on the page, or upload the signed copy)--> signed
    report:    due --send--> sent --accept--> accepted
                             sent --return (with a reason)--> returned --send--> sent

The decision opens them (the effect `commitments:open`), due on days of the call's time
zone counted from the decision; the Secretariat may extend a due date, with a reason. When
the last one is accepted, the submission fires the section's `on_fulfilled` transition, if
the kind names one (a scholarship `complete`s).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from awards.commitments.access import Laureate, acting_laureate, day_in
from awards.commitments.refusals import CommitmentRefused
from awards.commitments.spec import AGREEMENT, commitments_of
from awards.db.cas import update_if
from awards.db.tables import AuditEntry, Obligation, Submission
from awards.errors import ConfigurationError, Conflict, Forbidden, Invalid
from awards.notify.recipients import mail_organisation
from awards.transitions.actor import SYSTEM, Actor
from awards.transitions.apply import apply
from awards.transitions.records import record_change
from awards.transitions.runtime import Occasion, Runtime
from awards.urls import absolute, my_commitments


class ObligationState(StrEnum):
    DUE = "due"
    SIGNED = "signed"
    SENT = "sent"
    RETURNED = "returned"
    ACCEPTED = "accepted"


FULFILLED = frozenset({ObligationState.SIGNED, ObligationState.ACCEPTED})
AWAITED = frozenset({ObligationState.DUE, ObligationState.RETURNED})
"""States in which the laureate has something to send, and reminders run."""


async def open_commitments(occasion: Occasion) -> None:
    """The effect `commitments:open`: the decided submission owes its agreement and reports,
    due after the decision's day in the call's time zone."""
    spec = commitments_of(occasion.kind)
    if spec is None:
        raise ConfigurationError(f"{occasion.kind.slug} opens commitments it has no section for")
    submission = occasion.subject
    assert isinstance(submission, Submission) and submission.id is not None
    decided_on = day_in(occasion.audit.at, occasion.call.timezone)
    owed = [(report.name, report.due) for report in spec.reports]
    if spec.agreement is not None:
        owed.insert(0, (AGREEMENT, spec.agreement.due))
    for name, due in owed:
        occasion.session.add(
            Obligation(
                call_id=occasion.call.id or 0,
                submission_id=submission.id,
                name=name,
                state=ObligationState.DUE,
                due_on=due.after(decided_on),
            )
        )


def describe(found: Laureate, obligation: Obligation) -> str:
    return f"submission {found.submission.id}: {obligation.name}"


async def sign_agreement(
    runtime: Runtime,
    submission_id: int,
    *,
    actor: Actor,
    document: tuple[str, str] | None = None,
) -> Obligation:
    """The laureate signs its agreement: accepted on the page, or `document` (file name,
    blob sha256) for the signed copy it uploaded; who and when are kept."""
    async with runtime.db.write() as session:
        found = await acting_laureate(session, runtime, submission_id, actor=actor)
        _owner_only(found, actor)
        spec = found.spec.agreement
        obligation = found.obligation(AGREEMENT)
        assert spec is not None
        if (spec.signature == "upload") != (document is not None):
            raise Invalid(
                f"{describe(found, obligation)} is signed by "
                f"{'uploading the signed copy' if document else 'accepting it'}",
                extra={"field": "document"},
            )
        now = runtime.clock()
        name, sha256 = document or (None, None)
        await _move(
            session,
            found,
            obligation,
            ObligationState.SIGNED,
            expect=AWAITED,
            code="not_due",
            values={
                "sent_at": now,
                "sent_by": actor.id,
                "decided_at": now,
                "decided_by": actor.id,
                "document_name": name,
                "document_sha256": sha256,
            },
        )
        record_change(
            session,
            found.submission,
            f"sign:{AGREEMENT}",
            actor=actor,
            now=now,
            reason=f"signed by {actor.email}" + (f": {name}" if name else ""),
        )
    return obligation


async def send_report(
    runtime: Runtime,
    submission_id: int,
    name: str,
    *,
    answers: Mapping[str, Any],
    indicators: Mapping[str, str],
    version: int,
    actor: Actor,
) -> Obligation:
    """The laureate sends report `name` (at the `version` it read): its form's answers and
    a value for each of its indicators."""
    async with runtime.db.write() as session:
        found = await acting_laureate(session, runtime, submission_id, actor=actor)
        _owner_only(found, actor)
        report = found.spec.report(name)
        obligation = found.obligation(name)
        if report is None:
            raise Invalid(f"{describe(found, obligation)} is not a report", extra={"field": "name"})
        report.form.check_answers(answers, languages=found.kind.languages)
        missing = report.form.missing(answers, languages=found.kind.languages)
        if missing:
            raise Invalid(
                f"{name}: {', '.join(missing)} must be answered", extra={"field": missing[0]}
            )
        values = _indicator_values(report.indicators, indicators)
        if obligation.version != version:
            raise Conflict(
                f"{describe(found, obligation)} is at version {obligation.version}, not {version}; "
                "reload it",
                extra={"field": "version"},
            )
        now = runtime.clock()
        await _move(
            session,
            found,
            obligation,
            ObligationState.SENT,
            expect=AWAITED,
            code="not_due",
            values={
                "answers": dict(answers),
                "indicators": values,
                "sent_at": now,
                "sent_by": actor.id,
                "note": None,
            },
        )
        record_change(session, found.submission, f"send:{name}", actor=actor, now=now)
    return obligation


async def accept_report(
    runtime: Runtime, submission_id: int, name: str, *, actor: Actor
) -> Obligation:
    """The Secretariat accepts a sent report; the last one fulfils the commitments."""
    async with runtime.db.write() as session:
        found = await acting_laureate(session, runtime, submission_id, actor=actor)
        _secretariat_only(actor)
        obligation = found.obligation(name)
        now = runtime.clock()
        await _move(
            session,
            found,
            obligation,
            ObligationState.ACCEPTED,
            expect={ObligationState.SENT},
            code="not_sent",
            values={"decided_at": now, "decided_by": actor.id},
        )
        record_change(session, found.submission, f"accept:{name}", actor=actor, now=now)
        await session.flush()
        fulfilled = all(item.state in FULFILLED for item in found.obligations.values())
        if fulfilled and found.spec.on_fulfilled:
            # By the system: the kind may keep the transition from people (`roles: [system]`),
            # so nobody completes a scholarship whose reports are not all accepted.
            await apply(
                session,
                runtime,
                found.spec.on_fulfilled,
                found.submission,
                call=found.call,
                actor=SYSTEM,
                reason="every commitment fulfilled",
            )
    return obligation


async def return_report(
    runtime: Runtime, submission_id: int, name: str, *, reason: str, actor: Actor
) -> Obligation:
    """The Secretariat returns a sent report for changes, saying why; the laureate is mailed."""
    if not reason.strip():
        raise Invalid("returning a report needs a reason", extra={"field": "reason"})
    async with runtime.db.write() as session:
        found = await acting_laureate(session, runtime, submission_id, actor=actor)
        _secretariat_only(actor)
        obligation = found.obligation(name)
        now = runtime.clock()
        await _move(
            session,
            found,
            obligation,
            ObligationState.RETURNED,
            expect={ObligationState.SENT},
            code="not_sent",
            values={"decided_at": now, "decided_by": actor.id, "note": reason.strip()},
        )
        audit = record_change(
            session, found.submission, f"return:{name}", actor=actor, now=now, reason=reason.strip()
        )
        await _mail_laureate(session, runtime, found, "commitment_returned", obligation, audit)
    return obligation


async def extend_due_date(
    runtime: Runtime,
    submission_id: int,
    name: str,
    *,
    due_on: date,
    reason: str,
    actor: Actor,
) -> Obligation:
    """The Secretariat moves a due date later, saying why; reminders start again for the new
    date, and the laureate is mailed."""
    if not reason.strip():
        raise Invalid("extending a due date needs a reason", extra={"field": "reason"})
    async with runtime.db.write() as session:
        found = await acting_laureate(session, runtime, submission_id, actor=actor)
        _secretariat_only(actor)
        obligation = found.obligation(name)
        if due_on <= obligation.due_on:
            raise Invalid(
                f"{describe(found, obligation)} is due on {obligation.due_on}: extend it to a "
                "later day",
                extra={"field": "due_on"},
            )
        if obligation.state in FULFILLED:
            raise CommitmentRefused(
                describe(found, obligation), "not_due", obligation=name, state=obligation.state
            )
        before = obligation.due_on
        await _move(
            session,
            found,
            obligation,
            ObligationState(obligation.state),
            expect={ObligationState(obligation.state)},
            code="not_due",
            values={"due_on": due_on},
        )
        audit = record_change(
            session,
            found.submission,
            f"extend:{name}",
            actor=actor,
            now=runtime.clock(),
            reason=f"{before} -> {due_on}: {reason.strip()}",
        )
        await _mail_laureate(
            session,
            runtime,
            found,
            "commitment_extended",
            obligation,
            audit,
            was=before.isoformat(),
            reason=reason.strip(),
        )
    return obligation


def _owner_only(found: Laureate, actor: Actor) -> None:
    if not actor.owns(found.submission):
        raise Forbidden(f"only the laureate acts on submission {found.submission.id}'s commitments")


def _secretariat_only(actor: Actor) -> None:
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat decides on a laureate's commitments")


def _indicator_values(named: tuple[str, ...], given: Mapping[str, str]) -> dict[str, str]:
    """A value for each indicator the report names, as exact decimal text."""
    unknown = sorted(set(given) - set(named))
    if unknown:
        raise Invalid(f"the report has no indicator '{unknown[0]}'", extra={"field": unknown[0]})
    values = {}
    for name in named:
        text = str(given.get(name, "")).strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise Invalid(
                f"indicator {name} needs a number, not '{text}'", extra={"field": name}
            ) from None
        if not value.is_finite():
            raise Invalid(f"indicator {name} needs a number, not '{text}'", extra={"field": name})
        values[name] = str(value)
    return values


async def _move(
    session: AsyncSession,
    found: Laureate,
    obligation: Obligation,
    to: ObligationState,
    *,
    expect: frozenset[ObligationState] | set[ObligationState],
    code: str,
    values: Mapping[str, Any],
) -> None:
    """Compare-and-set the obligation from one of `expect` to `to`, one version on."""
    if obligation.state not in expect:
        raise CommitmentRefused(
            describe(found, obligation), code, obligation=obligation.name, state=obligation.state
        )
    assert obligation.id is not None
    changed = {"state": to, "version": obligation.version + 1, **values}
    if not await update_if(
        session,
        Obligation,
        obligation.id,
        expect={"state": obligation.state, "version": obligation.version},
        values=changed,
    ):
        raise Conflict(f"{describe(found, obligation)} changed meanwhile; reload it")
    for column, value in changed.items():
        setattr(obligation, column, value)


async def _mail_laureate(
    session: AsyncSession,
    runtime: Runtime,
    found: Laureate,
    template: str,
    obligation: Obligation,
    audit: AuditEntry,
    **values: object,
) -> None:
    await session.flush()
    await mail_organisation(
        session,
        runtime,
        template,
        call=found.call,
        organisation_id=found.submission.organisation_id,
        audit=audit,
        submission_id=found.submission.id,
        values={**mail_values(runtime, found, obligation), **values},
    )


def mail_values(runtime: Runtime, found: Laureate, obligation: Obligation) -> dict[str, object]:
    """What every mail about an obligation shows: which one, its due date, where to act."""
    spec = found.spec.report(obligation.name) or found.spec.agreement
    assert spec is not None
    return {
        "obligation": obligation.name,
        "labels": dict(spec.label),
        "due_on": obligation.due_on.isoformat(),
        "timezone": found.call.timezone,
        "note": obligation.note or "",
        "url": absolute(runtime.settings.base_url, my_commitments(found.submission.id or 0)),
    }
