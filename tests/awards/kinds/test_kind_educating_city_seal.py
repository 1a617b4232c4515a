"""The Educating City Seal, a kind added with configuration and mail templates only: three
cities' initiatives before the Seal's committee, which recognises one, declines one and keeps
one waiting until it is recognised in turn. Cities and initiatives are illustrative."""

from __future__ import annotations

from datetime import timedelta

from edition_steps import before_the_body, fire, join, mails, move_call, open_call, states

from awards.jury.selections import Entry, confirm_programme, mark, standings
from awards.members.register import Member
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens

TITLE = {
    "en": "Educating City Seal 2026",
    "fr": "Label Ville éducatrice 2026",
    "es": "Sello Ciudad Educadora 2026",
    "pt": "Selo Cidade Educadora 2026",
}
CITIES = [
    (Member("Sabadell", "ES", "Europe", "IAEC", 1998, True), "es"),
    (Member("Braga", "PT", "Europe", "IAEC", 2004, True), "pt"),
    (Member("Rennes", "FR", "Europe", "IAEC", 2001, True), "fr"),
]


def initiative(city: str) -> dict[str, object]:
    return {
        "initiative": f"{city} learns in its streets",
        "description": "Walks where neighbours teach what they know, every month.",
        "charter_principles": ["1", "8"],
        "evidence": "Four hundred walks, twelve thousand participants since 2022.",
        "contact_email": f"seal@{city.lower()}.test",
    }


async def test_the_seal_committee_recognises_an_initiative_declines_one_and_waitlists_one(
    runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    staff = tokens.actors["secretariat"]
    call = await open_call(
        runtime,
        staff,
        "educating-city-seal",
        edition="2026",
        title=TITLE,
        opens_at=clock(),
        closes_at=clock() + timedelta(days=60),
        timezone="Europe/Madrid",
    )
    cities = await join(runtime, clock(), CITIES)
    ids = {}
    for slug, applicant in cities.items():
        draft = await SubmissionService(runtime).create(call, initiative(slug), actor=applicant)
        ids[slug] = draft.id or 0
    chair, member = await before_the_body(
        runtime,
        call,
        staff,
        {ids[slug]: cities[slug] for slug in cities},
        panel=["chair@seal.test", "member@seal.test"],
    )
    outcomes = {"sabadell": "accepted", "braga": "waitlisted", "rennes": "rejected"}
    for who in (chair, member):
        for slug, given in outcomes.items():
            await mark(runtime, call, ids[slug], given=given, inputs={}, actor=who)
    proposed = [s.proposed for s in await standings(runtime, call, actor=chair)]
    await confirm_programme(runtime, call, proposed, actor=chair)
    await fire(runtime, [ids["braga"]], "select", staff)  # what it lacked has come
    published = await move_call(runtime, call, staff, "publish", "archive")

    assert proposed == [
        Entry(ids["sabadell"], "accepted", {}),
        Entry(ids["braga"], "waitlisted", {}),
        Entry(ids["rennes"], "rejected", {}),
    ]
    assert published == "archived"
    assert await states(runtime, call) == {"selected": 2, "not_selected": 1}
    told = {
        slug: [
            m.body_text.splitlines()[0]
            for m in await mails(
                runtime, template="body_decision", recipient=f"applicant@{slug}.test"
            )
        ]
        for slug in cities
    }
    assert told == {
        "sabadell": [
            f"El Comité del Sello ha aceptado su candidatura {ids['sabadell']} a {TITLE['es']} (2026)."
        ],
        "braga": [
            f"O Comité do Selo colocou a sua candidatura {ids['braga']} a {TITLE['pt']} (2026) na "
            "sua lista de espera: terá notícias em breve.",
            f"O Comité do Selo aceitou a sua candidatura {ids['braga']} a {TITLE['pt']} (2026).",
        ],
        "rennes": [
            f"Le Comité du Label n'a pas retenu votre candidature {ids['rennes']} à {TITLE['fr']} "
            "(2026). Merci de l'avoir partagée avec le réseau."
        ],
    }
