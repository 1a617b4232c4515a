"""Whether an organisation may apply to a call, asked before it has an account.

A kind's rules that read only the organisation (membership, fees, region, years of
membership) are run on what a visitor says of theirs, so the public page of a call answers
"may we apply, and if not, why" before anyone signs in. Nothing is written: the organisation
is imagined, and the register decides again at submit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from awards.db.tables import Call, Organisation
from awards.kinds.kind import CallKind
from awards.kinds.rule_specs import RuleSpec
from awards.transitions.context import Facts, GuardContext
from awards.transitions.reasons import Reason
from awards.transitions.rules import RULE_TYPES

ASKED = {
    "member_in_good_standing": ("network", "fees"),
    "not_member": ("network",),
    "region_in": ("region",),
    "member_for_at_least": ("member_since",),
}
"""The rule types a visitor's answers decide, and the questions each needs."""


@dataclass(frozen=True)
class Claims:
    """What a visitor says of their organisation, as the register would hold it."""

    name: str
    network: str | None = None
    fees_up_to_date: bool = False
    region: str | None = None
    member_since: int | None = None


@dataclass(frozen=True)
class Verdict:
    """One rule, and why it would fail (None: it holds)."""

    rule: RuleSpec
    reason: Reason | None


def asked_rules(kind: CallKind) -> list[RuleSpec]:
    """The rules of `kind` that answers about an organisation decide, in the kind's order."""
    return [spec for spec in kind.rules.values() if spec.type in ASKED]


def questions(kind: CallKind) -> list[str]:
    """The questions to ask (`network`, `fees`, `region`, `member_since`), each once."""
    asked = [question for spec in asked_rules(kind) for question in ASKED[spec.type]]
    return list(dict.fromkeys(asked))


def networks(kind: CallKind) -> list[str]:
    """The networks the rules name: the choices of the membership question."""
    named = [spec.params["network"] for spec in asked_rules(kind) if "network" in spec.params]
    return list(dict.fromkeys([*named, kind.network]))


def check(kind: CallKind, call: Call, claims: Claims, *, now: datetime) -> list[Verdict]:
    """Each asked rule of `kind` run on `claims`, as the submit would run it on the register."""
    organisation = Organisation(
        slug="",
        name=claims.name,
        country="",
        network=claims.network,
        fees_up_to_date=claims.fees_up_to_date,
        region=claims.region,
        member_since=claims.member_since,
    )
    context = GuardContext(kind, call, None, now, Facts(organisation=organisation))
    return [
        Verdict(spec, RULE_TYPES[spec.type].check(spec.params, context))
        for spec in asked_rules(kind)
    ]
