"""The named guards call-kind workflows may use. Each is pure: it reads the context and
returns `None` when it holds, or the `Reason` it does not, phrased for the person refused.

A `Reason` is the English sentence the API has always sent, carrying a stable code and the
values it names, so the pages can say it in the reader's language (`reason.<code>`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from awards.calls.kinds import CallState
from awards.clock import local
from awards.context import GuardContext
from workflows import Guard


class Reason(str):
    """Why a guard or rule does not hold: its English text, a stable `code` and `params`.

    A `str`, so the workflow engine (which knows nothing of awards) carries it unchanged.
    Params named `state`, `expected`, `transition` and `rule` hold names the pages translate.
    """

    code: str
    params: Mapping[str, str]

    def __new__(cls, code: str, english: str, params: Mapping[str, object]) -> Reason:
        shown = {name: str(value) for name, value in params.items()}
        made = super().__new__(cls, english.format_map(shown))
        made.code = code
        made.params = shown
        return made


GUARD_REASONS: dict[str, str] = {
    "deadline_passed": "the deadline {deadline} has passed",
    "call_not_open": "the call is {state}, not open",
    "call_not_yet_open": "the call opens at {opens}",
    "extension_ended": "the extension granted until {until} has ended",
    "call_closed": "the call closed at {closed}",
    "answers_missing": "required fields are missing: {fields}",
    "call_not_in_state": "the call is {state}, not {expected}",
    "rule_not_met": "the rule '{rule}' is not met",
    "input_missing": "{input} must be given",
}
"""The English text of each code the guards (and the lifecycle) give."""


def because(code: str, **params: object) -> Reason:
    return Reason(code, GUARD_REASONS[code], params)


def code_of(reason: str) -> str:
    """The code of a guard's reason; `unexplained` for a bare text (none is expected)."""
    return reason.code if isinstance(reason, Reason) else "unexplained"


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
    grace = timedelta(minutes=context.facts.edition.grace_minutes)
    extension = context.facts.extension_until
    return max(context.call.closes_at + grace, extension or context.call.closes_at)


def answers_complete(context: GuardContext) -> Reason | None:
    assert context.submission is not None, "answers_complete guards submissions only"
    missing = context.kind.form.missing(
        context.submission.answers, languages=tuple(context.call.languages)
    )
    if missing:
        return because("answers_missing", fields=", ".join(missing))
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
