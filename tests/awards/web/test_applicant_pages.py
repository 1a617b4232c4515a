"""The applicant's pages: a draft from the call kind's form, autosaved with its version, the
rules checked before submitting, submit and withdraw, history and messages; in their language."""

from __future__ import annotations

from typing import Any

import pytest
from pages import Browser, section, signed_in, text

from awards.db.types import MAX_ROW_ID
from awards.http.retries import ATTEMPTS
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, Tokens, deadlocking_updates, draft
from harness.seeding import complete_answers


def form_of(answers: dict[str, Any], version: int) -> dict[str, Any]:
    """The draft form as the browser posts it (`a.<field>[.<language>]`)."""
    posted: dict[str, Any] = {"version": str(version)}
    for name, value in answers.items():
        if isinstance(value, dict):
            posted.update({f"a.{name}.{language}": text for language, text in value.items()})
        else:
            posted[f"a.{name}"] = value
    return posted


@pytest.fixture
async def owner(client: Client, runtime: Runtime, tokens: Tokens) -> Browser:
    """Barcelona's applicant, whose setting is Spanish."""
    return await signed_in(client, runtime, tokens.actors["owner"])


async def start(owner: Browser, call_id: int) -> str:
    started = await owner.post(f"/my/calls/{call_id}/submissions", follow_redirects=False)
    assert started.status_code == 303, started.text
    return str(started.headers["location"])


async def test_the_form_is_drawn_from_the_kind_in_the_applicants_language(
    owner: Browser, open_award: int
) -> None:
    page = await owner.get(await start(owner, open_award))

    assert page.status_code == 200
    html = page.text
    assert '<html lang="es">' in html
    # One box per language of the call for a multilingual field, each labelled.
    for language, name in (
        ("en", "inglés"),
        ("fr", "francés"),
        ("es", "español"),
        ("pt", "portugués"),
    ):
        assert f'<label for="a-title-{language}">{name}</label>' in html
        assert f'id="a-title-{language}" name="a.title.{language}"' in html
    assert "Título de la experiencia" in text(html)
    assert "Qué hace la experiencia, para quién y por qué responde al tema." in text(html)
    assert "Como máximo 25 palabras" in text(html)
    assert 'aria-required="true"' in html
    assert '<select id="a-focus_area" name="a.focus_area"' in html
    assert 'type="date"' in html and 'type="email"' in html
    assert 'hx-patch="/my/submissions/' in html
    # The file fields are uploads with a progress bar, not inputs of the draft form.
    assert 'data-field="annex"' in html and "<progress" in html
    checks = section(html, "checks")
    assert "✗ no cumplido: Todas las respuestas obligatorias están dadas" in checks
    assert "faltan campos obligatorios: Título de la experiencia, Resumen" in checks


async def test_autosave_keeps_the_answers_and_moves_the_version(
    owner: Browser, open_award: int, runtime: Runtime, tokens: Tokens
) -> None:
    path = await start(owner, open_award)
    submission_id = int(path.rsplit("/", 1)[1])

    saved = await owner.htmx("PATCH", path, form_of(complete_answers(), version=1))

    assert saved.status_code == 200, saved.text
    assert "Guardado (versión 2)." in text(saved.text)
    assert saved.headers["x-submission-version"] == "2"
    # The checks come back with it: nothing missing now, so the preview that sends it is offered.
    assert "✓ cumplido: Todas las respuestas obligatorias están dadas" in section(
        saved.text, "checks"
    )
    assert ">Vista previa y envío</a>" in saved.text
    stored = await SubmissionService(runtime).get(submission_id, actor=tokens.actors["owner"])
    assert stored.answers == complete_answers()
    assert stored.version == 2


async def test_autosave_with_a_stale_version_says_the_draft_changed_elsewhere(
    owner: Browser, open_award: int
) -> None:
    path = await start(owner, open_award)
    assert (
        await owner.htmx("PATCH", path, form_of({"contact_name": "Ada"}, version=1))
    ).status_code == 200

    stale = await owner.htmx("PATCH", path, form_of({"contact_name": "Bea"}, version=1))

    assert stale.status_code == 409
    assert "Este borrador se ha modificado en otro lugar" in text(stale.text)
    assert "Recargar la página" in text(stale.text)


async def test_autosave_that_lost_to_a_concurrent_write_is_saved_on_its_second_run(
    owner: Browser, client: Client, open_award: int
) -> None:
    path = await start(owner, open_award)

    with deadlocking_updates(client, 1) as failed:
        saved = await owner.htmx("PATCH", path, form_of({"contact_name": "Ada"}, version=1))

    assert len(failed) == 1
    assert saved.status_code == 200, saved.text
    assert "Guardado (versión 2)." in text(saved.text)


async def test_autosave_that_keeps_losing_to_concurrent_writes_says_to_try_again(
    owner: Browser, client: Client, open_award: int
) -> None:
    path = await start(owner, open_award)

    with deadlocking_updates(client, ATTEMPTS):
        busy = await owner.htmx("PATCH", path, form_of({"contact_name": "Ada"}, version=1))

    assert busy.status_code == 503
    assert "Ocupado en este momento: inténtelo de nuevo en un instante" in text(busy.text)


async def test_an_answer_over_its_limit_is_kept_as_typed_flagged_and_stops_the_submit(
    owner: Browser, open_award: int, runtime: Runtime, tokens: Tokens
) -> None:
    path = await start(owner, open_award)
    answers = complete_answers()
    title = answers["title"]
    assert isinstance(title, dict)
    long_title = {**title, "en": " ".join(["word"] * 26)}

    answer = await owner.htmx("PATCH", path, form_of({**answers, "title": long_title}, version=1))

    # Kept as typed and flagged: nothing typed is lost, submitting is what refuses it.
    assert answer.status_code == 200
    assert "Guardado. 1 respuesta(s) por corregir antes de presentar" in text(answer.text)
    assert section(answer.text, "error-a-title") == "26 palabras: se admiten 25 como máximo."
    stored = await SubmissionService(runtime).get(
        int(path.rsplit("/", 1)[1]), actor=tokens.actors["owner"]
    )
    assert stored.answers == {**answers, "title": long_title}
    reloaded = await owner.get(path)
    assert " ".join(["word"] * 26) in reloaded.text
    assert section(reloaded.text, "error-a-title") == "26 palabras: se admiten 25 como máximo."
    assert "hay respuestas que corregir primero: Título de la experiencia" in text(
        section(reloaded.text, "checks")
    )


async def test_submit_then_the_history_and_the_message_received(
    owner: Browser, open_award: int
) -> None:
    path = await start(owner, open_award)
    await owner.htmx("PATCH", path, form_of(complete_answers(), version=1))

    submitted = await owner.post(f"{path}/transitions", {"name": "submit", "confirmed": "yes"})

    assert submitted.status_code == 200
    page = text(submitted.text)
    assert "Su candidatura se ha enviado." in page
    assert "Estado: Presentada" in page
    history = section(submitted.text, "history")
    assert "Creada" in history and "Borrador Presentada" in history
    messages = section(submitted.text, "messages")
    assert "Candidacy" in messages or "Candidatura" in messages
    assert "pendiente de envío" in messages
    # A submitted candidacy is read, not edited; withdrawing is offered.
    assert 'id="draft"' not in submitted.text
    assert ">Retirar</button>" in submitted.text


async def test_withdraw_asks_for_confirmation_and_ends_the_candidacy(
    owner: Browser, open_award: int
) -> None:
    path = await start(owner, open_award)
    page = await owner.get(path)
    assert 'data-confirm="¿Retirar esta candidatura? No se puede deshacer."' in page.text

    withdrawn = await owner.post(f"{path}/transitions", {"name": "withdraw"})

    assert "Estado: Retirada" in text(withdrawn.text)
    assert "Vista previa y envío" not in withdrawn.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("other_applicant", 404), ("juror", 403), ("secretariat", 403)],
)
async def test_only_the_owner_sees_the_draft_page(
    client: Client,
    runtime: Runtime,
    tokens: Tokens,
    owner: Browser,
    open_award: int,
    who: str,
    status: int,
) -> None:
    path = await start(owner, open_award)
    browser = (
        Browser(client)
        if who == "anonymous"
        else await signed_in(client, runtime, tokens.actors[who])
    )

    answer = await browser.get(path, follow_redirects=False)

    assert answer.status_code == status
    assert "Título de la experiencia" not in answer.text
    if who == "anonymous":
        assert answer.headers["location"] == f"/login?next={path}"


async def test_another_applicant_cannot_autosave_into_the_draft(
    client: Client, runtime: Runtime, tokens: Tokens, owner: Browser, open_award: int
) -> None:
    path = await start(owner, open_award)
    lisboa = await signed_in(client, runtime, tokens.actors["other_applicant"])

    answer = await lisboa.htmx("PATCH", path, form_of({"contact_name": "Intruder"}, version=1))

    assert answer.status_code == 404
    assert "Intruder" not in (await owner.get(path)).text


async def test_the_overview_lists_the_organisations_submissions_and_the_open_calls(
    client: Client, runtime: Runtime, tokens: Tokens, owner: Browser, open_award: int
) -> None:
    number = (await start(owner, open_award)).rsplit("/", 1)[1]

    mine = text((await owner.get("/my")).text)

    assert f"Candidatura {number} Premio Ciudades Educadoras 2026 Borrador" in mine
    assert "Empezar una candidatura" in mine
    lisboa = await signed_in(client, runtime, tokens.actors["other_applicant"])
    theirs = text((await lisboa.get("/my")).text)
    assert "A sua organização ainda não tem candidaturas." in theirs
    assert f"Candidatura {number}" not in theirs


async def test_choices_read_as_their_labels_in_the_applicants_language(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    owner = tokens.actors["owner"]
    submission = await draft(runtime, open_award, owner, focus_area="lifelong_education")
    browser = await signed_in(client, runtime, owner)

    editing = await browser.get(f"/my/submissions/{submission}")
    await SubmissionService(runtime).fire(submission, "submit", actor=owner)
    submitted = await browser.get(f"/my/submissions/{submission}")

    assert (
        '<option value="lifelong_education" selected>Educación a lo largo de la vida</option>'
        in editing.text
    )
    assert (
        '<option value="socio_labour_integration">Inserción sociolaboral</option>' in editing.text
    )
    assert 'value="17"> Inclusión y cohesión social</label>' in editing.text  # the Charter's
    assert "Eje temático Educación a lo largo de la vida" in text(submitted.text)


@pytest.mark.parametrize("version", ["abc", "²", str(MAX_ROW_ID + 1), "9" * 5000])
async def test_autosave_with_a_version_no_row_can_have_is_422_naming_it(
    owner: Browser, open_award: int, runtime: Runtime, tokens: Tokens, version: str
) -> None:
    """`int()` of it answered 500 (a huge one went to the database)."""
    path = await start(owner, open_award)

    answer = await owner.htmx("PATCH", path, {"version": version, "a.contact_name": "Ada"})

    assert answer.status_code == 422, answer.text
    assert "version" in text(answer.text)
    submission_id = int(path.rsplit("/", 1)[1])
    stored = await SubmissionService(runtime).get(submission_id, actor=tokens.actors["owner"])
    assert "contact_name" not in stored.answers
