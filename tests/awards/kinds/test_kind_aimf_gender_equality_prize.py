"""The Prix Égalité Femmes-Hommes of the AIMF and the City of Geneva, end to end: candidacies
in three categories, one laureate per category; then each laureate signs its grant agreement
and receives its EUR 30,000 in two instalments, each paid once and only after its condition.
Organisations and projects are illustrative."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from edition_steps import file, fire, join, mails, move_call, open_call, refusal, states, stored

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.commitments.obligations import accept_report, send_report, sign_agreement
from awards.commitments.payments import payments_csv, record_payment
from awards.commitments.refusals import CommitmentRefused
from awards.commitments.views import call_overview
from awards.errors import Invalid
from awards.members.register import Member, slugify
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens
from harness.laureates import decided_prize

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


JURY = {
    "presidente@aimf.test": None,
    "collectivites@aimf.test": LOCAL,
    "associations@aimf.test": ASSOCIATIONS,
    "societe-civile@aimf.test": CIVIL_SOCIETY,
}
"""The president judges every category; each other member, one."""
FAVOURITES = {"Women-led market halls", "Gender budgeting", "Women masons rebuild schools"}
"""The projects the jury scores best, one in each category."""


async def test_each_category_is_judged_by_its_own_jurors_and_ranked_apart_to_one_laureate(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock
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
    entered = [c for c in CANDIDATES if c[0].slug != "cercle-egalite-abidjan"]
    applicants = await join(runtime, clock(), [(member, locale) for member, locale, *_ in entered])
    candidacies, category_of = {}, {}
    for member, _, category, project, budget in entered:
        slug = member.slug
        candidacies[slug] = await file(
            runtime, call, applicants[slug], candidacy(category, project, budget)
        )
        category_of[candidacies[slug]] = category
    for slug, submission in candidacies.items():
        await fire(runtime, [submission], "submit", applicants[slug])
    await fire(runtime, candidacies.values(), "mark_eligible", staff)
    clock.now = DEADLINE + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, candidacies.values(), "start_review", staff)
    jurors = {}
    for email in JURY:
        await add_user(runtime.db, email, role="juror", now=clock())
        jurors[email] = {
            "Authorization": f"Bearer {await issue_token(runtime.db, email, now=clock())}"
        }
    api = f"/api/v1/calls/{call}"
    seated = await client.put(
        f"{api}/panel",
        json={
            "jurors": list(JURY),
            "president": "presidente@aimf.test",
            "categories": {email: c for email, c in JURY.items() if c},
        },
        headers=tokens.secretariat,
    )
    unknown = await client.put(
        f"{api}/panel",
        json={"jurors": list(JURY), "categories": {"presidente@aimf.test": "cities"}},
        headers=tokens.secretariat,
    )
    assigned = await client.post(f"{api}/assignments", json={}, headers=tokens.secretariat)
    judged: dict[str, set[str]] = {}
    for email, headers in jurors.items():
        for item in (await client.get("/api/v1/jury/assignments", headers=headers)).json():
            dossier = (
                await client.get(f"/api/v1/jury/assignments/{item['id']}", headers=headers)
            ).json()
            judged.setdefault(email, set()).add(dossier["answers"]["category"])
            budget_score = 9 if dossier["answers"]["project_title"] in FAVOURITES else 6
            scores = dict(relevance=8, impact=8, budget=budget_score, scaling=8, partnerships=7)
            saved = await client.put(
                f"/api/v1/jury/assignments/{item['id']}/review",
                json={"scores": scores, "final": True},
                headers=headers,
            )
            assert saved.status_code == 200, saved.text
    await move_call(runtime, call, staff, "deliberate")
    ranking = (await client.get(f"{api}/ranking", headers=tokens.secretariat)).json()
    firsts = [standing["entries"][0]["submission_id"] for standing in ranking]
    for submission in firsts:
        awarded = await client.post(
            f"/api/v1/submissions/{submission}/transitions",
            json={"name": "award"},
            headers=tokens.secretariat,
        )
        assert awarded.status_code == 200, awarded.text
    second = next(e["submission_id"] for e in ranking[0]["entries"] if e["rank"] == 2)
    another = await client.post(
        f"/api/v1/submissions/{second}/transitions",
        json={"name": "award"},
        headers=tokens.secretariat,
    )

    assert seated.status_code == 200, seated.text
    assert unknown.status_code == 422
    assert assigned.json()["short"] == {}
    assert judged == {
        "presidente@aimf.test": {LOCAL, ASSOCIATIONS, CIVIL_SOCIETY},
        "collectivites@aimf.test": {LOCAL},
        "associations@aimf.test": {ASSOCIATIONS},
        "societe-civile@aimf.test": {CIVIL_SOCIETY},
    }
    assert sorted(standing["category"] for standing in ranking) == sorted(
        c for c in JURY.values() if c
    )
    assert {s: category_of[s] for s in firsts} == {
        candidacies[slug]: category_of[candidacies[slug]]
        for slug in (
            "dakar",
            "union-des-villes-et-communes-de-cote-d-ivoire",
            "femmes-batisseuses-de-kinshasa",
        )
    }
    assert another.status_code == 409
    assert another.json()["extra"]["failed_guards"][0]["guard"] == "one_laureate_per_category"


async def test_the_three_laureates_sign_their_agreement_and_are_paid_in_two_instalments(
    runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    prize = await decided_prize(runtime, clock, tokens.actors["secretariat"])
    staff = prize.staff

    async def pay(laureate: int, instalment: str, amount: str, reference: str) -> None:
        await record_payment(
            runtime,
            laureate,
            instalment,
            amount=Decimal(amount),
            currency="EUR",
            paid_on=clock().date(),
            reference=reference,
            actor=staff,
        )

    async def refused(laureate: int, instalment: str, amount: str) -> str:
        with pytest.raises(CommitmentRefused) as refusal:
            await pay(laureate, instalment, amount, "VIR-X")
        return str(refusal.value.extra["reason"])

    before_signing = await refused(prize.laureates[0], "first", "18000.00")
    for number, (laureate, applicant) in enumerate(
        zip(prize.laureates, prize.applicants, strict=True), start=1
    ):
        await sign_agreement(runtime, laureate, actor=applicant)
        await pay(laureate, "first", "18000.00", f"VIR-2025-{number}A")
    twice = await refused(prize.laureates[0], "first", "18000.00")
    before_the_report = await refused(prize.laureates[1], "second", "12000.00")
    clock.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for number, (laureate, applicant) in enumerate(
        zip(prize.laureates, prize.applicants, strict=True), start=1
    ):
        await send_report(
            runtime,
            laureate,
            "interim",
            answers={"progress": "Half the training sessions held."},
            indicators={"women_reached": str(300 * number), "grant_spent": "55"},
            version=1,
            actor=applicant,
        )
        await accept_report(runtime, laureate, "interim", actor=staff)
        await pay(laureate, "second", "12000.00", f"VIR-2026-{number}B")
    followed = await call_overview(runtime, prize.call, actor=staff)
    exported = (await payments_csv(runtime, prize.call, actor=staff)).decode("utf-8-sig")

    assert before_signing == "instalment first can be paid only after agreement"
    assert twice == "instalment first was already paid on 2025-09-11"
    assert before_the_report == "instalment second can be paid only after report:interim"
    assert [
        [
            (item.instalment.name, str(item.amount), item.payment is not None)
            for item in laureate.owed
        ]
        for laureate in followed.laureates
    ] == [[("first", "18000.00", True), ("second", "12000.00", True)]] * 3
    assert [(t.planned, t.paid) for t in followed.totals["*"]] == [
        (Decimal("90000.00"), Decimal("90000.00"))
    ]
    for category in (LOCAL, ASSOCIATIONS, CIVIL_SOCIETY):
        assert [(t.planned, t.paid) for t in followed.totals[category]] == [
            (Decimal("30000.00"), Decimal("30000.00"))
        ]
    assert len(exported.splitlines()) == 7  # the header and six instalments
    assert "Femmes Bâtisseuses,civil_society_organisations,second,12000.00,EUR,VIR-2026-3B" in (
        exported
    )
