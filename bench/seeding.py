"""What the benchmarks start from, made through the services as the service itself would:
the Secretariat, an open Educating Cities Award call, member cities with an applicant each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService, NewCall
from awards.members.member import Member
from awards.members.register import upsert_members
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

AWARD = "educating-cities-award"
LANGUAGES = ["en", "fr", "es", "pt"]


def complete_answers() -> dict[str, object]:
    """Answers that fill every required field of the award form except its files."""

    def each(text: str) -> dict[str, str]:
        return {language: f"{text} ({language})" for language in LANGUAGES}

    return {
        "title": each("Schools open to the neighbourhood"),
        "summary": each("Schoolyards open after hours as public squares"),
        "focus_area": "cultural_community_life",
        "started_on": "2022-09-01",
        "description": each("The city opens 40 schoolyards on weekends"),
        "impact": each("12,000 visits a month"),
        "contact_name": "Ada Serra",
        "contact_email": "ada.serra@city.example",
    }


def member_city(number: int) -> Member:
    return Member(f"Bench City {number}", "ES", "Europe", "IAEC", 2000, fees_up_to_date=True)


async def open_award_call(runtime: Runtime) -> tuple[int, Actor]:
    """A Secretariat user and an award call open for the next 30 days: (call id, actor)."""
    now = datetime.now(UTC)
    staff = Actor.of(await add_user(runtime.db, "staff@bench.example", role="secretariat", now=now))
    calls = CallService(runtime)
    call = await calls.create(
        NewCall(
            kind=AWARD,
            edition="bench",
            title={language: "Educating Cities Award (bench)" for language in LANGUAGES},
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            timezone="Europe/Madrid",
            languages=LANGUAGES,
        ),
        actor=staff,
    )
    assert call.id is not None
    await calls.fire(call.id, "open", actor=staff)
    return call.id, staff


async def applicants_with_tokens(runtime: Runtime, count: int) -> list[str]:
    """`count` member cities with an applicant each; the applicants' bearer tokens, in order."""
    now = datetime.now(UTC)
    members = [member_city(number) for number in range(count)]
    await upsert_members(runtime.db, members)
    tokens = []
    for member in members:
        email = f"mayor@{member.slug}.example"
        await add_user(runtime.db, email, role="applicant", organisation=member.slug, now=now)
        tokens.append(await issue_token(runtime.db, email, now=now))
    return tokens
