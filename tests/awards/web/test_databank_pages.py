"""The public databank page (search in any language, filters, pages of 20) and a call's
published results, as anyone reads them, in their language."""

from __future__ import annotations

import re

import pytest
from pages import Browser, section, signed_in, text

from awards.calls.service import CallService
from awards.databank.practices import PracticeIn
from awards.databank.service import DatabankService
from awards.submissions.service import SubmissionService
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens, candidacies_in_review


@pytest.fixture
async def practices(runtime: Runtime, tokens: Tokens) -> None:
    """Twenty practices of Madrid in 2024, and Lisboa's reading gardens of 2022."""
    databank, staff = DatabankService(runtime), tokens.actors["secretariat"]
    for number in range(1, 21):
        practice = PracticeIn(
            title={"en": f"Practice {number}", "fr": f"Pratique {number}"},
            organisation="Madrid",
            country="ES",
            year=2024,
            themes=["lifelong_education"],
        )
        await databank.add_practice(practice, actor=staff)
    gardens = PracticeIn(
        title={"en": "Reading gardens", "fr": "Jardins de lecture", "pt": "Jardins de leitura"},
        organisation="Lisboa",
        country="PT",
        year=2022,
        themes=["cultural_community_life"],
        principles=[17],
    )
    await databank.add_practice(gardens, actor=staff)


SEARCHES = {
    "q=gardens": 1,
    "q=jardins+lecture": 1,
    "q=gardens&country=es": 0,
    "country=pt": 1,
    "year=2022": 1,
    "year=2024": 20,
    "theme=cultural_community_life": 1,
    "principle=17": 1,
    "lang=pt": 1,
    "distinction=good_practice": 21,
    "distinction=laureate": 0,
    "year=not-a-year&q=gardens": 1,
}


async def test_the_public_finds_experiences_by_their_words_and_filters(
    client: Client, practices: None
) -> None:
    visitor = Browser(client)

    pages = {search: await visitor.get(f"/databank?{search}") for search in SEARCHES}

    assert {search: section(page.text, "found-title") for search, page in pages.items()} == {
        search: f"{found} experiences found" for search, found in SEARCHES.items()
    }
    assert {search: page.text.count('class="card entry"') for search, page in pages.items()} == {
        search: min(found, 20) for search, found in SEARCHES.items()
    }
    assert "Reading gardens Good practice · 2022 · Lisboa (Portugal)" in text(
        pages["q=gardens"].text
    )
    assert 'value="cultural_community_life" selected' in pages["theme=cultural_community_life"].text


async def test_countries_are_named_and_chosen_in_the_readers_language(
    client: Client, practices: None
) -> None:
    visitor = Browser(client, accept_language="es")

    page = await visitor.get("/databank?country=es")
    gardens = await visitor.get("/databank?q=jardins+leitura")

    assert '<option value="ES" selected>España</option>' in page.text
    assert '<option value="DE">Alemania</option>' in page.text
    assert "Madrid (España)" in text(page.text)
    assert "Lisboa (Portugal)" in text(gardens.text)
    names = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', page.text)
    assert names.index("Ecuador") < names.index("Egipto") < names.index("El Salvador")


async def test_the_charters_principles_are_chosen_by_their_names(
    client: Client, practices: None
) -> None:
    visitor = Browser(client, accept_language="pt")

    page = await visitor.get("/databank?principle=17")

    principles = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page.text)
    assert [number for number, _ in principles] == [str(number) for number in range(1, 21)]
    assert principles[0] == ("1", "1. Educação inclusiva ao longo da vida")
    assert '<option value="17" selected>17. Inclusão e coesão social</option>' in page.text


async def test_results_come_twenty_a_page_with_links_between_the_pages(
    client: Client, practices: None
) -> None:
    visitor = Browser(client)

    first = await visitor.get("/databank")
    last = await visitor.get("/databank?page=2")

    assert first.text.count('class="card entry"') == 20
    assert "Results page 1 of 2 Next page" in text(first.text)
    assert 'href="/databank?page=2" rel="next"' in first.text
    assert last.text.count('class="card entry"') == 1
    assert "Previous page Results page 2 of 2" in text(last.text)


async def test_the_databank_speaks_the_visitors_language(client: Client, practices: None) -> None:
    visitor = Browser(client, accept_language="fr-FR,fr;q=0.9")

    page = await visitor.get("/databank?q=jardins")

    assert '<html lang="fr">' in page.text
    shown = text(page.text)
    assert "Jardins de lecture Bonne pratique · 2022 · Lisboa (Portugal)" in shown
    assert "Vie culturelle et communautaire" in shown  # the theme, labelled by the kind
    assert "1 expériences trouvées" in shown
    assert '<label for="q">Mots</label>' in page.text


async def test_a_published_call_shows_its_laureate_to_anyone_who_finds_it_in_the_databank(
    client: Client, runtime: Runtime, tokens: Tokens, clock: MovableClock, open_award: int
) -> None:
    staff = tokens.actors["secretariat"]
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    laureate = ids["barcelona"][0]
    submissions, calls = SubmissionService(runtime), CallService(runtime)
    before = await Browser(client, accept_language="pt").get(f"/calls/{open_award}/results")
    await calls.fire(open_award, "deliberate", actor=staff)
    await submissions.fire(laureate, "award", actor=staff)
    await calls.fire(open_award, "publish", actor=staff)
    await submissions.fire(laureate, "publish", actor=staff)
    juror = await signed_in(client, runtime, tokens.actors["juror"])

    results = await Browser(client, accept_language="pt").get(f"/calls/{open_award}/results")
    home = await juror.get("/")
    found = await juror.get("/databank?q=neighbourhood&kind=educating-cities-award")

    assert before.status_code == 404
    assert "Não encontrado" in text(before.text)
    assert results.status_code == 200
    shown = text(results.text)
    assert "Resultados: Prémio Cidades Educadoras 2026" in shown
    assert "Schools open to the neighbourhood (pt) Vencedora · 2026 · Barcelona (Espanha)" in shown
    assert f'<a href="/calls/{open_award}/results">' in home.text
    assert "Schools open to the neighbourhood (fr) Lauréat · 2026 · Barcelona (Espagne)" in text(
        found.text
    )


async def test_a_capped_count_says_there_are_more(
    client: Client, practices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("awards.databank.search.COUNT_CAP", 10)  # instead of 1,000 entries

    page = await Browser(client).get("/databank?year=2024")

    assert section(page.text, "found-title") == "10+ experiences found"
