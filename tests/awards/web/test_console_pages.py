"""The Secretariat's console: a candidacy's page with its documents shown in the page, every
candidacy exported in the language asked, the ranking a committee reads, the dashboard; for
the Secretariat of the call's network only, in a number of statements that does not grow with
the call."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pages import Browser, section, signed_in, text
from pypdf import PdfWriter

from awards.auth.users import add_user
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.jury.reviews import ReviewInput, assignments_of, save_review
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from conftest import (
    Client,
    MovableClock,
    Tokens,
    candidacies_in_review,
    chunks_of,
    counted_queries,
    draft,
)
from harness.seeding import applicant, city

ACCENTS = "Escuelas abiertas al barrio: niñas, açaí, coração, élan"
TITLE = {"en": "Open schools", "fr": "Écoles ouvertes", "es": ACCENTS, "pt": "Escolas abertas"}


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
async def staff(client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock) -> Browser:
    """The Secretariat, reading in Spanish."""
    email = tokens.actors["secretariat"].email
    spanish = await add_user(runtime.db, email, role="secretariat", locale="es", now=clock())
    return await signed_in(client, runtime, Actor.of(spanish))


async def sent(runtime: Runtime, call_id: int, actor: Actor, **answers: object) -> int:
    """A candidacy submitted by `actor`'s city, with an annex in PDF."""
    submission = await draft(runtime, call_id, actor, **answers)
    await AttachmentService(runtime).upload(
        submission, "annex", chunks_of(one_page_pdf()), "Anexo Barcelona.pdf", actor=actor
    )
    await SubmissionService(runtime).fire(submission, "submit", actor=actor)
    return submission


async def test_the_candidacy_page_shows_answers_the_document_history_and_mails_in_spanish(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    submission = await sent(runtime, open_award, tokens.actors["owner"], title=TITLE)

    page = await staff.get(f"/secretariat/submissions/{submission}")

    assert page.status_code == 200
    shown = text(page.text)
    assert f"<h1>{ACCENTS}</h1>" in page.text
    assert f"Candidatura {submission}" in shown and "Barcelona (ES)" in shown
    answers = section(page.text, "answers")
    assert "Persona de contacto Ada Serra" in answers  # the label in the reader's language
    iframe = re.search(r'<iframe src="([^"]+)" title="Anexo Barcelona.pdf"', page.text)
    assert iframe is not None
    document = await staff.get(iframe.group(1))
    assert document.status_code == 200
    assert document.content == one_page_pdf()
    assert document.headers["content-disposition"].startswith("inline;")
    assert document.headers["x-frame-options"] == "SAMEORIGIN"
    download = await staff.get(f"{iframe.group(1)}?download=1")
    assert download.headers["content-disposition"].startswith("attachment;")
    history = section(page.text, "history")
    assert "Iniciada Borrador mayor@barcelona.test" in history
    assert "Presentar Presentada mayor@barcelona.test" in history
    mails = section(page.text, "mails")
    assert "mayor@barcelona.test" in mails
    assert "Los revisores" not in page.text  # reviews are for later
    assert "Las evaluaciones del jurado aparecen aquí" in section(page.text, "reviews")
    listing = await staff.get(f"/secretariat/calls/{open_award}")
    assert f'href="/secretariat/submissions/{submission}"' in listing.text


async def test_only_the_secretariat_of_the_calls_network_opens_a_candidacy(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    submission = await sent(runtime, open_award, tokens.actors["owner"])
    annex = (
        await SubmissionService(runtime).get(submission, actor=tokens.actors["owner"])
    ).answers["annex"]["attachment_id"]
    aimf = Actor.of(
        await add_user(
            runtime.db, "staff@aimf.test", role="secretariat", network="AIMF", now=clock()
        )
    )
    iaec = Actor.of(
        await add_user(
            runtime.db, "staff@iaec.test", role="secretariat", network="IAEC", now=clock()
        )
    )
    path = f"/secretariat/submissions/{submission}"
    paths = (
        path,
        f"/secretariat/submissions/{submission}/documents/{annex}",
        f"/secretariat/calls/{open_award}/candidacies?format=csv",
        f"/secretariat/calls/{open_award}",
        f"/api/v1/submissions/{submission}",
        f"/api/v1/submissions/{submission}/attachments/{annex}",
    )

    for who, status in ((aimf, 404), (iaec, 200), (tokens.actors["secretariat"], 200)):
        browser = await signed_in(client, runtime, who)
        for asked in paths:
            assert (await browser.get(asked)).status_code == status, (who.email, asked)
    for who, calls in ((aimf, 0), (iaec, 1)):
        dashboard = await (await signed_in(client, runtime, who)).get("/secretariat/dashboard")
        assert section(dashboard.text, "live").count("Educating Cities Award 2026") == calls
    for who in (tokens.actors["owner"], tokens.actors["juror"]):
        browser = await signed_in(client, runtime, who)
        for asked in paths[:3]:
            assert (await browser.get(asked)).status_code == 403, (who.email, asked)
    anonymous = await Browser(client).get(path, follow_redirects=False)
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["location"]


async def test_candidacies_export_to_xlsx_in_spanish_with_accents_and_anonymised_by_default(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    await sent(runtime, open_award, tokens.actors["owner"], title=TITLE)
    await draft(runtime, open_award, tokens.actors["other_applicant"])  # a draft: left out
    path = f"/secretariat/calls/{open_award}/candidacies"

    named = await staff.get(f"{path}?format=xlsx&language=es&anonymised=false")
    anonymised = await staff.get(f"{path}?format=xlsx&language=es")

    sheet = load_workbook(io.BytesIO(named.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 2
    header, row = rows
    assert header[:6] == [
        "Número",
        "Seudónimo",
        "Organización",
        "País",
        "Estado",
        "Título de la experiencia",
    ]
    assert "Persona de contacto" in header and "Carta de apoyo firmada por la Alcaldía" in header
    assert row[2:6] == ["Barcelona", "ES", "Presentada", ACCENTS]
    assert row[header.index("Anexo (PDF)")] == "Anexo Barcelona.pdf"
    blind_sheet = load_workbook(io.BytesIO(anonymised.content)).active
    assert blind_sheet is not None
    blind = [[c.value for c in r] for r in blind_sheet.iter_rows()]
    assert "Organización" not in blind[0] and "Persona de contacto" not in blind[0]
    assert "Correo de contacto" not in blind[0] and "Barcelona" not in str(blind[1])
    assert blind[1][blind[0].index("Anexo (PDF)")] == "annex-1.pdf"
    csv_file = await staff.get(f"{path}?format=csv&language=es&anonymised=false")
    assert csv_file.content.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))[1][5] == ACCENTS
    page = await staff.get(f"/secretariat/calls/{open_award}")
    assert (
        "Elimina la organización y su país y estas preguntas: Persona de contacto, Correo de "
        "contacto, Página web de la experiencia, Carta de apoyo firmada por la Alcaldía"
        in section(page.text, "candidacies-export")
    )


async def reviewed(runtime: Runtime, clock: MovableClock, tokens: Tokens, call_id: int) -> None:
    """The award's preselection reviewed by two jurors: the first harsher than the second."""
    await candidacies_in_review(runtime, clock, tokens, call_id, cities=2)
    await add_user(runtime.db, "second@jury.test", role="juror", name="Segunda", now=clock())
    staff = tokens.actors["secretariat"]
    await set_panel(
        runtime,
        call_id,
        jurors=["juror@jury.test", "second@jury.test"],
        president=None,
        actor=staff,
    )
    await assign_round(runtime, call_id, round_name="preselection", actor=staff)
    second = Actor.of(await add_user(runtime.db, "second@jury.test", role="juror", now=clock()))
    jury = runtime.kind("educating-cities-award").jury
    assert jury is not None
    criteria = [c.name for c in jury.round("preselection").rubric.criteria]
    for offset, juror in ((4.0, tokens.actors["juror"]), (6.5, second)):
        for index, view in enumerate(await assignments_of(runtime, actor=juror)):
            scores = dict.fromkeys(criteria, offset + index / 3)
            await save_review(
                runtime,
                view.assignment.id or 0,
                ReviewInput(scores=scores, comment_for_jury="Muy sólida", final=True),
                actor=juror,
            )


async def test_the_committees_ranking_rounds_explains_and_opens_each_candidacys_reviews(
    staff: Browser, runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    await reviewed(runtime, clock, tokens, open_award)

    page = await staff.get(f"/secretariat/calls/{open_award}/ranking?round=preselection")

    assert page.status_code == 200
    shown = text(page.text)
    assert "Schools open to the neighbourhood (es)" in shown  # the title, in Spanish
    scores = re.findall(r"<strong>(\d+\.\d+)</strong>", page.text)
    assert scores and all(len(score.split(".")[1]) == 1 for score in scores)
    assert "indulgencia" in shown.lower() and "Krippendorff" in shown
    first = re.search(r'href="/secretariat/submissions/(\d+)#reviews"', page.text)
    assert first is not None
    chart = re.search(r'<svg class="chart".*?</svg>', page.text, re.S)
    assert chart is not None and re.search(r'<text class="count"[^>]*>\d+</text>', chart.group(0))
    candidacy = await staff.get(f"/secretariat/submissions/{first.group(1)}")
    assert "Muy sólida" in section(candidacy.text, "reviews")


async def test_the_dashboard_says_what_waits_for_the_secretariat(
    staff: Browser, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    await sent(runtime, open_award, tokens.actors["owner"])

    page = await staff.get("/secretariat/dashboard")

    assert page.status_code == 200
    now = section(page.text, "now")
    assert "Educating Cities Award 2026" in now or "Premio" in now
    assert "1 en el estado «Presentada» esperan un paso suyo." in now.replace("“", "«").replace(
        "”", "»"
    )
    live = section(page.text, "live")
    assert "Presentada 1" in live


async def test_the_candidacy_page_and_the_dashboard_read_as_much_for_many_candidacies(
    staff: Browser, runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    async def statements(path: str) -> int:
        with counted_queries(runtime) as counted:
            assert (await staff.get(path)).status_code == 200
        return len(counted)

    first = await sent(runtime, open_award, tokens.actors["owner"])
    few = [
        await statements(f"/secretariat/submissions/{first}"),
        await statements("/secretariat/dashboard"),
    ]
    for number in range(6):
        await sent(runtime, open_award, await applicant(runtime, clock, city(f"City {number}")))
    many = [
        await statements(f"/secretariat/submissions/{first}"),
        await statements("/secretariat/dashboard"),
    ]

    assert many == few
    assert few[0] <= 25 and few[1] <= 12


async def test_a_broken_eligibility_rule_is_overridden_from_the_page_with_its_reason(
    staff: Browser, runtime: Runtime, clock: MovableClock, open_award: int
) -> None:
    unpaid = await applicant(runtime, clock, city("Unpaid", fees=False))
    submission = await draft(runtime, open_award, unpaid)
    path = f"/secretariat/submissions/{submission}"
    before = section((await staff.get(path)).text, "checks")

    overridden = await staff.post(
        f"{path}/overrides", {"rule": "iaec_member", "reason": "Cuotas pagadas en mano"}
    )

    assert "✗" in before and "Unpaid" in before  # the broken rule, and why
    assert "Anular la regla" in before
    assert overridden.status_code == 200
    assert "La regla queda anulada para esta candidatura" in text(overridden.text)
    rules = section(overridden.text, "checks")
    assert "Anulada por staff@edcities.test" in rules and "Cuotas pagadas en mano" in rules
    await SubmissionService(runtime).fire(submission, "submit", actor=unpaid)  # now it may
