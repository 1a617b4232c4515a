"""The Secretariat's pages: calls with only the lifecycle steps allowed now, counts by state,
the eligibility queue, the panel and assignment, the jury's progress, the ranking with each
juror's score distribution drawn in SVG, decisions and exports."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from pages import Browser, section, signed_in, text
from sqlalchemy import select, update
from sqlmodel import col

from awards.auth.users import add_user
from awards.calls.service import CallService, NewCall
from awards.db.tables import OutboxMessage
from awards.jury.reviews import ReviewInput, assignments_of, save_review
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review, draft
from harness.seeding import AWARD_TITLE

EVERY_CRITERION = (
    "relevance",
    "impact",
    "scope",
    "government_involvement",
    "participation",
    "innovation",
)


@pytest.fixture
async def staff(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    return await signed_in(client, runtime, tokens.actors["secretariat"])


async def test_the_calls_show_their_counts_and_only_the_steps_allowed_now(
    staff: Browser, runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    await draft(runtime, open_award, tokens.actors["owner"])
    later = NewCall(
        kind="educating-cities-award",
        edition="2028",
        title={language: f"{title} (2028)" for language, title in AWARD_TITLE.items()},
        opens_at=clock(),
        closes_at=clock() + timedelta(seconds=1),
        timezone="Europe/Madrid",
        languages=["en", "fr", "es", "pt"],
    )
    await CallService(runtime).create(later, actor=tokens.actors["secretariat"])
    clock.advance(timedelta(seconds=2))

    page = await staff.get("/secretariat")

    assert page.status_code == 200
    award = section(page.text, f"call-{open_award}")
    assert award == "Educating Cities Award 2026"
    shown = text(page.text)
    assert "State: Open · Closes 2025-10-01 12:00 Europe/Madrid Draft 1 Close" in shown
    # A step refused now is shown with the check that stops it and why.
    assert (
        "Open The deadline is still ahead: the deadline 2025-09-01 12:00 Europe/Madrid has passed"
        in shown
    )
    actions = re.findall(r'name="name" value="(\w+)"', page.text)
    assert actions == ["close"]  # "open" of the 2028 draft is refused, so it has no form


async def test_the_eligibility_queue_marks_eligible_and_ineligible_with_a_reason(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    service = SubmissionService(runtime)
    first = await draft(runtime, open_award, tokens.actors["owner"])
    second = await draft(runtime, open_award, tokens.actors["owner"])
    for submission in (first, second):
        await service.fire(submission, "submit", actor=tokens.actors["owner"])
    path = f"/secretariat/calls/{open_award}"

    page = await staff.get(path)

    queue = section(page.text, "queue")
    assert (
        f"{first} " in queue
        and "Barcelona" in queue
        and "Schools open to the neighbourhood (en)" in queue
    )
    assert "Mark eligible Reason * (required) Mark ineligible" in queue
    eligible = await staff.post(
        f"{path}/submissions/{first}/transitions", {"name": "mark_eligible"}
    )
    assert "The candidacy is marked eligible." in text(eligible.text)
    no_reason = await staff.post(
        f"{path}/submissions/{second}/transitions", {"name": "mark_ineligible"}
    )
    assert no_reason.status_code == 409
    ineligible = await staff.post(
        f"{path}/submissions/{second}/transitions",
        {"name": "mark_ineligible", "reason": "Fees unpaid"},
    )
    assert "Eligibility queue No candidacy waits for an eligibility decision." in text(
        ineligible.text
    )
    counts = section(ineligible.text, "counts")
    assert counts == "Submissions by state Eligible 1 Ineligible 1"
    history = await service.history(second, actor=tokens.actors["secretariat"])
    assert history[-1].reason == "Fees unpaid"


async def test_the_panel_the_assignment_the_progress_and_the_ranking_with_charts(
    staff: Browser, runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=2)
    await add_user(runtime.db, "second@jury.test", role="juror", name="Second Juror", now=clock())
    path = f"/secretariat/calls/{open_award}"

    panel = await staff.post(
        f"{path}/panel",
        {"jurors": "juror@jury.test\nsecond@jury.test", "president": "juror@jury.test"},
    )
    assigned = await staff.post(f"{path}/assignments", {"round": "preselection"})

    assert "The panel is saved; new jurors are invited by e-mail." in text(panel.text)
    assert "8 assignments made; 0 reviews could not be assigned." in text(assigned.text)
    progress = section(assigned.text, "jury")
    assert "juror@jury.test 4 0 0" in progress and "Second Juror 4 0 0" in progress
    for index, view in enumerate(await assignments_of(runtime, actor=tokens.actors["juror"])):
        scores = {name: float(4 + index) for name in EVERY_CRITERION}
        await save_review(
            runtime,
            view.assignment.id or 0,
            ReviewInput(scores=scores, final=True),
            actor=tokens.actors["juror"],
        )

    page = await staff.get(path)

    assert "juror@jury.test 4 0 4" in section(page.text, "jury")
    ranking = section(page.text, "ranking")
    assert "Round: Preselection" in ranking
    assert "Barcelona" in ranking  # the Secretariat sees who is behind each pseudonym
    chart = re.search(r'<svg class="chart".*?</svg>', page.text, re.S)
    assert chart is not None
    assert 'role="img"' in chart.group(0)
    assert "Score distribution of juror@jury.test" in chart.group(0)
    assert (
        "Number of reviews per score, from 0 to 10: 0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 1,"
        in chart.group(0)
    )
    assert len(re.findall(r'<rect class="bar"', chart.group(0))) == 11
    exports = section(page.text, "exports")
    assert "Reviews (CSV)" in exports
    assert f'href="/api/v1/calls/{open_award}/exports/ranking.json?round=preselection"' in page.text
    csv = await staff.get(f"/api/v1/calls/{open_award}/exports/ranking.csv?round=preselection")
    assert csv.status_code == 200
    assert csv.text.startswith("round,category,rank,pseudonym,score")


async def test_a_decision_is_a_button_of_the_workflow(
    staff: Browser, runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=1)
    path = f"/secretariat/calls/{open_award}"
    await staff.post(f"{path}/transitions", {"name": "deliberate"})
    laureate = ids["city-1"][0]

    page = await staff.get(path)
    row = section(page.text, f"submission-{laureate}")
    assert "Award" in row and "Give a special mention" in row and "Do not select" in row
    awarded = await staff.post(f"{path}/submissions/{laureate}/transitions", {"name": "award"})

    assert "The distinction is awarded." in text(awarded.text)
    assert "Laureate" in section(awarded.text, f"submission-{laureate}")


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("owner", 403), ("juror", 403)])
async def test_only_the_secretariat_sees_its_pages(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int, who: str, status: int
) -> None:
    browser = (
        Browser(client)
        if who == "anonymous"
        else await signed_in(client, runtime, tokens.actors[who])
    )

    for path in ("/secretariat", f"/secretariat/calls/{open_award}"):
        answer = await browser.get(path, follow_redirects=False)
        assert answer.status_code == status
        assert "Eligibility queue" not in answer.text
    refused = await browser.post(f"/secretariat/calls/{open_award}/transitions", {"name": "close"})
    assert refused.status_code in (401, 403)
    call = await CallService(runtime).get(open_award, actor=tokens.actors["secretariat"])
    assert call.state == "open"


async def test_dead_mail_is_listed_with_its_error_and_sent_again(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    submission = await draft(runtime, open_award, tokens.actors["owner"])
    await SubmissionService(runtime).fire(submission, "submit", actor=tokens.actors["owner"])
    async with runtime.db.write() as session:
        await session.execute(
            update(OutboxMessage).values(
                status="dead", attempts=8, last_error="550 5.1.1 No such mailbox here"
            )
        )

    page = await staff.get("/secretariat/mail")

    listed = text(page.text)
    assert "mayor@barcelona.test" in listed
    assert "550 5.1.1 No such mailbox here" in listed
    again = await staff.post(f"/secretariat/mail/{_first_mail(page.text)}/resend")
    assert "The mail is queued again." in text(again.text)
    assert "Every mail was delivered." in text(again.text)
    async with runtime.db.read() as session:
        statuses = set(await session.scalars(select(col(OutboxMessage.status))))
    assert statuses == {"pending"}


def _first_mail(html: str) -> int:
    found = re.search(r"/secretariat/mail/(\d+)/resend", html)
    assert found is not None
    return int(found.group(1))
