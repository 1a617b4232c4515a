"""The Prix AIMF de la Femme Francophone, end to end: member cities nominate one woman each
on the edition's theme, two laureates are chosen, and each city is told in French unless its
people read English. Cities and nominees are illustrative."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from edition_steps import (
    file,
    fire,
    join,
    mails,
    move_call,
    open_call,
    refusal,
    states,
)

from awards.commitments.views import laureate_overview
from awards.members.register import Member, slugify
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens

KIND = "aimf-femme-francophone"
TITLE = {
    "fr": "Prix AIMF de la Femme Francophone 2026 : les femmes et l'action climatique",
    "en": "AIMF Francophone Woman Prize 2026: women and climate action",
}
DEADLINE = datetime(2025, 12, 31, 22, 59, tzinfo=UTC)  # 23:59 in Paris
# (city, country, region, locale of its applicant, nominee, age, role)
NOMINATING = (
    ("Dakar", "SN", "Africa", "fr", "Awa Ndiaye", 29, "civil_society_actor"),
    ("Kigali", "RW", "Africa", "en", "Grace Uwase", 31, "local_elected_official"),
    ("Lille", "FR", "Europe", "fr", "Camille Martin", 34, "local_elected_official"),
    ("Montréal", "CA", "North America", "fr", "Léa Tremblay", 27, "civil_society_actor"),
    ("Tunis", "TN", "Africa", "fr", "Sarra Ben Salah", 33, "civil_society_actor"),
    ("Beyrouth", "LB", "Middle East", "fr", "Rania Haddad", 28, "civil_society_actor"),
    ("Bissau", "GW", "Africa", "pt", "Fatumata Baldé", 32, "local_elected_official"),
)


def nomination(city: str, nominee: str, age: int, role: str) -> dict[str, object]:
    handle = nominee.lower().replace(" ", ".")
    return {
        "nominee_name": nominee,
        "nominee_role": role,
        "nominee_position": "Conseillère municipale"
        if role == "local_elected_official"
        else "Présidente d'association",
        "nominee_age": age,
        "field_of_action": "climate_environment",
        "motivation": f"Elle porte depuis dix ans l'adaptation climatique des quartiers de {city}.",
        "achievements": "Îlots de fraîcheur dans les écoles, collecte des déchets par les femmes.",
        "support_plan": "Étendre le programme à trois autres communes de la région.",
        "nominee_email": f"{handle}@example.test",
        "contact_name": "Cabinet du Maire",
        "contact_email": f"cabinet@{city.lower()}.test",
    }


async def test_an_edition_with_two_laureates_and_mails_in_french_first(
    runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    staff = tokens.actors["secretariat"]
    call = await open_call(
        runtime,
        staff,
        KIND,
        edition="2026",
        title=TITLE,
        opens_at=clock(),
        closes_at=DEADLINE,
        timezone="Europe/Paris",
    )
    cities = await join(
        runtime,
        clock(),
        [
            (Member(city, country, region, "AIMF", 1990, True), locale)
            for city, country, region, locale, *_ in NOMINATING
        ]
        + [(Member("Exempleville", "FR", "Europe", "AIMF", 2021, False), "fr")],
    )
    nominations = {}
    for city, _, _, _, nominee, age, role in NOMINATING:
        slug = slugify(city)
        answers = nomination(city, nominee, age, role)
        nominations[slug] = await file(
            runtime, call, cities[slug], answers, documents=["nomination_letter"]
        )
        await fire(runtime, [nominations[slug]], "submit", cities[slug])
    second = await file(
        runtime,
        call,
        cities["dakar"],
        nomination("Dakar", "Mariama Sow", 26, "civil_society_actor"),
        documents=["nomination_letter"],
    )
    unpaid = await file(
        runtime,
        call,
        cities["exempleville"],
        nomination("Exempleville", "Julie Petit", 30, "local_elected_official"),
        documents=["nomination_letter"],
    )
    outside = await file(
        runtime,
        call,
        tokens.actors["owner"],
        nomination("Barcelona", "Laia Puig", 29, "civil_society_actor"),
        documents=["nomination_letter"],
    )
    refused = [
        await refusal(runtime, second, "submit", cities["dakar"]),
        await refusal(runtime, unpaid, "submit", cities["exempleville"]),
        await refusal(runtime, outside, "submit", tokens.actors["owner"]),
    ]

    unsigned = nominations["beyrouth"]
    await fire(
        runtime,
        [unsigned],
        "mark_ineligible",
        staff,
        reason="la lettre de nomination n'est pas signée par le Maire",
    )
    in_the_running = [n for n in nominations.values() if n != unsigned]
    await fire(runtime, in_the_running, "mark_eligible", staff)
    clock.now = DEADLINE + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, in_the_running, "start_review", staff)
    await move_call(runtime, call, staff, "deliberate")
    laureates = [nominations["dakar"], nominations["kigali"]]
    await fire(runtime, laureates, "award", staff)
    third = await refusal(runtime, nominations["tunis"], "award", staff)
    await fire(runtime, [n for n in in_the_running if n not in laureates], "reject", staff)
    published = await move_call(runtime, call, staff, "publish")
    support = await laureate_overview(runtime, laureates[0], actor=staff)

    assert refused == [
        [
            {
                "guard": "one_nomination_per_city",
                "reason": "Dakar already has 1 submission(s) in this call; at most 1 are allowed",
            }
        ],
        [{"guard": "aimf_member", "reason": "Exempleville's membership fees are not up to date"}],
        [{"guard": "aimf_member", "reason": "Barcelona is not a member of AIMF"}],
    ]
    assert third == [
        {"guard": "two_laureates", "reason": "this call already has 2 laureate; at most 2"}
    ]
    assert published == "published"
    assert await states(runtime, call) == {
        "laureate": 2,
        "not_selected": 4,
        "ineligible": 1,
        "draft": 3,
    }
    dakar = await mails(runtime, recipient="applicant@dakar.test")
    assert [(m.template, m.language) for m in dakar] == [
        ("submission_received", "fr"),
        ("found_eligible", "fr"),
        ("result", "fr"),
    ]
    assert dakar[0].subject == f"Candidature {nominations['dakar']} reçue : {TITLE['fr']}"
    assert dakar[2].body_text.splitlines()[:2] == [
        f"Le jury du Prix AIMF de la Femme Francophone s'est prononcé sur votre candidature "
        f"{nominations['dakar']} à {TITLE['fr']} (2026).",
        "Résultat : lauréate",
    ]
    # The year of support the decision opened, due from the decision's day in its time zone.
    decided_on = support.steps[0].obligation.due_on - timedelta(days=30)
    assert [(s.obligation.name, s.obligation.state) for s in support.steps] == [
        ("agreement", "due"),
        ("midway", "due"),
        ("final", "due"),
    ]
    assert support.steps[2].obligation.due_on == decided_on.replace(year=decided_on.year + 1)
    kigali = await mails(runtime, template="result", recipient="applicant@kigali.test")
    assert [(m.language, m.subject) for m in kigali] == [
        ("en", f"Result of {TITLE['en']} for candidacy {nominations['kigali']}")
    ]
    bissau = await mails(runtime, recipient="applicant@bissau.test")
    assert {m.language for m in bissau} == {"fr"}
    (ineligible,) = await mails(runtime, template="found_ineligible")
    assert ineligible.recipient == "applicant@beyrouth.test"
    assert "Motif : la lettre de nomination n'est pas signée par le Maire" in ineligible.body_text
