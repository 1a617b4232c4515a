"""Sending a candidacy from its pages: a read-only preview confirmed before it goes, what
happens next after it went, its receipt as a PDF (on the page and in the mail), and upload
refusals in the page's words."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace

import pytest
from pages import Browser, section, signed_in, text
from pypdf import PdfReader
from test_applicant_pages import form_of, start

from awards.notify.sender import SmtpSender
from awards.notify.worker import Worker
from awards.transitions.runtime import Runtime
from conftest import Client, SmtpServer, Tokens
from harness.seeding import complete_answers

ANNEX = b"%PDF-1.4\n% an annex\n"


@pytest.fixture
async def owner(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    """Barcelona's applicant, whose setting is Spanish."""
    return await signed_in(client, runtime, tokens.actors["owner"])


async def filled(owner: Browser, call_id: int) -> str:
    """A complete draft with its annex uploaded: the path of its page."""
    path = await start(owner, call_id)
    await owner.htmx("PATCH", path, form_of(complete_answers(), version=1))
    uploaded = await owner.request(
        "POST",
        f"/api/v1/submissions/{path.rsplit('/', 1)[1]}/attachments",
        files={"file": ("Anexo.pdf", ANNEX, "application/pdf")},
        data={"field": "annex"},
        headers={"X-CSRFToken": await owner.csrf()},
    )
    assert uploaded.status_code == 201, uploaded.text
    return path


def pdf_text(content: bytes) -> str:
    read = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(read.split())


async def test_the_draft_offers_a_preview_instead_of_sending_at_once(
    owner: Browser, open_award: int
) -> None:
    path = await filled(owner, open_award)

    page = await owner.get(path)

    checks = section(page.text, "checks")
    assert "Vista previa y envío" in checks
    assert f'href="{path}/preview"' in page.text
    assert ">Presentar</button>" not in page.text


async def test_the_preview_shows_the_whole_candidacy_as_the_jury_reads_it(
    owner: Browser, open_award: int
) -> None:
    path = await filled(owner, open_award)

    preview = await owner.get(f"{path}/preview")

    assert preview.status_code == 200
    shown = section(preview.text, "preview")
    assert (
        "Título de la experiencia español Schools open to the neighbourhood (es) "
        "inglés Schools open to the neighbourhood (en)" in shown
    )
    assert "Eje temático Vida cultural y comunitaria" in shown
    assert "Persona de contacto no se muestra al jurado Ada Serra" in shown
    assert "Anexo (PDF) Anexo.pdf" in shown
    send = section(preview.text, "send")
    assert "He leído mi candidatura y confirmo que está completa y es correcta." in send
    assert "Confirmar y enviar" in send


async def test_sending_without_confirming_goes_back_to_the_preview(
    owner: Browser, open_award: int
) -> None:
    path = await filled(owner, open_award)

    unconfirmed = await owner.post(
        f"{path}/transitions", {"name": "submit"}, follow_redirects=False
    )

    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["location"] == f"{path}/preview"
    assert "Estado: Borrador" in text((await owner.get(path)).text)


async def test_after_sending_the_page_says_what_happens_next_in_sentences(
    owner: Browser, open_award: int
) -> None:
    path = await filled(owner, open_award)

    sent = await owner.post(f"{path}/transitions", {"name": "submit", "confirmed": "yes"})

    page = text(sent.text)
    assert "Su candidatura se ha enviado. El acuse de recibo le llega por correo electrónico." in (
        page
    )
    assert "Hecho" not in page
    assert "La convocatoria cierra el 1 de octubre de 2025, 12:00 (Europe/Madrid)." in section(
        sent.text, "next"
    )
    assert "Descargar el acuse de recibo (PDF)" in page


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("en", "The candidacy is withdrawn."),
        ("fr", "La candidature est retirée."),
        ("pt", "A candidatura foi retirada."),
    ],
)
async def test_each_step_done_is_said_in_a_sentence_in_each_language(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int, language: str, notice: str
) -> None:
    person = await signed_in(client, runtime, tokens.actors["owner"])
    await person.post("/language", {"language": language, "next": "/my"})
    path = await start(person, open_award)

    withdrawn = await person.post(f"{path}/transitions", {"name": "withdraw"})

    assert notice in text(withdrawn.text)


async def test_the_receipt_is_a_pdf_of_what_was_sent_in_the_applicants_language(
    owner: Browser, open_award: int
) -> None:
    path = await filled(owner, open_award)
    await owner.post(f"{path}/transitions", {"name": "submit", "confirmed": "yes"})

    receipt = await owner.get(f"{path}/receipt.pdf")

    assert receipt.status_code == 200
    assert receipt.headers["content-type"] == "application/pdf"
    said = pdf_text(receipt.content)
    submission = path.rsplit("/", 1)[1]
    assert f"Acuse de recibo de la candidatura {submission}" in said
    assert "Enviada el 1 de septiembre de 2025, 12:00 (Europe/Madrid)" in said
    assert "Eje temático Vida cultural y comunitaria" in said
    assert "[español] Schools open to the neighbourhood (es)" in said
    assert f"Anexo (PDF): Anexo.pdf SHA-256 {hashlib.sha256(ANNEX).hexdigest()}" in said
    assert "Huella SHA-256 de lo enviado:" in said


async def test_the_mail_saying_the_candidacy_arrived_carries_the_receipt_of_the_page(
    owner: Browser, open_award: int, runtime: Runtime, tokens: Tokens, smtp_server: SmtpServer
) -> None:
    path = await filled(owner, open_award)
    await owner.post(f"{path}/transitions", {"name": "submit", "confirmed": "yes"})
    settings = replace(runtime.settings, smtp_port=smtp_server.port)

    await Worker(runtime, sender=SmtpSender(settings)).drain()

    submission = path.rsplit("/", 1)[1]
    [mail] = [m for m in smtp_server.messages if m["To"] == tokens.actors["owner"].email]
    [attached] = list(mail.iter_attachments())
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_filename() == f"receipt-{submission}-v1.pdf"
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and f"Hemos recibido su candidatura {submission}" in body.get_content()
    assert attached.get_content() == (await owner.get(f"{path}/receipt.pdf")).content
    said = pdf_text(attached.get_content())
    assert "Huella SHA-256 de lo enviado:" in said
    assert f"Acuse de recibo de la candidatura {submission}" in said
    messages = section((await owner.get(path)).text, "messages")
    assert "entregado · con el acuse de recibo (PDF) adjunto" in messages


async def test_a_draft_has_no_receipt(owner: Browser, open_award: int) -> None:
    path = await start(owner, open_award)

    receipt = await owner.get(f"{path}/receipt.pdf")

    assert receipt.status_code == 409
    assert "Descargar el acuse" not in (await owner.get(path)).text


async def test_upload_refusals_are_in_the_pages_language(owner: Browser, open_award: int) -> None:
    path = await start(owner, open_award)

    page = await owner.get(path)

    annex = page.text[page.text.index('data-field="annex"') :]
    assert 'data-problem-too_large="El archivo es demasiado grande: 10 MB como máximo."' in annex
    assert (
        'data-problem-too_many_pages="El documento tiene demasiadas páginas: 300 como máximo."'
        in page.text
    )
    assert (
        'data-problem-not_accepted="Aquí no se acepta este tipo de archivo; '
        'envíe documentos PDF."' in annex
    )
    assert 'data-problem-unrecognised="Este archivo no es un PDF' in page.text


async def test_the_award_is_written_in_one_language_the_applicants_first(
    owner: Browser, open_award: int
) -> None:
    path = await start(owner, open_award)
    spanish_only = {
        name: {"es": value["es"]} if isinstance(value, dict) else value
        for name, value in complete_answers().items()
    }
    await owner.htmx("PATCH", path, form_of(spanish_only, version=1))

    page = await owner.get(path)
    sent = await owner.post(f"{path}/transitions", {"name": "submit", "confirmed": "yes"})

    assert section(page.text, "written-in") == (
        "Escriba los textos en uno de los idiomas de la convocatoria, el que elija: "
        "inglés, francés, español, portugués."
    )
    assert page.text.index('id="a-title-es"') < page.text.index('id="a-title-en"')
    assert "Estado: Presentada" in text(sent.text)
