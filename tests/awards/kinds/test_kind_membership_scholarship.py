"""IAEC membership scholarships, end to end: applications from non-member cities of Africa,
Latin America and Asia, a decision that assigns each laureate a mentor city, then two years of
follow-up reports. Cities and their memberships are illustrative."""

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
    stored,
)

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.members.register import Member, slugify
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens

KIND = "membership-scholarship"
TITLE = {
    "en": "IAEC membership scholarships 2026",
    "fr": "Bourses d'adhésion à l'AIVE 2026",
    "es": "Becas de adhesión a la AICE 2026",
    "pt": "Bolsas de adesão à AICE 2026",
}
DEADLINE = datetime(2025, 12, 15, 22, 59, tzinfo=UTC)  # 23:59 in Barcelona
DOCUMENTS = ("mayor_letter", "council_approval")
CANDIDATES = (
    ("Cidade Modelo", "MZ", "Africa", "pt"),
    ("Villa Nueva de Prueba", "CL", "Latin America", "es"),
    ("Bagamoyo", "TZ", "Africa", "en"),
    ("Da Nang", "VN", "Asia-Pacific", "en"),
)


def application(city: str, population: int) -> dict[str, object]:
    return {
        "motivation": f"{city} wants to learn from educating cities and share its own path.",
        "education_policies": "Free pre-school places, a municipal library network, adult literacy.",
        "expectations": "Peer visits, training of municipal staff, joint projects.",
        "population": population,
        "focal_point_name": "Director of education",
        "focal_point_email": f"education@{city.lower().replace(' ', '-')}.test",
    }


async def test_an_edition_from_applications_to_two_years_of_follow_up_with_a_mentor(
    runtime: Runtime,
    tokens: Tokens,
    clock: MovableClock,
    client: Client,
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
        timezone="Europe/Madrid",
    )
    cities = await join(
        runtime,
        clock(),
        [
            (Member(name, country, region, None, None, False), lang)
            for name, country, region, lang in CANDIDATES
        ]
        + [
            (Member("Rosario", "AR", "Latin America", "IAEC", 1994, True), "es"),
            (Member("Gunsan", "KR", "Asia-Pacific", "IAEC", 2012, True), "en"),
            (Member("Dakar", "SN", "Africa", "AIMF", 1979, True), "fr"),
            (Member("Tirana", "AL", "Europe", None, None, False), "en"),
        ],
    )
    applications = {}
    for number, (name, _, _, _) in enumerate(CANDIDATES):
        slug = slugify(name)
        applications[slug] = await file(
            runtime,
            call,
            cities[slug],
            application(name, 80_000 * (number + 1)),
            documents=DOCUMENTS,
        )
        await fire(runtime, [applications[slug]], "submit", cities[slug])
    member = await file(
        runtime, call, cities["rosario"], application("Rosario", 1_300_000), documents=DOCUMENTS
    )
    european = await file(
        runtime, call, cities["tirana"], application("Tirana", 600_000), documents=DOCUMENTS
    )
    refused_member = await refusal(runtime, member, "submit", cities["rosario"])
    refused_region = await refusal(runtime, european, "submit", cities["tirana"])

    await fire(runtime, applications.values(), "mark_eligible", staff)
    clock.now = DEADLINE + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, applications.values(), "start_review", staff)
    await move_call(runtime, call, staff, "deliberate")
    clock.now = datetime(2026, 2, 20, 10, 0, tzinfo=UTC)
    modelo = applications["cidade-modelo"]
    without_mentor = await refusal(runtime, modelo, "award", staff)
    not_a_member = await client.post(
        f"/api/v1/submissions/{modelo}/transitions",
        json={"name": "award", "inputs": {"mentor": "dakar"}},
        headers=tokens.secretariat,
    )
    mentors = {"cidade-modelo": "lisboa", "villa-nueva-de-prueba": "rosario", "da-nang": "gunsan"}
    for slug, mentor in mentors.items():
        await fire(runtime, [applications[slug]], "award", staff, inputs={"mentor": mentor})
    await fire(runtime, [applications["bagamoyo"]], "reject", staff)
    await move_call(runtime, call, staff, "publish")

    clock.now = datetime(2027, 2, 26, 9, 0, tzinfo=UTC)
    first_year = "Two schools joined the network's projects; staff trained with Lisboa."
    await fire(
        runtime,
        [modelo],
        "report_year_one",
        cities["cidade-modelo"],
        inputs={"year_one_report": first_year},
    )
    villa_nueva = applications["villa-nueva-de-prueba"]
    await fire(
        runtime,
        [villa_nueva],
        "report_year_one",
        cities["villa-nueva-de-prueba"],
        inputs={"year_one_report": "Mentoring visits in May and October."},
    )
    await fire(
        runtime,
        [applications["da-nang"]],
        "discontinue",
        staff,
        reason="the city asked to end the scholarship after municipal elections",
    )
    clock.now = datetime(2028, 2, 25, 9, 0, tzinfo=UTC)
    second_year = "A municipal education plan adopted; the city will pay its fees from 2028."
    await fire(
        runtime,
        [modelo],
        "report_year_two",
        cities["cidade-modelo"],
        inputs={"year_two_report": second_year},
    )
    await fire(runtime, [modelo], "complete", staff)

    assert refused_member == [
        {"guard": "not_yet_member", "reason": "Rosario is already a member of IAEC"}
    ]
    assert refused_region == [
        {
            "guard": "eligible_region",
            "reason": "Tirana is in Europe; this call is for Africa, Latin America, Asia-Pacific",
        }
    ]
    assert without_mentor == [{"guard": "mentor", "reason": "mentor must be given"}]
    assert not_a_member.status_code == 422
    assert not_a_member.json() == {
        "status_code": 422,
        "detail": "mentor 'dakar' is not a member of IAEC",
        "extra": {"field": "mentor"},
    }
    assert await states(runtime, call) == {
        "completed": 1,
        "year_one_reported": 1,
        "discontinued": 1,
        "not_selected": 1,
        "draft": 2,
    }
    completed = await stored(runtime, modelo)
    assert completed.inputs == {
        "mentor": "lisboa",
        "year_one_report": first_year,
        "year_two_report": second_year,
    }
    history = await SubmissionService(runtime).history(modelo, actor=staff)
    assert [(h.transition, h.to_state, h.reason) for h in history][4:] == [
        ("award", "awarded", "mentor: lisboa"),
        ("report_year_one", "year_one_reported", f"year_one_report: {first_year}"),
        ("report_year_two", "year_two_reported", f"year_two_report: {second_year}"),
        ("complete", "completed", None),
    ]
    told = await mails(runtime, recipient="applicant@cidade-modelo.test")
    assert [(m.template, m.language) for m in told] == [
        ("submission_received", "pt"),
        ("found_eligible", "pt"),
        ("mentor_assigned", "pt"),
        ("scholarship_followup_due", "pt"),
        ("scholarship_completed", "pt"),
    ]
    assert told[2].subject == f"Bolsa de adesão concedida, cidade mentora designada: {TITLE['pt']}"
    assert "foi designada Lisboa como cidade mentora da sua cidade" in told[2].body_text
    assert told[3].body_text.splitlines()[:2] == [
        "Obrigado pelo relatório de acompanhamento do primeiro ano da bolsa de adesão da sua "
        f"cidade ({TITLE['pt']}, 2026).",
        "O segundo e último relatório de acompanhamento deve ser enviado no final do segundo ano.",
    ]
    (stopped,) = await mails(runtime, template="scholarship_discontinued")
    assert stopped.recipient == "applicant@da-nang.test"
    assert "Reason: the city asked to end the scholarship after municipal elections" in (
        stopped.body_text
    )


async def test_the_executive_committee_selects_the_scholars_with_their_mentors(
    runtime: Runtime, tokens: Tokens, clock: MovableClock, client: Client
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
        timezone="Europe/Madrid",
    )
    cities = await join(
        runtime,
        clock(),
        [(Member(n, c, r, None, None, False), lang) for n, c, r, lang in CANDIDATES]
        + [(Member("Dakar", "SN", "Africa", "AIMF", 1979, True), "fr")],
    )
    ids = {}
    for number, (name, _, _, _) in enumerate(CANDIDATES):
        slug = slugify(name)
        ids[slug] = await file(
            runtime,
            call,
            cities[slug],
            application(name, 90_000 * (number + 1)),
            documents=DOCUMENTS,
        )
        await fire(runtime, [ids[slug]], "submit", cities[slug])
    await fire(runtime, ids.values(), "mark_eligible", staff)
    clock.now = DEADLINE + timedelta(minutes=1)
    await move_call(runtime, call, staff, "close", "start_review")
    await fire(runtime, ids.values(), "start_review", staff)
    await move_call(runtime, call, staff, "deliberate")
    committee = ("president@edcities.test", "vice@edcities.test")
    headers = []
    for email in committee:
        await add_user(runtime.db, email, role="juror", now=clock())
        headers.append(
            {"Authorization": f"Bearer {await issue_token(runtime.db, email, now=clock())}"}
        )
    chair, vice = headers
    await client.put(
        f"/api/v1/calls/{call}/panel",
        json={"jurors": list(committee), "president": committee[0]},
        headers=tokens.secretariat,
    )
    selection = f"/api/v1/calls/{call}/selection"
    for member in (chair, vice):
        for slug, given, inputs in (
            ("cidade-modelo", "accepted", {"mentor": "lisboa"}),
            ("da-nang", "accepted", {"mentor": "dakar"}),
            ("villa-nueva-de-prueba", "waitlisted", {}),
            ("bagamoyo", "rejected", {}),
        ):
            marked = await client.put(
                f"{selection}/{ids[slug]}", json={"mark": given, "inputs": inputs}, headers=member
            )
            assert marked.status_code == 200, marked.text
    proposed = [
        s["proposed"] for s in (await client.get(selection, headers=tokens.secretariat)).json()
    ]
    not_a_member = await client.post(
        f"{selection}/confirm", json={"programme": proposed}, headers=chair
    )
    for entry in proposed:
        if entry["submission_id"] == ids["da-nang"]:
            entry["inputs"] = {"mentor": "barcelona"}
    confirmed = await client.post(
        f"{selection}/confirm", json={"programme": proposed}, headers=chair
    )

    assert not_a_member.status_code == 422
    assert not_a_member.json()["detail"] == "mentor 'dakar' is not a member of IAEC"
    assert confirmed.status_code == 200, confirmed.text
    assert await states(runtime, call) == {"awarded": 2, "waitlisted": 1, "not_selected": 1}
    assert (await stored(runtime, ids["da-nang"])).inputs == {"mentor": "barcelona"}
    (told,) = await mails(runtime, template="mentor_assigned", recipient="applicant@da-nang.test")
    assert "Barcelona" in told.body_text
