"""The public page of a call, before signing in: what it is, who may apply, the deadline in the
reader's language, the documents, and the eligibility pre-check that says why not."""

from __future__ import annotations

from pages import Browser, section, text

from conftest import Client


async def test_the_call_page_says_who_may_apply_when_and_with_what_in_spanish(
    client: Client, open_award: int
) -> None:
    visitor = Browser(client, accept_language="es")

    page = await visitor.get(f"/calls/{open_award}")

    assert page.status_code == 200
    assert "Premio Ciudades Educadoras, una convocatoria de AICE." in text(page.text)
    calendar = section(page.text, "deadline")
    assert "Cierre 1 de octubre de 2025, 12:00 (Europe/Madrid)" in calendar
    assert "Tiempo restante 30 días" in calendar
    assert "Idiomas de las candidaturas inglés, francés, español, portugués" in calendar
    who = section(page.text, "who")
    assert "Miembros de AICE al corriente de sus cuotas." in who
    assert "Como máximo 2 candidatura(s) por organización." in who
    documents = section(page.text, "documents")
    assert "Anexo (PDF): Fotos, cifras o prensa sobre la experiencia." in documents
    assert "documentos PDF; 10 MB como máximo." in documents


async def test_the_home_page_links_each_open_call_to_its_page(
    client: Client, open_award: int
) -> None:
    home = await Browser(client, accept_language="pt").get("/")

    assert f'<a href="/calls/{open_award}">' in home.text
    assert "Sobre este concurso: quem pode candidatar-se" in text(home.text)


async def test_the_precheck_says_why_a_city_may_not_apply_before_any_account(
    client: Client, open_award: int
) -> None:
    visitor = Browser(client, accept_language="es")

    outsider = await visitor.get(f"/calls/{open_award}", params={"asked": "1", "network": ""})
    late_fees = await visitor.get(f"/calls/{open_award}", params={"asked": "1", "network": "IAEC"})

    verdict = section(outsider.text, "verdict")
    assert "Su organización no puede presentarse:" in verdict
    assert (
        "Miembro al corriente de sus cuotas: Su organización no es miembro de la red AICE"
        in verdict
    )
    assert "registro de miembros de la Secretaría" in verdict
    assert "Las cuotas de su organización no están al día" in section(late_fees.text, "verdict")


async def test_the_precheck_says_a_member_in_good_standing_may_apply(
    client: Client, open_award: int
) -> None:
    visitor = Browser(client, accept_language="pt")

    page = await visitor.get(
        f"/calls/{open_award}", params={"asked": "1", "network": "IAEC", "fees": "yes"}
    )

    assert "A sua organização pode candidatar-se." in section(page.text, "verdict")
    assert '<option value="IAEC" selected>AICE</option>' in page.text


async def test_a_draft_call_has_no_public_page(client: Client, open_award: int) -> None:
    page = await Browser(client, accept_language="es").get("/calls/999999")

    assert page.status_code == 404
    assert "No encontrado" in text(page.text)
