"""The committees' pages in French, in headless Chromium against the real server: the
Executive Committee chooses the Congress's host by a vote its President settles and closes;
the Scientific Committee's chair marks the experiences and confirms the programme. No
English word of the pages' catalogue may be left. Screenshots: `var/e2e/fr/committee-*`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from edition_steps import file, fire, join, move_call, open_call
from test_kind_congress_experiences import CITIES as EXPERIENCE_CITIES
from test_kind_congress_experiences import TITLE as PROGRAMME_TITLE
from test_kind_congress_experiences import experience
from test_kind_congress_host_bid import CITIES as BIDDERS
from test_kind_congress_host_bid import DOCUMENTS, PROPOSALS
from test_kind_congress_host_bid import TITLE as HOST_TITLE

from awards.auth.users import add_user
from awards.jury.panel import set_panel
from awards.members.register import Member
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import running_smtp_server
from e2e.browsing import browser, chromium, shoot
from e2e.servers import people_of, running_service
from e2e.test_journey import Journey

PRESIDENT, MEMBER = "presidence@iaec.example", "membre@iaec.example"


async def before_the_committees(runtime: Runtime, staff: Actor) -> None:
    """Two bids before the Executive Committee, two experiences before the Scientific
    Committee; the President chairs both, with one member on the first."""
    now = runtime.clock()
    for email in (PRESIDENT, MEMBER):
        await add_user(runtime.db, email, role="juror", name=email[:6], locale="fr", now=now)
    host = await open_call(
        runtime,
        staff,
        "congress-host-bid",
        edition="2028",
        title=HOST_TITLE,
        opens_at=now,
        closes_at=now + timedelta(days=30),
        timezone="Europe/Madrid",
    )
    bidders = await join(runtime, now, BIDDERS[:2])
    # In French, as the pages around it: no English word of the catalogue in the answers.
    in_french = {
        "theme_rationale": "La ville a fait de ce thème le fil de son plan municipal.",
        "venues": "Palais des congrès, une salle plénière et 14 salles ; accès de plain-pied.",
        "transport": "Aéroport à une demi-heure ; métro jusqu'aux lieux.",
        "funding_plan": "Ville 55 %, région 20 %, mécènes 10 %, inscriptions 15 %.",
        "contact_name": "Bureau des relations internationales",
    }
    bids = [
        await file(runtime, host, bidders[slug], PROPOSALS[slug] | in_french, documents=DOCUMENTS)
        for slug in bidders
    ]
    programme = await open_call(
        runtime,
        staff,
        "congress-experiences",
        edition="2026",
        title=PROGRAMME_TITLE,
        opens_at=now,
        closes_at=now + timedelta(days=30),
        timezone="Europe/Madrid",
    )
    cities = EXPERIENCE_CITIES[:2]
    proposers = await join(
        runtime,
        now,
        [
            (Member(n, c, r, "IAEC", 2000, fees_up_to_date=True), lang)
            for n, c, r, lang, _ in cities
        ],
    )
    french = {
        "summary": "Une politique municipale durable.",
        "description": "Objectifs, partenaires, calendrier et budget.",
        "link_to_theme": "L'éducation, source d'inclusion et de cohésion sociale.",
        "presenter_name": "Direction de l'éducation",
    }
    experiences = [
        await file(runtime, programme, proposers[slug], experience(name, lang, number) | french)
        for number, (slug, (name, _, _, lang, _)) in enumerate(zip(proposers, cities, strict=True))
    ]
    for call, submissions, applicants, panel in (
        (host, bids, bidders, [PRESIDENT, MEMBER]),
        (programme, experiences, proposers, [PRESIDENT]),
    ):
        for submission, applicant in zip(submissions, applicants.values(), strict=True):
            await fire(runtime, [submission], "submit", applicant)
        await fire(runtime, submissions, "mark_eligible", staff)
        await move_call(runtime, call, staff, "close", "start_review")
        await fire(runtime, submissions, "start_review", staff)
        await move_call(runtime, call, staff, "deliberate")
        await set_panel(runtime, call, jurors=panel, president=PRESIDENT, actor=staff)


def test_the_committees_vote_and_select_from_their_pages_in_french(tmp_path: Path) -> None:
    chromium()
    people = people_of("fr")
    with (
        running_smtp_server() as smtp,
        running_service(tmp_path, smtp, people, language="fr", more=before_the_committees) as run,
        browser() as launched,
    ):
        journey = Journey(run, launched, people, "fr")
        try:
            the_executive_committee_chooses_the_host(journey)
            the_scientific_committee_confirms_the_programme(journey)
        except Exception:
            for who, page in journey.pages.items():
                shoot(page, "fr", f"failed-committee-{who}")
            raise


def ballot(page: Any, city: str) -> Any:
    return page.get_by_role("radio", name=re.compile(rf"· {city}$"))


def the_executive_committee_chooses_the_host(journey: Journey) -> None:
    t = journey.t
    member = journey.page("member")
    journey.sign_in(member, MEMBER)
    member.goto(f"{journey.service.base_url}/jury")
    member.get_by_role("link", name=t("body.seat.vote", call=HOST_TITLE["fr"])).click()
    journey.step(member, "committee-01-ballot")
    ballot(member, "Cascais").check()
    member.get_by_role("button", name=t("body.vote.submit")).click()
    journey.notice(member, t("done.voted"))
    journey.step(member, "committee-02-voted")

    president = journey.page("president")
    journey.sign_in(president, PRESIDENT)
    president.goto(member.url.split("?")[0])
    ballot(president, "Katowice").check()
    president.get_by_role("button", name=t("body.vote.submit")).click()
    journey.notice(president, t("done.voted"))
    president.get_by_text(t("body.vote.tie", votes=1)).wait_for()
    journey.step(president, "committee-03-tied")
    ballot(president, "Cascais").check()
    president.get_by_role("button", name=t("body.vote.settle")).click()
    journey.notice(president, t("done.tie_settled"))
    president.get_by_role("button", name=t("body.vote.close")).click()
    journey.notice(president, t("done.vote_closed"))
    assert re.fullmatch(
        t("body.vote.elected", candidacy=r"CHB28-\w+"), president.locator("#elected").inner_text()
    )
    journey.step(president, "committee-04-closed")


def the_scientific_committee_confirms_the_programme(journey: Journey) -> None:
    t = journey.t
    chair = journey.pages["president"]
    chair.goto(f"{journey.service.base_url}/jury")
    chair.get_by_role("link", name=t("body.seat.select", call=PROGRAMME_TITLE["fr"])).click()
    granollers = chair.locator("article", has_text="Granollers")
    granollers.locator("select[name=mark]").select_option("accepted")
    granollers.locator("select[name=programme_format]").select_option("workshop")
    granollers.locator("select[name=programme_slot]").select_option("day_2")
    granollers.get_by_role("button", name=t("body.select.save_mark")).click()
    journey.notice(chair, t("done.marked"))
    journey.step(chair, "committee-05-marked")

    chair.locator("#programme tr", has_text="Gunsan").locator("select").first.select_option(
        "waitlisted"
    )
    chair.get_by_role("button", name=t("body.select.confirm")).click()
    journey.notice(chair, t("done.programme_confirmed"))
    chair.get_by_text(t("body.none")).wait_for()
    journey.step(chair, "committee-06-confirmed")
