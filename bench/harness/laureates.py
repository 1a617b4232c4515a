"""Laureates with commitments to follow: an edition of the Prix Égalité Femmes-Hommes
(its kind's `commitments:` section) taken to its decision through the services, one laureate
per category, each with an applicant speaking French. The commitments' tests and their pages'
share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from awards.auth.users import add_user
from awards.calls.service import CallService, NewCall
from awards.members.register import Member, upsert_members
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


class Settable(Protocol):
    """A clock a test moves (`conftest.MovableClock`)."""

    now: datetime

    def __call__(self) -> datetime: ...


KIND = "aimf-gender-equality-prize"
TIMEZONE = "Europe/Paris"
CANDIDATES = (
    (Member("Dakar", "SN", "Africa", "AIMF", 1990, fees_up_to_date=True), "local_authorities"),
    (
        Member("Union des Villes du Bénin", "BJ", "Africa", None, None, fees_up_to_date=False),
        "associations_of_local_authorities",
    ),
    (
        Member("Femmes Bâtisseuses", "CD", "Africa", None, None, fees_up_to_date=False),
        "civil_society_organisations",
    ),
)


@dataclass(frozen=True)
class Prize:
    call: int
    staff: Actor
    laureates: list[int]
    """One per category, in the order of CANDIDATES."""
    applicants: list[Actor]


def answers(category: str) -> dict[str, object]:
    return {
        "category": category,
        "project_title": "Women in the city",
        "summary": "A project run with the women it serves.",
        "equality_objectives": "Equal access to decision-making.",
        "beneficiaries": "2,000 women and girls.",
        "budget_forecast": {"amount": "52000", "currency": "EUR"},
        "budget_use": "Training, equipment, evaluation.",
        "scaling_plan": "Three more districts in year two.",
        "contact_name": "Chargée de projet",
        "contact_email": "projet@example.test",
    }


async def decided_prize(runtime: Runtime, clock: Settable, staff: Actor) -> Prize:
    """A call of the prize decided now, its three laureates' commitments opened."""
    calls, submissions = CallService(runtime), SubmissionService(runtime)
    closes = clock() + timedelta(days=10)
    call = await calls.create(
        NewCall(
            kind=KIND,
            edition="2026",
            title={"fr": "Prix Égalité 2026", "en": "Equality Prize 2026"},
            opens_at=clock(),
            closes_at=closes,
            timezone=TIMEZONE,
            languages=["fr", "en"],
            settings={},
        ),
        actor=staff,
    )
    assert call.id is not None
    await calls.fire(call.id, "open", actor=staff)
    await upsert_members(runtime.db, [member for member, _ in CANDIDATES])
    laureates, applicants = [], []
    for member, category in CANDIDATES:
        user = await add_user(
            runtime.db,
            f"applicant@{member.slug}.test",
            role="applicant",
            organisation=member.slug,
            locale="fr",
            now=clock(),
        )
        applicant = Actor.of(user)
        draft = await submissions.create(call.id, answers(category), actor=applicant)
        assert draft.id is not None
        await submissions.fire(draft.id, "submit", actor=applicant)
        await submissions.fire(draft.id, "mark_eligible", actor=staff)
        laureates.append(draft.id)
        applicants.append(applicant)
    clock.now = closes + timedelta(minutes=1)
    for trigger in ("close", "start_review"):
        await calls.fire(call.id, trigger, actor=staff)
    for laureate in laureates:
        await submissions.fire(laureate, "start_review", actor=staff)
    await calls.fire(call.id, "deliberate", actor=staff)
    for laureate in laureates:
        await submissions.fire(laureate, "award", actor=staff)
    return Prize(call.id, staff, laureates, applicants)
