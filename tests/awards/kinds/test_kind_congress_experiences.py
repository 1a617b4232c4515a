"""The call for experiences of the 18th International Congress (Granollers 2026), end to end.

The real call had 185 proposals from 95 cities and selected 100; this edition keeps its shape
at a smaller size: 7 member cities propose 12 experiences, 1 to 3 each, in the three
formats; the Scientific Committee selects one per city. Cities and their numbers are
illustrative.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from edition_steps import file, fire, join, mails, move_call, open_call, refusal, states, stored

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.errors import Invalid
from awards.members.register import Member, slugify
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens

KIND = "congress-experiences"
TITLE = {
    "en": "18th International Congress of Educating Cities, Granollers 2026: call for experiences",
    "es": "XVIII Congreso Internacional de Ciudades Educadoras, Granollers 2026: convocatoria de experiencias",
    "fr": "XVIIIe Congrès international des Villes éducatrices, Granollers 2026 : appel à expériences",
    "pt": "XVIII Congresso Internacional das Cidades Educadoras, Granollers 2026: chamada de experiências",
}
# (name, country, region, locale, experiences proposed); Barcelona and Lisboa come with `tokens`.
CITIES = (
    ("Granollers", "ES", "Europe", "es", 2),
    ("Gunsan", "KR", "Asia-Pacific", "en", 1),
    ("Rosario", "AR", "Latin America", "es", 2),
    ("Bruxelles", "BE", "Europe", "fr", 1),
    ("Medellín", "CO", "Latin America", "es", 2),
)
TOPICS = (
    "Schoolyards open to the neighbourhood",
    "Intergenerational reading clubs",
    "Children's municipal council",
    "Safe and green routes to school",
    "Adult literacy in municipal markets",
    "Youth employment workshops",
    "Museums for every neighbourhood",
    "Participatory budgeting in secondary schools",
    "Digital skills for older people",
    "Community gardens as classrooms",
    "Inclusive sport leagues",
    "Music schools in the outskirts",
)
FORMATS = ("workshop", "direct_dialogue", "digital_poster")


def experience(city: str, language: str, number: int) -> dict[str, object]:
    """The `number`th proposal of the edition: topics and formats take turns."""
    title = TOPICS[number % len(TOPICS)]
    return {
        "title": f"{title} in {city}",
        "format": FORMATS[number % len(FORMATS)],
        "presentation_language": language,
        "summary": f"{city} turns {title.lower()} into a lasting municipal policy.",
        "description": "Objectives, partners, timeline and budget of the programme.",
        "link_to_theme": "Education as a source of inclusion and social cohesion.",
        "charter_principles": ["1", "17"],
        "presenter_name": "Head of the education department",
        "contact_email": f"education@{city.lower().replace(' ', '')}.test",
    }


async def test_an_edition_from_proposals_to_the_programme_with_one_experience_per_city(
    runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    staff = tokens.actors["secretariat"]
    deadline = datetime(2025, 11, 15, 22, 59, tzinfo=UTC)  # 23:59 in Granollers
    call = await open_call(
        runtime,
        staff,
        KIND,
        edition="2026",
        title=TITLE,
        opens_at=clock(),
        closes_at=deadline,
        timezone="Europe/Madrid",
    )
    applicants = await join(
        runtime,
        clock(),
        [
            (Member(name, country, region, "IAEC", 2000, fees_up_to_date=True), locale)
            for name, country, region, locale, _ in CITIES
        ]
        + [
            (Member("Ciudad Ejemplo", "AR", "Latin America", "IAEC", 2019, False), "es"),
            (Member("Lille", "FR", "Europe", "AIMF", 1990, fees_up_to_date=True), "fr"),
        ],
    )
    applicants |= {"barcelona": tokens.actors["owner"], "lisboa": tokens.actors["other_applicant"]}
    proposing = [("Barcelona", "es", 3), ("Lisboa", "pt", 1)] + [
        (name, locale, count) for name, _, _, locale, count in CITIES
    ]
    proposals: dict[str, list[int]] = {}
    for name, locale, count in proposing:
        slug = slugify(name)
        for _ in range(count):
            answers = experience(name, locale, sum(map(len, proposals.values())))
            submission = await file(runtime, call, applicants[slug], answers)
            await fire(runtime, [submission], "submit", applicants[slug])
            proposals.setdefault(slug, []).append(submission)

    fourth = await file(runtime, call, applicants["barcelona"], experience("Barcelona", "es", 0))
    late_fees = await file(
        runtime, call, applicants["ciudad-ejemplo"], experience("Ciudad Ejemplo", "es", 1)
    )
    outsider = await file(runtime, call, applicants["lille"], experience("Lille", "fr", 2))
    with pytest.raises(Invalid) as keynote:
        await file(runtime, call, applicants["lille"], {"format": "keynote"})
    refused = [
        await refusal(runtime, fourth, "submit", applicants["barcelona"]),
        await refusal(runtime, late_fees, "submit", applicants["ciudad-ejemplo"]),
        await refusal(runtime, outsider, "submit", applicants["lille"]),
    ]

    withdrawn = proposals["rosario"][1]
    await fire(runtime, [withdrawn], "withdraw", applicants["rosario"])
    repeated = proposals["medellin"][1]
    await fire(
        runtime,
        [repeated],
        "mark_ineligible",
        staff,
        reason="the same experience was presented at the previous Congress",
    )
    eligible = [s for ids in proposals.values() for s in ids if s not in (withdrawn, repeated)]
    await fire(runtime, eligible, "mark_eligible", staff)
    clock.now = deadline + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, eligible, "start_review", staff)
    await move_call(runtime, call, staff, "deliberate")
    chosen = [ids[0] for ids in proposals.values()]
    for submission in chosen:
        proposed = (await stored(runtime, submission)).answers["format"]
        placed = {"programme_format": proposed, "programme_slot": "day_1"}
        await fire(runtime, [submission], "select", staff, inputs=placed)
    await fire(runtime, [s for s in eligible if s not in chosen], "reject", staff)
    published = await move_call(runtime, call, staff, "publish")

    assert refused == [
        [
            {
                "guard": "three_per_city",
                "reason": "Barcelona already has 3 submission(s) in this call; at most 3 are allowed",
            }
        ],
        [{"guard": "iaec_member", "reason": "Ciudad Ejemplo's membership fees are not up to date"}],
        [{"guard": "iaec_member", "reason": "Lille is not a member of IAEC"}],
    ]
    assert keynote.value.extra == {
        "field": "format",
        "rule": "must be one of workshop, direct_dialogue, digital_poster",
        "code": "not_an_option",
        "params": {"options": "workshop, direct_dialogue, digital_poster"},
    }
    assert published == "published"
    assert await states(runtime, call) == {
        "selected": 7,
        "not_selected": 3,
        "withdrawn": 1,
        "ineligible": 1,
        "draft": 3,
    }
    results = await mails(runtime, template="experience_selection")
    assert len(results) == 10
    granollers = [m for m in results if m.recipient == "applicant@granollers.test"]
    assert [m.subject for m in granollers] == [
        f"Experiencia {proposals['granollers'][0]} seleccionada: {TITLE['es']}",
        f"Experiencia {proposals['granollers'][1]} no seleccionada: {TITLE['es']}",
    ]
    assert "Modalidad: diálogo directo (5 minutos)" in granollers[0].body_text
    (gunsan,) = [m for m in results if m.recipient == "applicant@gunsan.test"]
    assert gunsan.language == "en"
    assert gunsan.body_text == (
        f"The Scientific Committee of {TITLE['en']} (2026) has selected your experience "
        '"Museums for every neighbourhood in Gunsan" for the programme of the Congress.\n'
        "Format: workshop (10 minutes, with interpretation EN/ES/FR/PT)\n"
        "The Secretariat will write to you about the programme and the practical arrangements.\n"
        "\n"
        f"Follow your proposal at https://awards.test/my/submissions/{proposals['gunsan'][0]}\n"
    )
    (bruxelles,) = [
        m
        for m in results
        if m.recipient == "applicant@bruxelles.test"
        and m.submission_id == proposals["bruxelles"][0]
    ]
    assert bruxelles.subject == f"Expérience {proposals['bruxelles'][0]} retenue : {TITLE['fr']}"
    (ineligible,) = await mails(runtime, template="found_ineligible")
    assert ineligible.recipient == "applicant@medellin.test"
    assert "Motivo: the same experience was presented at the previous Congress" in (
        ineligible.body_text
    )


COMMITTEE = {"chair@granollers2026.test": None, "member@granollers2026.test": "granollers"}
"""The Scientific Committee: its chair, and a member from the host city, which proposes."""


async def experiences_before_the_committee(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> tuple[int, dict[str, int], list[dict[str, str]]]:
    """Every city's experience in review, the call deliberating, and the Committee seated
    through the API; returns the call, the experiences by city and the chair's and the
    member's bearer headers."""
    staff = tokens.actors["secretariat"]
    deadline = clock() + timedelta(days=30)
    call = await open_call(
        runtime,
        staff,
        KIND,
        edition="2026",
        title=TITLE,
        opens_at=clock(),
        closes_at=deadline,
        timezone="Europe/Madrid",
    )
    applicants = await join(
        runtime,
        clock(),
        [
            (Member(name, country, region, "IAEC", 2000, fees_up_to_date=True), locale)
            for name, country, region, locale, _ in CITIES
        ],
    )
    ids = {}
    for number, (name, _, _, locale, _) in enumerate(CITIES):
        slug = slugify(name)
        ids[slug] = await file(runtime, call, applicants[slug], experience(name, locale, number))
        await fire(runtime, [ids[slug]], "submit", applicants[slug])
    await fire(runtime, ids.values(), "mark_eligible", staff)
    clock.now = deadline + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, ids.values(), "start_review", staff)
    await move_call(runtime, call, staff, "deliberate")
    members = {}
    for email, city in COMMITTEE.items():
        await add_user(runtime.db, email, role="juror", organisation=city, now=clock())
        members[email] = {
            "Authorization": f"Bearer {await issue_token(runtime.db, email, now=clock())}"
        }
    await client.put(
        f"/api/v1/calls/{call}/panel",
        json={"jurors": list(COMMITTEE), "president": "chair@granollers2026.test"},
        headers=tokens.secretariat,
    )
    return call, ids, list(members.values())


async def test_the_scientific_committee_marks_the_experiences_and_its_chair_confirms_the_programme(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    call, ids, (chair, member) = await experiences_before_the_committee(
        client, runtime, tokens, clock
    )
    selection = f"/api/v1/calls/{call}/selection"
    workshop = {"programme_format": "workshop", "programme_slot": "day_2"}

    marks = [
        (chair, "granollers", "accepted", workshop),
        (chair, "gunsan", "accepted", {"programme_format": "digital_poster"}),
        (member, "gunsan", "accepted", {"programme_format": "digital_poster"}),
        (chair, "rosario", "waitlisted", {}),
        (member, "rosario", "waitlisted", {}),
        (chair, "bruxelles", "rejected", {}),
        (member, "bruxelles", "accepted", workshop),
        (chair, "medellin", "rejected", {}),
        (member, "medellin", "rejected", {}),
    ]
    for headers, city, given, inputs in marks:
        marked = await client.put(
            f"{selection}/{ids[city]}", json={"mark": given, "inputs": inputs}, headers=headers
        )
        assert marked.status_code == 200, (city, marked.text)
    own_city = await client.put(
        f"{selection}/{ids['granollers']}", json={"mark": "accepted"}, headers=member
    )
    stray = await client.put(
        f"{selection}/{ids['rosario']}",
        json={"mark": "waitlisted", "inputs": workshop},
        headers=member,
    )
    proposed = {
        s["submission_id"]: s["proposed"]
        for s in (await client.get(selection, headers=chair)).json()
    }
    by_member = await client.post(
        f"{selection}/confirm", json={"programme": list(proposed.values())}, headers=member
    )
    incomplete = await client.post(
        f"{selection}/confirm", json={"programme": list(proposed.values())}, headers=chair
    )
    programme = dict(proposed)
    programme[ids["gunsan"]] = {
        "submission_id": ids["gunsan"],
        "mark": "accepted",
        "inputs": {"programme_format": "digital_poster", "programme_slot": "throughout"},
    }
    programme[ids["bruxelles"]] = {
        "submission_id": ids["bruxelles"],
        "mark": "rejected",
        "inputs": {},
    }
    confirmed = await client.post(
        f"{selection}/confirm", json={"programme": list(programme.values())}, headers=chair
    )

    assert own_city.status_code == 409
    assert own_city.json()["extra"]["code"] == "conflicted_member"
    assert stray.status_code == 422
    assert proposed[ids["granollers"]] == {
        "submission_id": ids["granollers"],
        "mark": "accepted",
        "inputs": workshop,
    }
    assert proposed[ids["bruxelles"]]["mark"] == "waitlisted"  # one for, one against
    assert by_member.status_code == 403
    assert incomplete.status_code == 422  # gunsan has no slot yet
    assert confirmed.status_code == 200, confirmed.text
    assert await states(runtime, call) == {"selected": 2, "waitlisted": 1, "not_selected": 2}
    assert (await stored(runtime, ids["gunsan"])).inputs == {
        "programme_format": "digital_poster",
        "programme_slot": "throughout",
    }
    (gunsan,) = await mails(
        runtime, template="experience_selection", recipient="applicant@gunsan.test"
    )
    assert "Format: digital poster" in gunsan.body_text
    assert (
        await mails(runtime, template="experience_selection", recipient="applicant@rosario.test")
        == []
    )
