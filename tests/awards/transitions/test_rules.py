"""Every rule of the award trips with its reason; overrides, contests, extensions and grace."""

from __future__ import annotations

from datetime import timedelta

import pytest

from awards.calls.extensions import grant_extension
from awards.calls.service import CallService
from awards.db.tables import Call, OutboxMessage
from awards.errors import Conflict, Invalid
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.apply import TransitionRefused
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens, candidacies_in_review, draft
from harness.seeding import applicant, city


async def refusal(
    runtime: Runtime, submission_id: int, trigger: str, actor: Actor, reason: str | None = None
) -> list[dict[str, str]]:
    with pytest.raises(TransitionRefused) as refused:
        await SubmissionService(runtime).fire(submission_id, trigger, actor=actor, reason=reason)
    failed: list[dict[str, str]] = refused.value.extra["failed_guards"]
    return [{"guard": f["guard"], "reason": f["reason"]} for f in failed]  # codes: web tests


async def configure(runtime: Runtime, call_id: int, tokens: Tokens, **settings: object) -> None:
    calls = CallService(runtime)
    call = await calls.get(call_id, actor=tokens.actors["secretariat"])
    await calls.configure(
        call_id, settings, version=call.version, actor=tokens.actors["secretariat"]
    )


async def test_fees_not_up_to_date_are_refused_with_the_reason(
    runtime: Runtime, clock: MovableClock, open_award: int
) -> None:
    late = await applicant(runtime, clock, city("Ciudad Ejemplo", fees=False))
    submission = await draft(runtime, open_award, late)

    failed = await refusal(runtime, submission, "submit", late)

    assert failed == [
        {"guard": "iaec_member", "reason": "Ciudad Ejemplo's membership fees are not up to date"}
    ]


async def test_a_city_outside_the_network_is_refused_and_sees_why_before_submitting(
    runtime: Runtime, clock: MovableClock, open_award: int
) -> None:
    paris = await applicant(runtime, clock, city("Paris", network="AIMF"))
    submission = await draft(runtime, open_award, paris)

    shown = await SubmissionService(runtime).options(submission, actor=paris)
    failed = await refusal(runtime, submission, "submit", paris)

    reason = {"guard": "iaec_member", "reason": "Paris is not a member of IAEC"}
    assert failed == [reason]
    assert [(o.transition.name, [f.reason for f in o.failures]) for o in shown] == [
        ("submit", [reason["reason"]]),
        ("withdraw", []),
    ]


async def test_a_third_candidacy_of_a_city_is_refused_but_a_withdrawn_one_does_not_count(
    runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    owner = tokens.actors["owner"]
    service = SubmissionService(runtime)
    first, second, third = [await draft(runtime, open_award, owner) for _ in range(3)]
    await service.fire(first, "submit", actor=owner)
    await service.fire(second, "submit", actor=owner)

    failed = await refusal(runtime, third, "submit", owner)
    await service.fire(first, "withdraw", actor=owner)
    resubmitted = await service.fire(third, "submit", actor=owner)

    assert failed == [
        {
            "guard": "two_per_city",
            "reason": "Barcelona already has 2 submission(s) in this call; at most 2 are allowed",
        }
    ]
    assert resubmitted.state == "submitted"


async def test_an_excluded_city_is_refused_with_the_editions_reason(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    granollers = await applicant(runtime, clock, city("Granollers"))
    await configure(
        runtime,
        open_award,
        tokens,
        excluded=[
            {"organisation": "granollers", "reason": "host of the 18th International Congress"}
        ],
    )
    submission = await draft(runtime, open_award, granollers)

    failed = await refusal(runtime, submission, "submit", granollers)

    assert failed == [
        {
            "guard": "not_excluded",
            "reason": "Granollers cannot take part in this edition: host of the 18th International Congress",
        }
    ]


async def test_an_initiative_started_after_the_cut_off_is_refused(
    runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    await configure(runtime, open_award, tokens, started_before="2023-06-01")
    owner = tokens.actors["owner"]
    late = await draft(runtime, open_award, owner, started_on="2024-01-10")
    early = await draft(runtime, open_award, owner, started_on="2023-05-31")

    failed = await refusal(runtime, late, "submit", owner)
    accepted = await SubmissionService(runtime).fire(early, "submit", actor=owner)

    assert failed == [
        {
            "guard": "started_before_cutoff",
            "reason": "the initiative started on 2024-01-10, not before the cut-off 2023-06-01",
        }
    ]
    assert accepted.state == "submitted"


async def test_the_secretariat_overrides_an_eligibility_rule_with_a_reason_in_the_audit_trail(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    late = await applicant(runtime, clock, city("Ciudad Ejemplo", fees=False))
    submission = await draft(runtime, open_award, late)
    service = SubmissionService(runtime)
    staff = tokens.actors["secretariat"]

    with pytest.raises(Invalid):
        await service.override_rule(submission, "iaec_member", reason="  ", actor=staff)
    with pytest.raises(Invalid) as decision_rule:
        await service.override_rule(submission, "three_laureates", reason="why not", actor=staff)
    await service.override_rule(
        submission, "iaec_member", reason="fees paid on 3 March, not yet booked", actor=staff
    )
    submitted = await service.fire(submission, "submit", actor=late)

    assert decision_rule.value.extra == {"field": "rule"}
    assert submitted.state == "submitted"
    history = await service.history(submission, actor=staff)
    assert [(h.transition, h.reason) for h in history][1:] == [
        ("override:iaec_member", "fees paid on 3 March, not yet booked"),
        ("submit", None),
    ]


async def test_an_ineligible_candidacy_can_be_contested_once_and_re_examined(
    runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    owner, staff = tokens.actors["owner"], tokens.actors["secretariat"]
    service = SubmissionService(runtime)
    submission = await draft(runtime, open_award, owner)
    await service.fire(submission, "submit", actor=owner)
    await service.fire(submission, "mark_ineligible", actor=staff, reason="no mayor's letter")

    contested = await service.fire(submission, "contest", actor=owner, reason="letter attached now")
    await service.fire(submission, "mark_ineligible", actor=staff, reason="letter unsigned")
    failed = await refusal(runtime, submission, "contest", owner, reason="again")

    assert contested.state == "contested"
    assert failed == [{"guard": "contest_once", "reason": "contest was already used once"}]


async def test_a_grace_period_and_an_extension_move_the_deadline_for_whom_they_concern(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    staff = tokens.actors["secretariat"]
    owner, lisboa = tokens.actors["owner"], tokens.actors["other_applicant"]
    await configure(runtime, open_award, tokens, grace_minutes=30)
    call = await CallService(runtime).get(open_award, actor=staff)
    barcelona_first, barcelona_late = [await draft(runtime, open_award, owner) for _ in range(2)]
    lisbon = await draft(runtime, open_award, lisboa)
    await grant_extension(
        runtime,
        open_award,
        organisation="lisboa",
        until=call.closes_at + timedelta(days=2),
        reason="flooding closed the city hall",
        actor=staff,
    )
    service = SubmissionService(runtime)

    clock.now = call.closes_at + timedelta(minutes=29)
    in_grace = await service.fire(barcelona_first, "submit", actor=owner)
    clock.now = call.closes_at + timedelta(days=1)
    failed = await refusal(runtime, barcelona_late, "submit", owner)
    extended = await service.fire(lisbon, "submit", actor=lisboa)

    assert in_grace.state == "submitted"
    assert failed == [
        {
            "guard": "call_accepting_submissions",
            "reason": "the call closed at 2025-10-01 12:00 Europe/Madrid",
        }
    ]
    assert extended.state == "submitted"
    async with runtime.db.read() as session:
        from sqlalchemy import select
        from sqlmodel import col

        mail = await session.scalar(
            select(OutboxMessage).where(col(OutboxMessage.template) == "extension_granted")
        )
    assert mail is not None
    assert (mail.recipient, mail.language) == ("mayor@lisboa.test", "pt")
    assert "até 2025-10-03 12:00 Europe/Madrid" in mail.body_text
    assert "Motivo: flooding closed the city hall" in mail.body_text


async def test_a_stale_settings_version_is_a_conflict_and_bad_settings_name_the_field(
    runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    calls, staff = CallService(runtime), tokens.actors["secretariat"]
    call = await calls.get(open_award, actor=staff)

    with pytest.raises(Invalid) as bad:
        await calls.configure(open_award, {"grace_minutes": -5}, version=call.version, actor=staff)
    with pytest.raises(Conflict):
        await calls.configure(open_award, {}, version=call.version - 1, actor=staff)

    assert bad.value.extra["field"] == "settings.grace_minutes"
    assert isinstance(call, Call)


async def in_review_call(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, call_id: int, cities: int
) -> dict[str, list[int]]:
    """`cities` more cities with one candidacy each, Barcelona with two, all in review and
    the call deciding: {city slug: submission ids}."""
    ids = await candidacies_in_review(runtime, clock, tokens, call_id, cities=cities)
    await CallService(runtime).fire(call_id, "deliberate", actor=tokens.actors["secretariat"])
    return ids


async def test_decision_rules_one_laureate_per_city_three_laureates_seven_finalists(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    ids = await in_review_call(runtime, clock, tokens, open_award, cities=10)
    staff, service = tokens.actors["secretariat"], SubmissionService(runtime)
    barcelona_one, barcelona_two = ids["barcelona"]

    await service.fire(barcelona_one, "award", actor=staff)
    same_city = await refusal(runtime, barcelona_two, "award", staff)
    for number in (1, 2):
        await service.fire(ids[f"city-{number}"][0], "award", actor=staff)
    fourth = await refusal(runtime, ids["city-3"][0], "award", staff)
    for number in range(3, 10):
        await service.fire(ids[f"city-{number}"][0], "mention", actor=staff)
    eighth = await refusal(runtime, ids["city-10"][0], "mention", staff)

    assert same_city == [
        {
            "guard": "one_laureate_per_city",
            "reason": f"Barcelona already has submission {barcelona_one} as laureate; at most one per organisation",
        }
    ]
    assert fourth == [
        {"guard": "three_laureates", "reason": "this call already has 3 laureate; at most 3"}
    ]
    assert eighth == [
        {"guard": "seven_finalists", "reason": "this call already has 7 special_mention; at most 7"}
    ]


async def test_the_jury_may_declare_the_call_void_only_if_nothing_was_awarded(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    ids = await in_review_call(runtime, clock, tokens, open_award, cities=1)
    staff, calls = tokens.actors["secretariat"], CallService(runtime)
    await SubmissionService(runtime).fire(ids["city-1"][0], "award", actor=staff)

    with pytest.raises(TransitionRefused) as refused:
        await calls.fire(open_award, "declare_void", actor=staff, reason="no candidacy good enough")

    assert refused.value.extra["failed_guards"] == [
        {
            "guard": "nothing_awarded",
            "code": "already_in_states",
            "reason": f"submissions {ids['city-1'][0]} are already laureate or special_mention",
        }
    ]


async def test_a_call_with_nothing_awarded_is_declared_void_with_its_reason(
    runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    await in_review_call(runtime, clock, tokens, open_award, cities=1)
    staff, calls = tokens.actors["secretariat"], CallService(runtime)

    void = await calls.fire(
        open_award, "declare_void", actor=staff, reason="no candidacy good enough"
    )

    assert void.call.state == "published"
