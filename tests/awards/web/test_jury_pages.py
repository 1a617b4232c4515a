"""The jury's pages: assignments with progress, the anonymised dossier beside the rubric,
scoring, declaring a conflict, and the president's proposals; never the applicant's identity."""

from __future__ import annotations

import io
import re

import pytest
from pages import Browser, section, signed_in, text
from pypdf import PdfWriter
from sqlalchemy import select, update
from sqlmodel import col

from awards.auth.users import add_user
from awards.calls.service import CallService
from awards.db.tables import Assignment, Call, Submission
from awards.db.types import MAX_ROW_ID
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.jury.reviews import assignments_of
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState
from conftest import Client, MovableClock, Tokens, candidacies_in_review

# What would tell the jury who applied: Barcelona's names, its people and their addresses.
IDENTITY = ("barcelona", "Barcelona", "Ada Serra", "ada.serra", "mayor@", "BARCELONA")


@pytest.fixture
async def reviewing(runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int) -> int:
    """The award reviewing Barcelona's two candidacies, the French juror presiding a panel of
    two, every candidacy assigned to both."""
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    await add_user(runtime.db, "second@jury.test", role="juror", name="Second Juror", now=clock())
    staff = tokens.actors["secretariat"]
    await set_panel(
        runtime,
        open_award,
        jurors=["juror@jury.test", "second@jury.test"],
        president="juror@jury.test",
        actor=staff,
    )
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    return open_award


@pytest.fixture
async def juror(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    return await signed_in(client, runtime, tokens.actors["juror"])


async def first_assignment(runtime: Runtime, actor: Actor) -> int:
    views = await assignments_of(runtime, actor=actor)
    return views[0].assignment.id or 0


async def test_the_assignments_show_pseudonyms_and_progress_in_the_jurors_language(
    juror: Browser, reviewing: int
) -> None:
    page = await juror.get("/jury")

    assert page.status_code == 200
    shown = text(page.text)
    assert "Mon travail de jury" in shown
    assert "0 évaluations définitives sur 2" in shown
    assert re.search(r"ECA26-\w+ [^·]+ Présélection pas encore de date limite pas commencée", shown)
    assert "Délibération : Prix Villes éducatrices 2026" in shown  # the juror presides
    for name in IDENTITY:
        assert name not in page.text


async def test_the_dossier_is_anonymised_beside_the_rubric_in_its_html_source(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int
) -> None:
    assignment = await first_assignment(runtime, tokens.actors["juror"])

    page = await juror.get(f"/jury/assignments/{assignment}")

    assert page.status_code == 200
    for name in IDENTITY:
        assert name not in page.text, name
    dossier = section(page.text, "dossier-title")
    assert "La candidature" in dossier
    shown = text(page.text)
    assert "Schoolyards open after hours as public squares (fr)" in shown
    assert "Notez chaque critère de 0 à 10" in shown
    assert "Pertinence au regard du thème" in shown and "Poids 1" in shown
    assert 'name="score.relevance" min="0" max="10"' in page.text
    assert "Déclarer un conflit d'intérêts" in shown


async def test_a_review_is_saved_as_a_draft_then_finalised(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int
) -> None:
    assignment = await first_assignment(runtime, tokens.actors["juror"])
    path = f"/jury/assignments/{assignment}"
    scores = {f"score.{name}": "7" for name in ("relevance", "impact", "scope")}

    draft = await juror.post(f"{path}/review", {**scores, "comment": "Solid", "final": "0"})

    assert "Votre évaluation est enregistrée comme brouillon." in text(draft.text)
    assert 'name="version" value="1"' in draft.text
    incomplete = await juror.post(
        f"{path}/review", {**scores, "comment": "Solid, and bold", "version": "1", "final": "1"}
    )
    # Not final, but nothing typed is lost: the draft is kept, the unscored criteria named.
    assert incomplete.status_code == 200
    assert "notez d'abord les critères signalés ci-dessous" in text(incomplete.text)
    assert "Solid, and bold" in incomplete.text and 'name="version" value="2"' in incomplete.text
    marked = re.findall(r'id="missing-(\w+)"', incomplete.text)
    assert marked == ["government_involvement", "participation", "innovation"]
    assert "1 évaluations définitives" not in text((await juror.get("/jury")).text)
    everything = {
        f"score.{c}": "8"
        for c in (
            "relevance",
            "impact",
            "scope",
            "government_involvement",
            "participation",
            "innovation",
        )
    }
    final = await juror.post(f"{path}/review", {**everything, "version": "2", "final": "1"})
    assert "Votre évaluation est définitive." in text(final.text)
    assert "1 évaluations définitives sur 2" in text((await juror.get("/jury")).text)


async def test_a_declared_conflict_takes_the_candidacy_away(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int
) -> None:
    assignment = await first_assignment(runtime, tokens.actors["juror"])

    declared = await juror.post(
        f"/jury/assignments/{assignment}/conflict", {"reason": "I advised them"}
    )

    assert "Votre conflit d'intérêts est enregistré" in text(declared.text)
    assert "0 évaluations définitives sur 1" in text(declared.text)
    assert (await juror.get(f"/jury/assignments/{assignment}")).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("owner", 403), ("secretariat", 403)]
)
async def test_only_jurors_see_the_jury_pages(
    client: Client, runtime: Runtime, tokens: Tokens, reviewing: int, who: str, status: int
) -> None:
    assignment = await first_assignment(runtime, tokens.actors["juror"])
    browser = (
        Browser(client)
        if who == "anonymous"
        else await signed_in(client, runtime, tokens.actors[who])
    )

    for path in ("/jury", f"/jury/assignments/{assignment}", f"/jury/calls/{reviewing}"):
        answer = await browser.get(path, follow_redirects=False)
        assert answer.status_code == status, path
        assert "Schoolyards" not in answer.text


async def test_a_juror_sees_neither_anothers_dossier_nor_a_panel_they_do_not_preside(
    client: Client, runtime: Runtime, clock: MovableClock, tokens: Tokens, reviewing: int
) -> None:
    other = await add_user(runtime.db, "second@jury.test", role="juror", now=clock())
    second = await signed_in(client, runtime, Actor.of(other))
    assignment = await first_assignment(runtime, tokens.actors["juror"])

    assert (await second.get(f"/jury/assignments/{assignment}")).status_code == 404
    assert (await second.get(f"/jury/calls/{reviewing}")).status_code == 404


async def test_the_president_proposes_a_laureate_on_the_ranking_under_pseudonyms(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int
) -> None:
    everything = {
        f"score.{c}": "8"
        for c in (
            "relevance",
            "impact",
            "scope",
            "government_involvement",
            "participation",
            "innovation",
        )
    }
    for view in await assignments_of(runtime, actor=tokens.actors["juror"]):
        await juror.post(
            f"/jury/assignments/{view.assignment.id}/review", {**everything, "final": "1"}
        )
    await CallService(runtime).fire(reviewing, "deliberate", actor=tokens.actors["secretariat"])

    page = await juror.get(f"/jury/calls/{reviewing}")

    assert page.status_code == 200
    for name in IDENTITY:
        assert name not in page.text, name
    assert "Tour : Présélection" in text(page.text)
    assert '<svg class="chart"' in page.text
    label = re.findall(r"/jury/calls/\d+/ranking/([^/]+)/transitions", page.text)[0]
    proposed = await juror.post(
        f"/jury/calls/{reviewing}/ranking/{label}/transitions", {"name": "propose_laureate"}
    )
    assert "La candidature est proposée comme lauréate." in text(proposed.text)
    async with runtime.db.read() as session:
        state = await session.scalar(
            select(col(Submission.state)).where(col(Submission.pseudonym) == label)
        )
    assert state == "proposed_laureate"
    # The second proposal for the same city is refused by a rule; the page says which rule,
    # not its text, which names the city.
    assert "Une distinction par organisation" in text(proposed.text)
    for name in IDENTITY:
        assert name not in proposed.text, name


async def test_once_identities_are_revealed_the_dossier_names_the_documents_as_uploaded(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int
) -> None:
    assignment = await first_assignment(runtime, tokens.actors["juror"])
    async with runtime.db.write() as session:
        assigned = await session.get(Assignment, assignment)
        assert assigned is not None
        submission = await session.get(Submission, assigned.submission_id)
        assert submission is not None
        submission.answers = {
            **submission.answers,
            "annex": {"attachment_id": 1, "filename": "Barcelona_annex.pdf", "size": 2048},
        }
        await session.execute(
            update(Call).where(col(Call.id) == reviewing).values(state=CallState.PUBLISHED)
        )

    page = await juror.get(f"/jury/assignments/{assignment}")

    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "Barcelona_annex.pdf" in text(page.text)
    assert "Ajuntament" in text(page.text) or "Barcelona" in text(page.text)


@pytest.mark.parametrize("version", ["abc", "²", str(MAX_ROW_ID + 1), "9" * 5000])
async def test_a_review_posted_with_a_version_no_row_can_have_is_422(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int, version: str
) -> None:
    """ "²" is a digit to `str.isdigit` but not to `int`: a 500; a huge one reached the database."""
    assignment = await first_assignment(runtime, tokens.actors["juror"])

    answer = await juror.post(
        f"/jury/assignments/{assignment}/review", {"score.impact": "7", "version": version}
    )

    assert answer.status_code == 422, answer.text
    assert (await assignments_of(runtime, actor=tokens.actors["juror"]))[0].review is None


EVERY_CRITERION = ("relevance", "impact", "scope", "government_involvement", "participation")
"""All the award's criteria but `innovation`."""


async def test_a_dossier_leads_to_the_previous_and_next_of_the_call_without_the_list(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int
) -> None:
    first, second = [
        (v.assignment.id, v.pseudonym)
        for v in await assignments_of(runtime, actor=tokens.actors["juror"])
    ]

    opening = await juror.get(f"/jury/assignments/{first[0]}")
    following = await juror.get(f"/jury/assignments/{second[0]}")

    assert "Candidature 1 sur 2" in text(opening.text)
    assert re.findall(r'<a rel="(\w+)" href="([^"]+)">', opening.text) == [
        ("next", f"/jury/assignments/{second[0]}")
    ]
    assert f"Suivante : {second[1]}" in text(opening.text)
    assert "Candidature 2 sur 2" in text(following.text)
    assert re.findall(r'<a rel="(\w+)" href="([^"]+)">', following.text) == [
        ("prev", f"/jury/assignments/{first[0]}")
    ]


async def test_the_rubric_shows_its_levels_and_a_saved_draft_its_total_and_levels(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int
) -> None:
    assignment = await first_assignment(runtime, tokens.actors["juror"])
    path = f"/jury/assignments/{assignment}"

    fresh = text((await juror.get(path)).text)
    saved = await juror.post(
        f"{path}/review",
        {"score.relevance": "9", "score.impact": "5", "score.scope": "2,5", "final": "0"},
    )

    assert "Ce que signifient les notes" in fresh
    assert "8\u201310 · Remarquable Une référence dont d'autres villes peuvent s'inspirer." in fresh
    assert "Total pondéré : — sur 10 (0 critères notés sur 6)" in fresh
    # Without JavaScript, the total and each score's level are shown once saved.
    shown = text(saved.text)
    assert "Total pondéré : 5.5 sur 10 (3 critères notés sur 6)" in shown
    levels = dict(re.findall(r'<output class="level" id="level-(\w+)"[^>]*>([^<]*)<', saved.text))
    assert levels == {
        "relevance": "Remarquable",
        "impact": "Bon",
        "scope": "Insuffisant",
        "government_involvement": "",
        "participation": "",
        "innovation": "",
    }


async def test_a_final_review_is_shown_and_can_no_longer_be_changed(
    juror: Browser, runtime: Runtime, tokens: Tokens, reviewing: int
) -> None:
    assignment = await first_assignment(runtime, tokens.actors["juror"])
    path = f"/jury/assignments/{assignment}"
    scores = {f"score.{c}": "8" for c in EVERY_CRITERION} | {"score.innovation": "4"}
    await juror.post(f"{path}/review", {**scores, "comment": "Convincing", "final": "1"})

    page = await juror.get(path)
    again = await juror.post(f"{path}/review", {**scores, "version": "1", "final": "0"})

    assert f'action="{path}/review"' not in page.text
    assert "<input" not in section(page.text, "score-title").split("conflict")[0]
    shown = text(page.text)
    assert (
        "Cette évaluation est définitive : elle ne peut changer que si le Secrétariat la rouvre."
        in shown
    )
    assert "Innovation, consolidation et transférabilité 4 Limité" in shown
    assert "Total pondéré : 7.3 sur 10 (6 critères notés sur 6)" in shown
    assert "Convincing" in shown
    assert again.status_code == 409
    views = await assignments_of(runtime, actor=tokens.actors["juror"])
    review = next(v.review for v in views if v.assignment.id == assignment)
    assert review is not None and (review.final, review.version) == (True, 1)


async def test_the_dossiers_pdf_is_shown_in_the_page_beside_the_rubric_without_its_author(
    juror: Browser, runtime: Runtime, clock: MovableClock, tokens: Tokens, open_award: int
) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Ada Serra", "/Title": "Barcelona candidacy"})
    content = io.BytesIO()
    writer.write(content)
    await candidacies_in_review(
        runtime, clock, tokens, open_award, cities=0, annex=content.getvalue()
    )
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, open_award, jurors=["juror@jury.test"], president=None, actor=staff)
    await assign_round(runtime, open_award, round_name=None, actor=staff)
    assignment = await first_assignment(runtime, tokens.actors["juror"])

    page = await juror.get(f"/jury/assignments/{assignment}")
    frame = re.search(r'<iframe class="document" src="([^"]+)" title="([^"]+)"', page.text)
    assert frame is not None
    shown = await juror.get(frame.group(1))

    assert frame.group(2) == "Le document annex-1.pdf"
    assert frame.group(1).startswith(f"/jury/assignments/{assignment}/documents/")
    assert shown.status_code == 200
    assert shown.content.startswith(b"%PDF")
    for name in IDENTITY:
        assert name.encode() not in shown.content, name
    assert shown.headers["content-disposition"] == "inline"
    assert shown.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in shown.headers["content-security-policy"]
