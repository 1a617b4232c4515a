"""The monograph's call for articles, a kind added with configuration and mail templates
only: authors propose articles, the editorial committee selects them and gives each its
section, its editor confirms the table of contents. Authors and articles are illustrative."""

from __future__ import annotations

from datetime import timedelta

import pytest
from edition_steps import before_the_body, join, mails, move_call, open_call, states, stored

from awards.errors import Invalid
from awards.jury.selections import Entry, confirm_programme, mark
from awards.members.register import Member
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import MovableClock, Tokens

TITLE = {
    "en": "Monograph 2027: the city that cares",
    "fr": "Monographie 2027 : la ville qui prend soin",
    "es": "Monográfico 2027: la ciudad que cuida",
    "pt": "Monografia 2027: a cidade que cuida",
}
AUTHORS = [
    (Member("Granollers", "ES", "Europe", "IAEC", 1994, True), "es"),
    (Member("Lyon", "FR", "Europe", "IAEC", 1992, True), "fr"),
]


def article(city: str, title: str) -> dict[str, object]:
    return {
        "title": title,
        "abstract": f"How {city} turned care into a municipal education policy.",
        "article_language": "en",
        "authors": f"Education department of {city}",
        "contact_email": f"monograph@{city.lower()}.test",
    }


async def test_the_editorial_committee_selects_articles_each_in_its_section(
    runtime: Runtime, tokens: Tokens, clock: MovableClock
) -> None:
    staff = tokens.actors["secretariat"]
    call = await open_call(
        runtime,
        staff,
        "monograph-articles",
        edition="2027",
        title=TITLE,
        opens_at=clock(),
        closes_at=clock() + timedelta(days=45),
        timezone="Europe/Madrid",
    )
    authors = await join(runtime, clock(), AUTHORS)
    drafts = SubmissionService(runtime)
    care = await drafts.create(call, article("Granollers", "Care"), actor=authors["granollers"])
    time = await drafts.create(call, article("Lyon", "Time"), actor=authors["lyon"])
    assert care.id is not None and time.id is not None
    editor, member = await before_the_body(
        runtime,
        call,
        staff,
        {care.id: authors["granollers"], time.id: authors["lyon"]},
        panel=["editor@monograph.test", "member@monograph.test"],
    )
    practices = {"section": "practices"}
    for who in (editor, member):
        await mark(runtime, call, care.id, given="accepted", inputs=practices, actor=who)
        await mark(runtime, call, time.id, given="rejected", inputs={}, actor=who)
    with pytest.raises(Invalid) as no_section:
        await confirm_programme(
            runtime,
            call,
            [Entry(care.id, "accepted", {}), Entry(time.id, "rejected", {})],
            actor=editor,
        )
    await confirm_programme(
        runtime,
        call,
        [Entry(care.id, "accepted", practices), Entry(time.id, "rejected", {})],
        actor=editor,
    )
    published = await move_call(runtime, call, staff, "publish")

    assert no_section.value.message == "an accepted candidacy needs section"
    assert published == "published"
    assert await states(runtime, call) == {"selected": 1, "not_selected": 1}
    assert (await stored(runtime, care.id)).inputs == practices
    (accepted,) = await mails(
        runtime, template="body_decision", recipient="applicant@granollers.test"
    )
    assert accepted.subject == f"Decisión sobre su candidatura {care.id}: {TITLE['es']}"
    assert accepted.body_text.startswith(
        f"El Comité editorial ha aceptado su candidatura {care.id} a {TITLE['es']} (2027)."
    )
