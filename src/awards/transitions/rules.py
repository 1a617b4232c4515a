"""Rules of call kinds: parameterised checks with reasons (eligibility and decision rules).

A call kind names its rules in YAML (`rules:`), each of a type below with its parameters, and
lists them as guards of its transitions. Eligibility rules can be overridden for one submission
by the Secretariat with a written reason; decision rules cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from awards.clock import in_zone, later, local
from awards.kinds.kind import CallKind
from awards.kinds.rule_specs import Param, RuleSignature, RuleSpec
from awards.transitions.context import GuardContext, PeerScope
from awards.transitions.reasons import Reason, because
from workflows import Guard

Check = Callable[[Mapping[str, Any], GuardContext], Reason | None]


@dataclass(frozen=True)
class RuleType:
    check: Check
    signature: RuleSignature


def member_in_good_standing(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    organisation = context.facts.organisation
    if organisation is None or organisation.network != params["network"]:
        return because(
            "not_a_member", organisation=context.organisation_name, network=params["network"]
        )
    if not organisation.fees_up_to_date:
        return because("fees_not_up_to_date", organisation=organisation.name)
    return None


def not_member(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    organisation = context.facts.organisation
    if organisation is not None and organisation.network == params["network"]:
        return because(
            "already_a_member", organisation=organisation.name, network=params["network"]
        )
    return None


def region_in(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    organisation = context.facts.organisation
    regions = ", ".join(params["regions"])
    if organisation is None or organisation.region not in params["regions"]:
        name = context.organisation_name
        if organisation and organisation.region:
            region = organisation.region
            return because("region_not_eligible", organisation=name, region=region, regions=regions)
        return because("region_unknown", organisation=name, regions=regions)
    return None


def member_for_at_least(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    """Counted in whole years, from the register's `member_since` to the year the call opens
    (in the call's time zone): a city that joined in 2024 has one year in a call opening in 2025.
    """
    organisation = context.facts.organisation
    years = params["years"]
    call = context.call
    opening_year = in_zone(call.opens_at, call.timezone).year
    since = organisation.member_since if organisation is not None else None
    if since is None or opening_year - since < years:
        name = context.organisation_name
        if since:
            return because(
                "member_too_recently",
                organisation=name,
                since=since,
                years=years,
                year=opening_year,
            )
        return because("no_membership", organisation=name, years=years, year=opening_year)
    return None


def within_submission_limit(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
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
        return because(
            "too_many_submissions",
            organisation=context.organisation_name,
            count=len(counted),
            max=params["max"],
        )
    return None


def not_excluded(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    organisation = context.facts.organisation
    for exclusion in context.facts.edition.excluded:
        if organisation is not None and exclusion.organisation == organisation.slug:
            return because("excluded", organisation=organisation.name, reason=exclusion.reason)
    return None


def started_before_cutoff(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    cutoff = context.facts.edition.started_before
    assert context.submission is not None
    answer = context.submission.answers.get(params["field"])
    if cutoff is None or not isinstance(answer, str):
        return None  # no cut-off this edition, or the form check reports the missing answer
    started = date.fromisoformat(answer)
    if started >= cutoff:
        return because("started_after_cutoff", started=started, cutoff=cutoff)
    return None


def one_per_organisation(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    submission = context.submission
    assert submission is not None
    for peer in context.facts.peers:
        if (
            peer.organisation_id == submission.organisation_id
            and peer.id != submission.id
            and peer.state in params["states"]
        ):
            return because(
                "one_per_organisation",
                organisation=context.organisation_name,
                submission=peer.id,
                state=peer.state,
            )
    return None


def distinction_limit(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
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
        limit = {"count": len(holders), "state": params["state"], "max": params["max"]}
        if category:
            return because("distinction_limit_in_category", category=category, **limit)
        return because("distinction_limit", **limit)
    return None


def at_most_once(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    if params["transition"] in context.facts.history:
        return because("already_used", transition=params["transition"])
    return None


def none_in_states(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    holders = [peer for peer in context.facts.peers if peer.state in params["states"]]
    if holders:
        ids = ", ".join(str(peer.id) for peer in holders)
        return because("already_in_states", submissions=ids, states=" or ".join(params["states"]))
    return None


def before_input_date(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    """Until the end of the day a transition's input gave (in the call's time zone): the date
    by which the Secretariat asked for a revision, say."""
    assert context.submission is not None
    given = context.submission.inputs.get(params["input"])
    if not isinstance(given, str):
        return because("date_not_set", input=params["input"])
    timezone = context.call.timezone
    day = datetime.combine(date.fromisoformat(given), time(), tzinfo=ZoneInfo(timezone))
    ends = later(day, timedelta(days=1))
    if context.now >= ends:
        return because("date_passed", date=given, until=local(ends, timezone))
    return None


def input_date_ahead(params: Mapping[str, Any], context: GuardContext) -> Reason | None:
    """A date the transition is given is today or later in the call's time zone: a city is
    not asked to resubmit by a day already past. Holds while the date is not given yet."""
    given = context.given.get(params["input"])
    if not isinstance(given, str):
        return None
    timezone = context.call.timezone
    today = in_zone(context.now, timezone).date()
    if date.fromisoformat(given) < today:
        return because("date_in_past", input=params["input"], date=given, today=today)
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
    "before_input_date": _type(before_input_date, False, input=Param.INPUT),
    "input_date_ahead": _type(input_date_ahead, False, input=Param.INPUT),
}
SIGNATURES = {name: rule_type.signature for name, rule_type in RULE_TYPES.items()}

_OWN_ORGANISATION = PeerScope(own_organisation=True)
PEERS_READ: dict[str, Callable[[Mapping[str, Any]], PeerScope]] = {
    "within_submission_limit": lambda _: _OWN_ORGANISATION,
    "one_per_organisation": lambda _: _OWN_ORGANISATION,
    "distinction_limit": lambda p: PeerScope(states=frozenset({p["state"], *p["counting"]})),
    "none_in_states": lambda p: PeerScope(states=frozenset(p["states"])),
}
"""The peers (`GuardContext.facts.peers`) each rule type that reads them looks at, from its
parameters: a check that reads peers outside its scope would miss them."""


def peer_scope(kind: CallKind) -> PeerScope:
    """The peers that `kind`'s rules read, together."""
    scope = PeerScope()
    for spec in kind.rules.values():
        if spec.type in PEERS_READ:
            scope |= PEERS_READ[spec.type](spec.params)
    return scope


def rule_guards(kind: CallKind) -> dict[str, Guard[GuardContext]]:
    """A guard per rule of `kind`; an overridden rule holds for that submission."""
    return {name: _guard(spec) for name, spec in kind.rules.items()}


def _guard(spec: RuleSpec) -> Guard[GuardContext]:
    check = RULE_TYPES[spec.type].check

    def guard(context: GuardContext) -> Reason | None:
        submission = context.submission
        if spec.overridable and submission is not None and spec.name in submission.overrides:
            return None
        return check(spec.params, context)

    return guard
