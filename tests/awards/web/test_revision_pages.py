"""Return for revision on the pages: the Secretariat's button with its date and message, the
city's page that says why and until when, lets it edit and resubmit, and shows the versions."""

from __future__ import annotations

from pages import Browser, section, signed_in, text
from test_applicant_pages import form_of

from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens, draft
from harness.seeding import complete_answers


async def test_a_candidacy_returned_from_the_queue_is_revised_on_the_citys_page_in_its_language(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    staff = await signed_in(client, runtime, tokens.actors["secretariat"])
    owner: Browser = await signed_in(client, runtime, tokens.actors["owner"])
    submission = await draft(runtime, open_award, tokens.actors["owner"])
    await SubmissionService(runtime).fire(submission, "submit", actor=tokens.actors["owner"])
    queue = section((await staff.get(f"/secretariat/calls/{open_award}")).text, "queue")

    sent_back = await staff.post(
        f"/secretariat/calls/{open_award}/submissions/{submission}/transitions",
        {
            "name": "return_for_revision",
            "i.revise_by": "2025-09-15",
            "reason": "The budget is unclear",
        },
    )
    page = await owner.get(f"/my/submissions/{submission}")
    version = page.text.split('id="version" name="version" value="')[1].split('"')[0]
    saved = await owner.htmx(
        "PATCH",
        f"/my/submissions/{submission}",
        form_of({**complete_answers(), "website": "https://escoles.barcelona.test"}, int(version)),
    )
    resubmitted = await owner.post(
        f"/my/submissions/{submission}/transitions", {"name": "resubmit", "confirmed": "yes"}
    )

    assert "Resubmit by * (required) Reason * (required) Return for revision" in queue
    assert "The candidacy is returned to its applicant for revision." in text(sent_back.text)
    assert "Returned for revision" in section(sent_back.text, "queue")
    revision = section(page.text, "revision")
    assert revision == (
        "Devuelta para revisión La Secretaría le pide que revise su candidatura: "
        "The budget is unclear Modifique sus respuestas y documentos y vuelva a enviarla antes "
        "del final del 2025-09-15."
    )
    assert 'id="draft"' in page.text and "Vista previa y envío" in page.text
    assert saved.status_code == 200, saved.text
    after = text(resubmitted.text)
    assert (
        "Su candidatura revisada se ha enviado de nuevo." in after and "Estado: Presentada" in after
    )
    versions = section(resubmitted.text, "versions")
    assert versions.startswith("Versiones enviadas Versión 2 · Reenviar · ")
    assert (
        "Respuesta Antes Después Página web de la experiencia — https://escoles.barcelona.test"
        in versions
    )
    assert "Versión 1 · Presentar · " in versions and "Primera versión enviada." in versions
