"""Why a guard or a rule does not hold, phrased for the person refused: a stable code, the
values it names, and its English text (the API's `reason`); the pages say it in the reader's
language from the code (`reason.<code>`).
"""

from __future__ import annotations

from collections.abc import Mapping


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


REASONS: dict[str, str] = {
    # The shared guards, and the core's own refusals.
    "deadline_passed": "the deadline {deadline} has passed",
    "call_not_open": "the call is {state}, not open",
    "call_not_yet_open": "the call opens at {opens}",
    "extension_ended": "the extension granted until {until} has ended",
    "call_closed": "the call closed at {closed}",
    "answers_missing": "required fields are missing: {fields}",
    "answers_invalid": "answers must be mended first: {fields}",
    "call_not_in_state": "the call is {state}, not {expected}",
    "rule_not_met": "the rule '{rule}' is not met",
    "input_missing": "{input} must be given",
    # The rules of call kinds (`awards.transitions.rules`).
    "not_a_member": "{organisation} is not a member of {network}",
    "fees_not_up_to_date": "{organisation}'s membership fees are not up to date",
    "already_a_member": "{organisation} is already a member of {network}",
    "region_not_eligible": "{organisation} is in {region}; this call is for {regions}",
    "region_unknown": "{organisation} is in no listed region; this call is for {regions}",
    "member_too_recently": (
        "{organisation} has been a member only since {since}; this call requires at least "
        "{years} year(s) of membership by {year}"
    ),
    "no_membership": (
        "{organisation} has no membership on record; this call requires at least {years} "
        "year(s) of membership by {year}"
    ),
    "too_many_submissions": (
        "{organisation} already has {count} submission(s) in this call; at most {max} are allowed"
    ),
    "excluded": "{organisation} cannot take part in this edition: {reason}",
    "date_not_set": "no date was given for {input}",
    "date_passed": "the time given ended with {date} ({until})",
    "date_in_past": "{input} is {date}, a day already past: give {today} or a later day",
    "started_after_cutoff": "the initiative started on {started}, not before the cut-off {cutoff}",
    "one_per_organisation": (
        "{organisation} already has submission {submission} as {state}; at most one per "
        "organisation"
    ),
    "distinction_limit": "this call already has {count} {state}; at most {max}",
    "distinction_limit_in_category": (
        "category {category} already has {count} {state}; at most {max}"
    ),
    "already_used": "{transition} was already used once",
    "already_in_states": "submissions {submissions} are already {states}",
    # The bodies that vote (`awards.jury.votes`).
    "quorum_not_met": "only {voted} of the {members} members have voted; the quorum is {quorum}",
    "tie_awaits_chair": (
        "candidacies are tied with {votes} vote(s) each: the chair must cast the deciding vote"
    ),
    "no_votes_for_candidacies": "no candidacy has received a vote",
    "no_absolute_majority": (
        "no candidacy has more than half of the {cast} votes cast; the most is {most}"
    ),
    "conflicted_member": "you have a conflict of interest with {submission}: you cannot judge it",
}
"""The English text of each code a guard, a rule or the core gives."""


def because(code: str, **params: object) -> Reason:
    return Reason(code, REASONS[code], params)


def code_of(reason: str) -> str:
    """The code of a guard's reason; `unexplained` for a bare text (none is expected)."""
    return reason.code if isinstance(reason, Reason) else "unexplained"
