"""The call for experiences of the 18th International Congress (Granollers 2026), end to end.

The real call had 185 proposals from 95 cities and selected 100; this edition keeps its shape
at a smaller size: 7 member cities propose 12 experiences, 1 to 3 each, in the three
formats; the Scientific Committee selects one per city. Cities and their numbers are
illustrative.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from edition_steps import file, fire, join, mails, move_call, open_call, refusal, states

from awards.errors import Invalid
from awards.members.register import Member, slugify
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens

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
    await fire(runtime, chosen, "select", staff)
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
