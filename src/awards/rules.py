"""Rules of call kinds: parameterised checks with reasons (eligibility and decision rules).

A call kind names its rules in YAML (`rules:`), each of a type below with its parameters, and
lists them as guards of its transitions. Eligibility rules can be overridden for one submission
by the Secretariat with a written reason; decision rules cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from awards.calls.kinds import CallKind, Param, RuleSignature, RuleSpec
from awards.context import GuardContext
from workflows import Guard

Check = Callable[[Mapping[str, Any], GuardContext], str | None]


@dataclass(frozen=True)
class RuleType:
    check: Check
    signature: RuleSignature


def member_in_good_standing(params: Mapping[str, Any], context: GuardContext) -> str | None:
    organisation = context.facts.organisation
    if organisation is None or organisation.network != params["network"]:
        return f"{context.organisation_name} is not a member of {params['network']}"
    if not organisation.fees_up_to_date:
        return f"{organisation.name}'s membership fees are not up to date"
    return None


def not_member(params: Mapping[str, Any], context: GuardContext) -> str | None:
    organisation = context.facts.organisation
    if organisation is not None and organisation.network == params["network"]:
        return f"{organisation.name} is already a member of {params['network']}"
    return None


def region_in(params: Mapping[str, Any], context: GuardContext) -> str | None:
    organisation = context.facts.organisation
    regions = params["regions"]
    if organisation is None or organisation.region not in regions:
        where = organisation.region if organisation and organisation.region else "no listed region"
        return f"{context.organisation_name} is in {where}; this call is for {', '.join(regions)}"
    return None


def member_for_at_least(params: Mapping[str, Any], context: GuardContext) -> str | None:
    """Counted in whole years, from the register's `member_since` to the year the call opens
    (in the call's time zone): a city that joined in 2024 has one year in a call opening in 2025.
    """
    organisation = context.facts.organisation
    years = params["years"]
    call = context.call
    opening_year = call.opens_at.astimezone(ZoneInfo(call.timezone)).year
    since = organisation.member_since if organisation is not None else None
    if since is None or opening_year - since < years:
        joined = f"has been a member only since {since}" if since else "has no membership on record"
        return (
            f"{context.organisation_name} {joined}; this call requires at least {years} "
            f"year(s) of membership by {opening_year}"
        )
    return None


def within_submission_limit(params: Mapping[str, Any], context: GuardContext) -> str | None:
    submission = context.submission
    assert submission is not None
    counted = [
        peer
        for peer in context.facts.peers
        if peer.organisation_id == submission.organisation_id
        and peer.id != submission.id
        and peer.state not in params["ignore_states"]
    ]
    if len(counted) >= params["max"]:
        return (
            f"{context.organisation_name} already has {len(counted)} submission(s) in this call; "
            f"at most {params['max']} are allowed"
        )
    return None


def not_excluded(params: Mapping[str, Any], context: GuardContext) -> str | None:
    organisation = context.facts.organisation
    for exclusion in context.facts.edition.excluded:
        if organisation is not None and exclusion.organisation == organisation.slug:
            return f"{organisation.name} cannot take part in this edition: {exclusion.reason}"
    return None


def started_before_cutoff(params: Mapping[str, Any], context: GuardContext) -> str | None:
    cutoff = context.facts.edition.started_before
    assert context.submission is not None
    answer = context.submission.answers.get(params["field"])
    if cutoff is None or not isinstance(answer, str):
        return None  # no cut-off this edition, or the form check reports the missing answer
    started = date.fromisoformat(answer)
    if started >= cutoff:
        return f"the initiative started on {started}, not before the cut-off {cutoff}"
    return None


def one_per_organisation(params: Mapping[str, Any], context: GuardContext) -> str | None:
    submission = context.submission
    assert submission is not None
    for peer in context.facts.peers:
        if (
            peer.organisation_id == submission.organisation_id
            and peer.id != submission.id
            and peer.state in params["states"]
        ):
            return (
                f"{context.organisation_name} already has submission {peer.id} as {peer.state}; "
                f"at most one per organisation"
            )
    return None


def distinction_limit(params: Mapping[str, Any], context: GuardContext) -> str | None:
    """At most `max` submissions in `state` (per category if asked); submissions in the
    `counting` states count too, so proposals cannot exceed what may be confirmed."""
    submission = context.submission
    assert submission is not None
    category = submission.answers.get("category") if params["per_category"] else None
    counted = {params["state"], *params["counting"]}
    holders = [
        peer
        for peer in context.facts.peers
        if peer.state in counted
        and peer.id != submission.id
        and (category is None or peer.category == category)
    ]
    if len(holders) >= params["max"]:
        scope = f"category {category}" if category else "this call"
        return f"{scope} already has {len(holders)} {params['state']}; at most {params['max']}"
    return None


def at_most_once(params: Mapping[str, Any], context: GuardContext) -> str | None:
    if params["transition"] in context.facts.history:
        return f"{params['transition']} was already used once"
    return None


def none_in_states(params: Mapping[str, Any], context: GuardContext) -> str | None:
    holders = [peer for peer in context.facts.peers if peer.state in params["states"]]
    if holders:
        ids = ", ".join(str(peer.id) for peer in holders)
        return f"submissions {ids} are already {' or '.join(params['states'])}"
    return None


def _type(
    check: Check, overridable: bool, defaults: dict[str, Any] | None = None, **params: Param
) -> RuleType:
    return RuleType(check, RuleSignature(params, overridable, defaults or {}))


RULE_TYPES: dict[str, RuleType] = {
    "member_in_good_standing": _type(member_in_good_standing, True, network=Param.TEXT),
    "not_member": _type(not_member, True, network=Param.TEXT),
    "region_in": _type(region_in, True, regions=Param.TEXTS),
    "member_for_at_least": _type(member_for_at_least, True, years=Param.NUMBER),
    "within_submission_limit": _type(
        within_submission_limit, True, max=Param.NUMBER, ignore_states=Param.STATES
    ),
    "not_excluded": _type(not_excluded, True),
    "started_before_cutoff": _type(started_before_cutoff, True, field=Param.FIELD),
    "one_per_organisation": _type(one_per_organisation, False, states=Param.STATES),
    "distinction_limit": _type(
        distinction_limit,
        False,
        {"per_category": False, "counting": []},
        state=Param.STATE,
        max=Param.NUMBER,
        per_category=Param.FLAG,
        counting=Param.STATES,
    ),
    "at_most_once": _type(at_most_once, False, transition=Param.TRANSITION),
    "none_in_states": _type(none_in_states, False, states=Param.STATES),
}
SIGNATURES = {name: rule_type.signature for name, rule_type in RULE_TYPES.items()}


def rule_guards(kind: CallKind) -> dict[str, Guard[GuardContext]]:
    """A guard per rule of `kind`; an overridden rule holds for that submission."""
    return {name: _guard(spec) for name, spec in kind.rules.items()}


def _guard(spec: RuleSpec) -> Guard[GuardContext]:
    check = RULE_TYPES[spec.type].check

    def guard(context: GuardContext) -> str | None:
        submission = context.submission
        if spec.overridable and submission is not None and spec.name in submission.overrides:
            return None
        return check(spec.params, context)

    return guard
