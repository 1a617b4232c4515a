"""The Prix Égalité Femmes-Hommes of the AIMF and the City of Geneva, end to end: candidacies
in three categories, one laureate per category. Organisations and projects are illustrative."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from edition_steps import file, fire, join, mails, move_call, open_call, refusal, states, stored

from awards.errors import Invalid
from awards.members.register import Member, slugify
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens

KIND = "aimf-gender-equality-prize"
TITLE = {
    "fr": "Prix Égalité Femmes-Hommes de l'AIMF et de la Ville de Genève 2026",
    "en": "AIMF and City of Geneva Gender Equality Prize 2026",
}
DEADLINE = datetime(2026, 2, 28, 22, 59, tzinfo=UTC)  # 23:59 in Paris
LOCAL, ASSOCIATIONS, CIVIL_SOCIETY = (
    "local_authorities",
    "associations_of_local_authorities",
    "civil_society_organisations",
)


def city(name: str, country: str, region: str = "Africa") -> Member:
    """A local authority, member of the AIMF with its fees paid."""
    return Member(name, country, region, "AIMF", 1990, fees_up_to_date=True)


def body(name: str, country: str) -> Member:
    """An association of local authorities or a civil-society organisation: no network."""
    return Member(name, country, "Africa", None, None, fees_up_to_date=False)


# (organisation, locale of its applicant, category, project, budget forecast)
CANDIDATES = (
    (city("Dakar", "SN"), "fr", LOCAL, "Women-led market halls", "48000000 XOF"),
    (city("Tunis", "TN"), "fr", LOCAL, "Safe streets after dark", "95000 TND"),
    (city("Hué", "VN", "Asia-Pacific"), "en", LOCAL, "Women on ward councils", "1200000000 VND"),
    (city("Lausanne", "CH", "Europe"), "fr", LOCAL, "Equal pay audit of the city", "60000 CHF"),
    (city("Chefchaouen", "MA"), "fr", LOCAL, "Women's cooperatives in the medina", "250000 MAD"),
    (
        body("Association des Maires du Sénégal", "SN"),
        "fr",
        ASSOCIATIONS,
        "Parity in executives",
        "30000000 XOF",
    ),
    (
        body("Union des Villes et Communes de Côte d'Ivoire", "CI"),
        "fr",
        ASSOCIATIONS,
        "Gender budgeting",
        "52000 EUR",
    ),
    (
        body("Association Nationale des Communes du Bénin", "BJ"),
        "fr",
        ASSOCIATIONS,
        "Women mayors' mentoring circle",
        "41000 EUR",
    ),
    (
        body("Femmes Bâtisseuses de Kinshasa", "CD"),
        "fr",
        CIVIL_SOCIETY,
        "Women masons rebuild schools",
        "38000 USD",
    ),
    (
        body("Filles Leaders de Lomé", "TG"),
        "fr",
        CIVIL_SOCIETY,
        "Girls' district councils",
        "24000000 XOF",
    ),
    (
        body("Maison des Femmes de Cotonou", "BJ"),
        "fr",
        CIVIL_SOCIETY,
        "Legal aid in town halls",
        "33000 EUR",
    ),
    (
        body("Jeunes Femmes Actrices de Ouagadougou", "BF"),
        "fr",
        CIVIL_SOCIETY,
        "Girls back to school after marriage",
        "15000000 XOF",
    ),
    (
        body("Cercle Égalité Abidjan", "CI"),
        "fr",
        LOCAL,
        "Equality ambassadors in schools",
        "29000 EUR",
    ),
)


def candidacy(category: str, project: str, budget: str) -> dict[str, object]:
    amount, currency = budget.split()
    return {
        "category": category,
        "project_title": project,
        "summary": f"{project}: a project run with the women it serves.",
        "equality_objectives": "Equal access to decision-making and to public services.",
        "beneficiaries": "2,000 women and girls in the first year.",
        "budget_forecast": {"amount": amount, "currency": currency},
        "budget_use": "Training 40%, equipment 30%, communication 10%, evaluation 20%.",
        "scaling_plan": "Three more districts in year two, a national network in year three.",
        "contact_name": "Chargée de projet",
        "contact_email": f"projet@{slugify(project)}.test",
    }


async def test_an_edition_with_one_laureate_in_each_of_the_three_categories(
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
    applicants = await join(
        runtime, clock(), [(member, locale) for member, locale, *_ in CANDIDATES]
    )
    candidacies = {}
    for member, _, category, project, budget in CANDIDATES:
        slug = member.slug
        candidacies[slug] = await file(
            runtime, call, applicants[slug], candidacy(category, project, budget)
        )
        await fire(runtime, [candidacies[slug]], "submit", applicants[slug])
    again = await file(
        runtime,
        call,
        applicants["dakar"],
        candidacy(LOCAL, "Women in the city police", "20000 EUR"),
    )
    twice = await refusal(runtime, again, "submit", applicants["dakar"])
    with pytest.raises(Invalid) as spaced:
        await file(
            runtime,
            call,
            applicants["tunis"],
            {"budget_forecast": {"amount": "30 000", "currency": "EUR"}},
        )

    wrong_category = candidacies["cercle-egalite-abidjan"]
    await fire(
        runtime,
        [wrong_category],
        "mark_ineligible",
        staff,
        reason="une organisation de la société civile ne concourt pas dans la catégorie des collectivités locales",
    )
    in_the_running = [c for c in candidacies.values() if c != wrong_category]
    await fire(runtime, in_the_running, "mark_eligible", staff)
    clock.now = DEADLINE + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, in_the_running, "start_review", staff)
    await move_call(runtime, call, staff, "deliberate")
    laureates = [
        candidacies[slug]
        for slug in (
            "dakar",
            "union-des-villes-et-communes-de-cote-d-ivoire",
            "femmes-batisseuses-de-kinshasa",
        )
    ]
    await fire(runtime, laureates, "award", staff)
    fourth = await refusal(runtime, candidacies["filles-leaders-de-lome"], "award", staff)
    await fire(runtime, [c for c in in_the_running if c not in laureates], "reject", staff)
    published = await move_call(runtime, call, staff, "publish")

    assert twice == [
        {
            "guard": "one_per_organisation",
            "reason": "Dakar already has 1 submission(s) in this call; at most 1 are allowed",
        }
    ]
    assert spaced.value.extra == {
        "field": "budget_forecast",
        "rule": "amount must be a decimal number",
        "code": "not_amount",
        "params": {},
    }
    assert fourth == [
        {
            "guard": "one_laureate_per_category",
            "reason": "category civil_society_organisations already has 1 laureate; at most 1",
        }
    ]
    assert published == "published"
    assert await states(runtime, call) == {
        "laureate": 3,
        "not_selected": 9,
        "ineligible": 1,
        "draft": 1,
    }
    awarded = [await stored(runtime, laureate) for laureate in laureates]
    assert [(s.answers["category"], s.answers["project_title"]) for s in awarded] == [
        (LOCAL, "Women-led market halls"),
        (ASSOCIATIONS, "Gender budgeting"),
        (CIVIL_SOCIETY, "Women masons rebuild schools"),
    ]
    results = await mails(runtime, template="result")
    assert len(results) == 12
    (kinshasa,) = [
        m for m in results if m.recipient == "applicant@femmes-batisseuses-de-kinshasa.test"
    ]
    assert (kinshasa.language, kinshasa.subject) == (
        "fr",
        f"Résultat de {TITLE['fr']} pour la candidature {candidacies['femmes-batisseuses-de-kinshasa']}",
    )
    assert "Résultat : lauréate" in kinshasa.body_text
