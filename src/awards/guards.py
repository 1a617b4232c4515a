"""The named guards call-kind workflows may use. Each is pure: it reads the context and
returns `None` when it holds, or the reason it does not, phrased for the person refused."""

from __future__ import annotations

from datetime import datetime, timedelta

from awards.calls.kinds import CallState
from awards.clock import local
from awards.context import GuardContext
from workflows import Guard


def deadline_ahead(context: GuardContext) -> str | None:
    call = context.call
    if call.closes_at <= context.now:
        return f"the deadline {local(call.closes_at, call.timezone)} has passed"
    return None


def call_accepting_submissions(context: GuardContext) -> str | None:
    """Open, and before the deadline: the call's, plus its grace period, or an extension."""
    call = context.call
    if call.state != CallState.OPEN:
        return f"the call is {call.state}, not open"
    if context.now < call.opens_at:
        return f"the call opens at {local(call.opens_at, call.timezone)}"
    if context.now > deadline_for(context):
        extension = context.facts.extension_until
        if extension is not None:
            return f"the extension granted until {local(extension, call.timezone)} has ended"
        return f"the call closed at {local(call.closes_at, call.timezone)}"
    return None


def deadline_for(context: GuardContext) -> datetime:
    """The last instant the submission's organisation may submit (invariant 7)."""
    grace = timedelta(minutes=context.facts.edition.grace_minutes)
    extension = context.facts.extension_until
    return max(context.call.closes_at + grace, extension or context.call.closes_at)


def answers_complete(context: GuardContext) -> str | None:
    assert context.submission is not None, "answers_complete guards submissions only"
    missing = context.kind.form.missing(
        context.submission.answers, languages=tuple(context.call.languages)
    )
    if missing:
        return f"required fields are missing: {', '.join(missing)}"
    return None


def _call_in(state: str) -> Guard[GuardContext]:
    def guard(context: GuardContext) -> str | None:
        if context.call.state != state:
            return f"the call is {context.call.state}, not {state}"
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
