"""The eligibility pre-check: a kind's rules on the organisation, run on what a visitor says
of theirs, each with the reason it would fail."""

from __future__ import annotations

from datetime import UTC, datetime

from awards.assembly import load_kinds
from awards.calls.eligibility import Claims, check, networks, questions
from awards.db.tables import Call
from conftest import ROOT

KINDS = load_kinds(ROOT / "config" / "calls")
OPENS = datetime(2026, 1, 15, tzinfo=UTC)


def call_of(kind: str) -> Call:
    return Call(
        kind=kind,
        edition="2026",
        title={"en": "2026"},
        opens_at=OPENS,
        closes_at=OPENS,
        timezone="Europe/Madrid",
        languages=["en"],
        state="open",
    )


def reasons(kind: str, claims: Claims) -> dict[str, str | None]:
    verdicts = check(KINDS[kind], call_of(kind), claims, now=OPENS)
    return {v.rule.name: v.reason.code if v.reason else None for v in verdicts}


def test_the_scholarship_asks_membership_and_region_and_refuses_a_member_in_europe() -> None:
    kind = KINDS["membership-scholarship"]
    member = Claims(name="Lyon", network="IAEC", fees_up_to_date=True, region="Europe")
    newcomer = Claims(name="Dakar", region="Africa")

    assert questions(kind) == ["network", "region"]
    assert networks(kind) == ["IAEC"]
    assert reasons("membership-scholarship", member) == {
        "not_yet_member": "already_a_member",
        "eligible_region": "region_not_eligible",
    }
    assert reasons("membership-scholarship", newcomer) == {
        "not_yet_member": None,
        "eligible_region": None,
    }


def test_a_host_bid_counts_the_years_of_membership_to_the_year_the_call_opens() -> None:
    recent = Claims(name="Rosario", network="IAEC", fees_up_to_date=True, member_since=2026)
    older = Claims(name="Rosario", network="IAEC", fees_up_to_date=True, member_since=2025)

    assert questions(KINDS["congress-host-bid"]) == ["network", "fees", "member_since"]
    assert reasons("congress-host-bid", recent)["one_year_member"] == "member_too_recently"
    assert reasons("congress-host-bid", older) == {"iaec_member": None, "one_year_member": None}
