"""The named guards call-kind workflows may use. Each is pure: it reads the context and
returns `None` when it holds, or the `Reason` it does not (`awards.transitions.reasons`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from awards.clock import later, local
from awards.transitions.context import GuardContext
from awards.transitions.reasons import Reason, because
from awards.vocabulary import CallState
from workflows import Guard


def deadline_ahead(context: GuardContext) -> Reason | None:
    call = context.call
    if call.closes_at <= context.now:
        return because("deadline_passed", deadline=local(call.closes_at, call.timezone))
    return None


def call_accepting_submissions(context: GuardContext) -> Reason | None:
    """Open, and before the deadline: the call's, plus its grace period, or an extension."""
    call = context.call
    if call.state != CallState.OPEN:
        return because("call_not_open", state=call.state)
    if context.now < call.opens_at:
        return because("call_not_yet_open", opens=local(call.opens_at, call.timezone))
    if context.now > deadline_for(context):
        extension = context.facts.extension_until
        if extension is not None:
            return because("extension_ended", until=local(extension, call.timezone))
        return because("call_closed", closed=local(call.closes_at, call.timezone))
    return None


def deadline_for(context: GuardContext) -> datetime:
    """The last instant the submission's organisation may submit (invariant 7)."""
    return last_instant(
        context.call.closes_at,
        grace_minutes=context.facts.edition.grace_minutes,
        extension=context.facts.extension_until,
    )


def last_instant(
    closes_at: datetime, *, grace_minutes: int, extension: datetime | None
) -> datetime:
    """The deadline with its grace period, or a later extension's."""
    return max(later(closes_at, timedelta(minutes=grace_minutes)), extension or closes_at)


def answers_complete(context: GuardContext) -> Reason | None:
    """Every required answer given, and none breaking a rule (a draft keeps such an answer
    as typed, flagged, until it is mended)."""
    assert context.submission is not None, "answers_complete guards submissions only"
    answers, languages = context.submission.answers, tuple(context.call.languages)
    missing = context.kind.form.missing(answers, languages=languages)
    if missing:
        return because("answers_missing", fields=", ".join(missing))
    flagged = context.kind.form.flagged(answers, languages=languages)
    if flagged:
        return because("answers_invalid", fields=", ".join(flagged))
    return None


def _call_in(state: str) -> Guard[GuardContext]:
    def guard(context: GuardContext) -> Reason | None:
        if context.call.state != state:
            return because("call_not_in_state", state=context.call.state, expected=state)
        return None

    return guard


GUARDS: dict[str, Guard[GuardContext]] = {
    "deadline_ahead": deadline_ahead,
    "call_accepting_submissions": call_accepting_submissions,
    "answers_complete": answers_complete,
    "call_reviewing": _call_in(CallState.REVIEWING),
    "call_deciding": _call_in(CallState.DECIDING),
    "call_published": _call_in(CallState.PUBLISHED),
}
