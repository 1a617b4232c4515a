"""What tests and benchmarks start from, made through the services as the service itself
would: the Secretariat, member cities, an applicant of each (with a bearer token), an open
Educating Cities Award call, and answers that complete its form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.calls.service import CallService, NewCall
from awards.members.member import Member
from awards.members.register import upsert_members
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

AWARD = "educating-cities-award"
LANGUAGES = ("en", "fr", "es", "pt")
AWARD_TITLE = {
    "en": "Educating Cities Award 2026",
    "fr": "Prix Villes éducatrices 2026",
    "es": "Premio Ciudades Educadoras 2026",
    "pt": "Prémio Cidades Educadoras 2026",
}


def complete_answers() -> dict[str, object]:
    """Answers that fill every required field of the award form, in every language, but its
    files."""

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
        "contact_email": "ada.serra@barcelona.test",
    }


def city(
    name: str,
    *,
    network: str | None = "IAEC",
    fees: bool = True,
    region: str = "Europe",
    country: str = "ES",
) -> Member:
    """A member city of the register (since 2000), by default an IAEC city up to date with its
    fees."""
    return Member(name, country, region, network, 2000, fees_up_to_date=fees)


async def secretariat(
    runtime: Runtime, email: str = "staff@edcities.test", *, locale: str = "en"
) -> Actor:
    """A user of the Secretariat."""
    user = await add_user(runtime.db, email, role="secretariat", locale=locale, now=runtime.clock())
    return Actor.of(user)


async def applicant(runtime: Runtime, clock: Callable[[], datetime], member: Member) -> Actor:
    """An applicant of `member` (`mayor@<slug>.test`), the member added to the register."""
    await upsert_members(runtime.db, [member])
    user = await add_user(
        runtime.db,
        f"mayor@{member.slug}.test",
        role="applicant",
        organisation=member.slug,
        now=clock(),
    )
    return Actor.of(user)


async def applicants_with_tokens(runtime: Runtime, members: Sequence[Member]) -> list[str]:
    """An applicant of each of `members`; their bearer tokens, in the same order."""
    tokens = []
    for member in members:
        actor = await applicant(runtime, runtime.clock, member)
        tokens.append(await issue_token(runtime.db, actor.email, now=runtime.clock()))
    return tokens


async def open_award_call(
    runtime: Runtime, staff: Actor, *, opens_at: datetime | None = None
) -> int:
    """The id of an Educating Cities Award call (edition 2026, in Barcelona's time zone) that
    `staff` of the Secretariat made and opened, open for 30 days from `opens_at` (by default
    a day before the runtime's clock: a process started later runs on the system's)."""
    opens_at = opens_at or runtime.clock() - timedelta(days=1)
    calls = CallService(runtime)
    call = await calls.create(
        NewCall(
            kind=AWARD,
            edition="2026",
            title=AWARD_TITLE,
            opens_at=opens_at,
            closes_at=opens_at + timedelta(days=30),
            timezone="Europe/Madrid",
            languages=list(LANGUAGES),
        ),
        actor=staff,
    )
    assert call.id is not None
    await calls.fire(call.id, "open", actor=staff)
    return call.id
