"""A juror's list (titles as the dossier shows them, the round's deadline, in their language)
and the Secretariat reopening final reviews: one with a reason, or a round until a new
deadline; audited, the juror told in their language, then free to change the review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pages import section, signed_in, text
from sqlalchemy import select, update
from sqlmodel import col

from awards.auth.tokens import issue_token
from awards.auth.users import add_user
from awards.db.tables import Assignment, AuditEntry, OutboxMessage, Submission
from awards.jury.assignment import assign_round, close_round
from awards.jury.deadlines import set_deadline
from awards.jury.panel import set_panel
from awards.jury.reviews import ReviewInput, assignments_of, save_review
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review, counted_queries

SCORES = dict.fromkeys(
    ("relevance", "impact", "scope", "government_involvement", "participation", "innovation"), 7.0
)
TITLE = {"en": "Barcelona's schoolyards", "es": "Los patios de Barcelona abiertos a todos"}


@pytest.fixture
async def lucia(runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int) -> Actor:
    """A Spanish juror, alone on the award's panel, given Barcelona's two candidacies (one
    titled with the city's name) in a round due in ten days."""
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    async with runtime.db.write() as session:
        titled = await session.get(Submission, ids["barcelona"][0])
        assert titled is not None
        titled.answers = {**titled.answers, "title": TITLE}
    user = await add_user(
        runtime.db, "lucia@jury.test", role="juror", name="Lucía", locale="es", now=clock()
    )
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, open_award, jurors=[user.email], president=None, actor=staff)
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    await set_deadline(
        runtime,
        open_award,
        round_name="preselection",
        review_by=clock() + timedelta(days=10),
        reminder_days=None,
        actor=staff,
    )
    return Actor.of(user)


async def finalised(runtime: Runtime, juror: Actor) -> int:
    """The juror's first assignment, its review made final."""
    assignment = (await assignments_of(runtime, actor=juror))[0].assignment.id or 0
    await save_review(runtime, assignment, ReviewInput(SCORES, final=True), actor=juror)
    return assignment


async def mails(runtime: Runtime, template: str) -> list[tuple[str, str, str]]:
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(col(OutboxMessage.template) == template)
        )
        return [(m.recipient, m.language, m.subject) for m in rows]


async def test_the_jurors_list_shows_each_title_redacted_and_the_deadline_in_spanish(
    client: Client, runtime: Runtime, lucia: Actor
) -> None:
    page = await (await signed_in(client, runtime, lucia)).get("/jury")

    shown = text(page.text)
    assert page.status_code == 200
    assert "Los patios de [redacted] abiertos a todos" in shown  # as the dossier shows it
    assert "Barcelona" not in page.text
    assert "Fecha límite" in shown
    assert shown.count("2025-09-11") == 2 and shown.count("quedan 10 días") == 2
    assert "0 de 2 evaluaciones definitivas · por hacer: 0 borrador(es), 2 sin empezar" in shown


async def test_the_jurors_list_reads_as_much_for_one_assignment_as_for_several(
    client: Client, runtime: Runtime, lucia: Actor
) -> None:
    browser = await signed_in(client, runtime, lucia)
    with counted_queries(runtime) as two:
        await browser.get("/jury")
    async with runtime.db.write() as session:
        first = (await assignments_of(runtime, actor=lucia))[0].assignment.id
        await session.execute(
            update(Assignment).where(col(Assignment.id) != first).values(active=False)
        )
    with counted_queries(runtime) as one:
        page = await browser.get("/jury")

    assert "0 de 1 evaluaciones definitivas" in text(page.text)
    assert len(one) == len(two)


async def test_the_secretariat_returns_a_final_review_to_draft_and_the_juror_changes_it(
    client: Client, runtime: Runtime, tokens: Tokens, lucia: Actor, open_award: int
) -> None:
    assignment = await finalised(runtime, lucia)
    juror = await signed_in(client, runtime, lucia)
    scores = {f"score.{name}": "9" for name in SCORES}
    path = f"/jury/assignments/{assignment}/review"
    locked = await juror.post(path, {**scores, "version": "1", "final": "1"})
    staff = await signed_in(client, runtime, tokens.actors["secretariat"])
    submission = (await assignments_of(runtime, actor=lucia))[0].assignment.submission_id
    candidacy = await staff.get(f"/secretariat/submissions/{submission}")
    reopen = f"/secretariat/calls/{open_award}/assignments/{assignment}/reopen"
    confirm = await staff.get(reopen)

    done = await staff.post(reopen, {"reason": "The impact score contradicts the comment"})
    changed = await juror.post(path, {**scores, "version": "2", "final": "1"})

    assert locked.status_code == 409  # final, not reopened
    assert reopen in candidacy.text
    assert "Lucía's final review of ECA26-" in text(section(confirm.text, "consequence"))
    assert "The review is a draft again; its juror is told by e-mail." in text(done.text)
    assert changed.status_code == 200 and 'name="score.impact"' not in changed.text  # final
    review = (await assignments_of(runtime, actor=lucia))[0].review
    assert review is not None and review.final and review.scores["impact"] == 9
    [(recipient, language, subject)] = await mails(runtime, "review_reopened")
    assert (recipient, language) == ("lucia@jury.test", "es")
    assert subject.startswith("Su evaluación de ECA26-") and "vuelve a estar abierta" in subject
    async with runtime.db.read() as session:
        audit = await session.scalar(
            select(AuditEntry).where(col(AuditEntry.transition) == "reopen_review")
        )
    assert audit is not None and audit.submission_id == submission
    assert audit.reason is not None and "contradicts the comment" in audit.reason


async def test_a_closed_round_reopens_until_a_new_deadline_over_the_api(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, lucia: Actor
) -> None:
    assignment = await finalised(runtime, lucia)
    call = (await assignments_of(runtime, actor=lucia))[0].call.id
    await close_round(
        runtime, call or 0, round_name="preselection", actor=tokens.actors["secretariat"]
    )
    juror = {
        "Authorization": f"Bearer {await issue_token(runtime.db, 'lucia@jury.test', now=clock())}"
    }
    review = f"/api/v1/jury/assignments/{assignment}/review"
    body = {"scores": {**SCORES, "impact": 4}, "final": True, "version": 1}
    reopen = f"/api/v1/calls/{call}/rounds/preselection/reopen"
    until = (clock() + timedelta(days=5)).isoformat()

    before = await client.put(review, json=body, headers=juror)
    past = await client.post(
        reopen, json={"review_by": clock().isoformat(), "reason": "x"}, headers=tokens.secretariat
    )
    reopened = await client.post(
        reopen,
        json={"review_by": until, "reason": "A juror misread a rule"},
        headers=tokens.secretariat,
    )
    draft = (await client.get(f"/api/v1/jury/assignments/{assignment}", headers=juror)).json()
    after = await client.put(review, json={**body, "version": 2}, headers=juror)

    assert before.status_code == 409
    assert past.status_code == 422 and past.json()["extra"]["field"] == "review_by"
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["reopened"] == 1
    assert draft["review"]["final"] is False and draft["review"]["version"] == 2
    assert after.status_code == 200 and after.json()["final"] is True
    [(recipient, language, subject)] = await mails(runtime, "round_reopened")
    assert (recipient, language) == ("lucia@jury.test", "es")
    assert subject.startswith("La ronda Preselección de ")
    assert "vuelve a estar abierta hasta el" in subject


async def test_a_round_closed_mail_names_the_round_in_the_catalogues_spanish(
    runtime: Runtime, tokens: Tokens, open_award: int, lucia: Actor
) -> None:
    await close_round(
        runtime, open_award, round_name="preselection", actor=tokens.actors["secretariat"]
    )

    [(recipient, language, subject)] = await mails(runtime, "round_closed")
    assert (recipient, language) == ("lucia@jury.test", "es")
    assert subject.startswith("La ronda Preselección de ") and "preselection" not in subject


async def test_only_the_secretariat_of_the_calls_network_reopens(
    client: Client,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    lucia: Actor,
    open_award: int,
) -> None:
    assignment = await finalised(runtime, lucia)
    aimf = await add_user(
        runtime.db, "staff@aimf.test", role="secretariat", network="AIMF", now=clock()
    )
    path = f"/api/v1/calls/{open_award}/assignments/{assignment}/reopen"
    body = {"reason": "Please look again"}
    lucias = {"Authorization": f"Bearer {await issue_token(runtime.db, lucia.email, now=clock())}"}
    as_juror = await client.post(path, json=body, headers=lucias)
    refused = {
        who: (await client.post(path, json=body, headers=getattr(tokens, who))).status_code
        for who in ("owner", "juror", "anonymous")
    }
    theirs = {"Authorization": f"Bearer {await issue_token(runtime.db, aimf.email, now=clock())}"}
    other_network = await client.post(path, json=body, headers=theirs)

    assert as_juror.status_code == 403
    assert refused == {"owner": 403, "juror": 403, "anonymous": 401}
    assert other_network.status_code == 404
    assert await mails(runtime, "review_reopened") == []
