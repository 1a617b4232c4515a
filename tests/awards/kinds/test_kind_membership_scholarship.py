"""IAEC membership scholarships, end to end: applications from non-member cities of Africa,
Latin America and Asia, a decision that assigns each laureate a mentor city, then two years of
follow-up reports due on the decision's anniversaries in Barcelona time (reminded, one late,
one returned and sent again) until the last one accepted completes the scholarship. Cities
and their memberships are illustrative."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
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
from awards.commitments.obligations import accept_report, return_report, send_report
from awards.commitments.refusals import CommitmentRefused
from awards.commitments.reminders import remind_commitments
from awards.commitments.views import call_overview
from awards.errors import Forbidden
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

    cidade, villa = cities["cidade-modelo"], cities["villa-nueva-de-prueba"]
    villa_nueva, da_nang = applications["villa-nueva-de-prueba"], applications["da-nang"]

    def year(text: str, exchanges: str) -> dict[str, dict[str, str]]:
        return {
            "answers": {"report": text},
            "indicators": {"mentor_exchanges": exchanges, "services_involved": "3"},
        }

    # A month before the first anniversary (2027-02-20 in Barcelona) each laureate is reminded.
    clock.now = datetime(2027, 1, 21, 9, 0, tzinfo=UTC)
    month_before = await remind_commitments(runtime)
    await fire(
        runtime,
        [da_nang],
        "discontinue",
        staff,
        reason="the city asked to end the scholarship after municipal elections",
    )
    with pytest.raises(CommitmentRefused) as ended:
        await send_report(
            runtime, da_nang, "year_one", **year("Ended.", "0"), version=1, actor=cities["da-nang"]
        )
    clock.now = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)
    first_year = "Two schools joined the network's projects; staff trained with Lisboa."
    await send_report(runtime, modelo, "year_one", **year(first_year, "3"), version=1, actor=cidade)
    clock.now = datetime(2027, 2, 13, 9, 0, tzinfo=UTC)
    week_before = await remind_commitments(runtime)
    clock.now = datetime(2027, 2, 20, 23, 30, tzinfo=UTC)  # 00:30 on the 21st in Barcelona
    late = await remind_commitments(runtime)
    await send_report(
        runtime,
        villa_nueva,
        "year_one",
        **year("Mentoring visits in May and October.", "2"),
        version=1,
        actor=villa,
    )
    for laureate in (modelo, villa_nueva):
        await accept_report(runtime, laureate, "year_one", actor=staff)

    clock.now = datetime(2028, 2, 1, 9, 0, tzinfo=UTC)
    second_year = "A municipal education plan adopted; the city will pay its fees from 2028."
    await send_report(runtime, modelo, "year_two", **year("Done.", "6"), version=1, actor=cidade)
    returned = await return_report(
        runtime,
        modelo,
        "year_two",
        reason="Tell us what the council adopted, and when.",
        actor=staff,
    )
    await send_report(
        runtime,
        modelo,
        "year_two",
        **year(second_year, "6"),
        version=returned.version,
        actor=cidade,
    )
    await accept_report(runtime, modelo, "year_two", actor=staff)
    followed = await call_overview(runtime, call, actor=staff)
    with pytest.raises(Forbidden):  # completed by its last report's acceptance, not by hand
        await fire(runtime, [villa_nueva], "complete", staff)

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
    # Reminded a month before: the three laureates; a week before: only Villa Nueva, which
    # had not sent it (Da Nang was discontinued meanwhile); late: the Secretariat is told.
    assert (month_before, week_before, late) == (3, 1, 1)
    assert ended.value.extra["reason"] == f"the commitments of submission {da_nang} have ended"
    assert await states(runtime, call) == {
        "completed": 1,
        "awarded": 1,
        "discontinued": 1,
        "not_selected": 1,
        "draft": 2,
    }
    completed = await stored(runtime, modelo)
    assert completed.inputs == {"mentor": "lisboa"}
    history = await SubmissionService(runtime).history(modelo, actor=staff)
    assert [(h.transition, h.to_state, h.reason) for h in history][4:] == [
        ("award", "awarded", "mentor: lisboa"),
        ("remind:year_one:2027-02-20:30d", "awarded", "year_one due on 2027-02-20"),
        ("send:year_one", "awarded", None),
        ("accept:year_one", "awarded", None),
        ("send:year_two", "awarded", None),
        ("return:year_two", "awarded", "Tell us what the council adopted, and when."),
        ("send:year_two", "awarded", None),
        ("accept:year_two", "awarded", None),
        ("complete", "completed", "every commitment fulfilled"),
    ]
    told = await mails(runtime, recipient="applicant@cidade-modelo.test")
    assert [(m.template, m.language) for m in told] == [
        ("submission_received", "pt"),
        ("found_eligible", "pt"),
        ("mentor_assigned", "pt"),
        ("commitment_reminder", "pt"),
        ("commitment_returned", "pt"),
        ("scholarship_completed", "pt"),
    ]
    assert told[2].subject == f"Bolsa de adesão concedida, cidade mentora designada: {TITLE['pt']}"
    assert "foi designada Lisboa como cidade mentora da sua cidade" in told[2].body_text
    assert told[3].subject == ("Prazo em 30 dias: Relatório de acompanhamento do primeiro ano")
    assert "a 2027-02-20 (Europe/Madrid)" in told[3].body_text
    assert "Motivo: Tell us what the council adopted, and when." in told[4].body_text
    (villa_late,) = await mails(runtime, template="commitment_late")
    assert villa_late.subject == ("Late: Villa Nueva de Prueba, Follow-up report of the first year")
    # Villa Nueva still owes its second report; the others owe nothing any more.
    assert [(item.organisation, item.next_due) for item in followed.laureates] == [
        ("Villa Nueva de Prueba", date(2028, 2, 20)),
        ("Cidade Modelo", None),
        ("Da Nang", None),
    ]
    assert [(who, report, str(value)) for who, report, value in followed.indicators[0].values] == [
        ("Villa Nueva de Prueba", "year_one", "2"),
        ("Cidade Modelo", "year_one", "3"),
        ("Cidade Modelo", "year_two", "6"),
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
