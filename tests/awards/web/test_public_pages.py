"""The public pages: open calls with their deadline in the visitor's time zone, each page in
the visitor's language, and the language switcher."""

from __future__ import annotations

import pytest
from pages import Browser, signed_in, text

from awards.transitions.runtime import Runtime
from conftest import Client, Tokens
from harness.seeding import AWARD_TITLE


async def test_the_open_calls_show_their_deadline_in_the_visitors_zone(
    client: Client, open_award: int
) -> None:
    visitor = Browser(client, accept_language="es-ES,es;q=0.9")

    first = await visitor.get("/")
    visitor.cookies["tz"] = "America/Bogota"
    local = await visitor.get("/")

    assert first.status_code == 200
    assert "Premio Ciudades Educadoras 2026 Cierre 2025-10-01 12:00 Europe/Madrid" in text(
        first.text
    )
    assert '<time datetime="2025-10-01T10:00:00Z" data-zone="Europe/Madrid">' in first.text
    assert "Cierre 2025-10-01 05:00 America/Bogota" in text(local.text)
    assert "Iniciar sesión para presentar una candidatura" in text(local.text)


async def test_an_unknown_zone_is_ignored(client: Client, open_award: int) -> None:
    visitor = Browser(client, {"tz": "Mars/Olympus_Mons"})

    page = await visitor.get("/")

    assert "Closes 2025-10-01 12:00 Europe/Madrid" in text(page.text)


async def test_a_visitor_chooses_a_language_over_the_browsers(
    client: Client, open_award: int
) -> None:
    visitor = Browser(client, accept_language="en")

    chosen = await visitor.post("/language", {"language": "pt", "next": "/"})

    assert '<html lang="pt">' in chosen.text
    assert "Concursos abertos" in text(chosen.text)
    assert "Prémio Cidades Educadoras 2026" in text(chosen.text)


async def test_a_signed_in_users_setting_wins_and_the_switcher_changes_it(
    client: Client, runtime: Runtime, tokens: Tokens, open_award: int
) -> None:
    juror = await signed_in(client, runtime, tokens.actors["juror"], language="es")

    assert '<html lang="fr">' in (await juror.get("/")).text
    await juror.post("/language", {"language": "en", "next": "/jury"})

    assert '<html lang="en">' in (await juror.get("/jury")).text
    again = await signed_in(client, runtime, tokens.actors["juror"], language="pt")
    assert "My jury work" in text((await again.get("/jury")).text)


async def test_a_next_page_elsewhere_is_not_followed(client: Client) -> None:
    answer = await Browser(client).post(
        "/language", {"language": "fr", "next": "//evil.example/"}, follow_redirects=False
    )

    assert answer.headers["location"] == "/"


async def test_static_files_are_served_without_a_session_lookup(client: Client) -> None:
    script = await Browser(client, {"awards_session": "not-a-session"}).get("/static/js/awards.js")

    assert script.status_code == 200
    assert "XMLHttpRequest" in script.text
    assert script.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("who", "link", "language"),
    [
        ("anonymous", "/login", "en"),
        ("owner", "/my", "es"),
        ("other_applicant", "/my", "pt"),
        ("juror", "/jury", "fr"),
        ("secretariat", "/secretariat", "en"),
    ],
)
async def test_everyone_sees_the_open_calls_in_their_language_and_the_way_to_their_pages(
    client: Client,
    runtime: Runtime,
    tokens: Tokens,
    open_award: int,
    who: str,
    link: str,
    language: str,
) -> None:
    browser = (
        Browser(client)
        if who == "anonymous"
        else await signed_in(client, runtime, tokens.actors[who])
    )

    page = await browser.get("/")

    assert page.status_code == 200
    assert f'<a href="{link}"' in page.text
    assert AWARD_TITLE[language] in text(page.text)
    for other in {"/my", "/jury", "/secretariat"} - {link}:
        assert f'<a href="{other}"' not in page.text


async def test_an_unknown_page_is_a_page_in_the_visitors_language(client: Client) -> None:
    page = await Browser(client, accept_language="fr").get("/no/such/page")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in page.text
    assert "Introuvable" in text(page.text)


async def test_an_unknown_api_path_stays_json(client: Client) -> None:
    answer = await Browser(client).get("/api/v1/no-such-thing")

    assert answer.status_code == 404
    assert answer.json() == {"status_code": 404, "detail": "Not Found", "extra": {}}
