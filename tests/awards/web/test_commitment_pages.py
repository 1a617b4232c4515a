"""The commitments pages: the laureate's, in its language (what is expected and when, the
agreement to accept, a report's form, what was paid), and the Secretariat's per call (late
laureates first, a refused payment explained in the reader's language, the indicators'
chart, the totals)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pages import section, signed_in, text
from sqlalchemy import select
from sqlmodel import col

from awards.commitments.obligations import send_report, sign_agreement
from awards.db.tables import Obligation
from awards.transitions.runtime import Runtime
from conftest import Client, MovableClock, Tokens
from harness.laureates import Prize, decided_prize


@pytest.fixture
async def prize(runtime: Runtime, clock: MovableClock, tokens: Tokens) -> Prize:
    return await decided_prize(runtime, clock, tokens.actors["secretariat"])


async def test_the_laureate_reads_what_is_expected_signs_and_sends_a_report_in_french(
    client: Client, runtime: Runtime, prize: Prize
) -> None:
    laureate = prize.laureates[0]
    browser = await signed_in(client, runtime, prize.applicants[0], language="fr")
    page = f"/my/submissions/{laureate}/commitments"

    before = await browser.get(page)
    signed = await browser.post(f"{page}/agreement", follow_redirects=False)
    sent = await browser.post(
        f"{page}/reports/interim",
        {
            "version": "1",
            "answer.progress": "Quarante femmes formées.",
            "indicator.women_reached": "40",
            "indicator.grant_spent": "12,5",
        },
    )
    again = await browser.post(
        f"{page}/reports/interim",
        {
            "version": "1",
            "answer.progress": "Quarante femmes formées.",
            "indicator.women_reached": "40",
            "indicator.grant_spent": "12.5",
        },
        follow_redirects=False,
    )
    after = await browser.get(page)
    submission_page = await browser.get(f"/my/submissions/{laureate}")

    assert "Convention de subvention 2025-10-11 (Europe/Paris) à envoyer" in section(
        before.text, "expected"
    )
    assert "Accepter et signer la convention" in text(before.text)
    assert "first 18000.00 EUR la convention signée pas encore versée" in section(
        before.text, "paid"
    )
    assert (signed.status_code, signed.headers["location"]) == (
        303,
        f"{page}?done=commitment",
    )
    assert sent.status_code == 422  # "12,5" is no number
    assert again.status_code == 303
    assert "Convention de subvention 2025-10-11 (Europe/Paris) signée" in section(
        after.text, "expected"
    )
    assert "Rapport intermédiaire 2026-03-11 (Europe/Paris) envoyé, en attente du Secrétariat" in (
        section(after.text, "expected")
    )
    assert "first 18000.00 EUR la convention signée · 2025-09-11" in section(after.text, "paid")
    assert "Engagements après la décision" in text(submission_page.text)


async def test_the_secretariat_follows_late_laureates_first_and_reads_refusals_in_spanish(
    client: Client, runtime: Runtime, prize: Prize, clock: MovableClock, tokens: Tokens
) -> None:
    await sign_agreement(runtime, prize.laureates[0], actor=prize.applicants[0])
    clock.now = datetime(2025, 10, 12, 8, 0, tzinfo=UTC)
    browser = await signed_in(client, runtime, prize.staff)
    await browser.post("/language", {"language": "es", "next": "/secretariat"})
    page = f"/secretariat/calls/{prize.call}/commitments"

    shown = await browser.get(page)
    early = await browser.post(
        f"{page}/{prize.laureates[1]}/payments",
        {
            "instalment": "first",
            "amount": "18000.00",
            "currency": "EUR",
            "paid_on": "2025-10-12",
            "reference": "VIR-1",
        },
    )
    paid = await browser.post(
        f"{page}/{prize.laureates[0]}/payments",
        {
            "instalment": "first",
            "amount": "18000.00",
            "currency": "EUR",
            "paid_on": "2025-10-12",
            "reference": "VIR-DAKAR",
        },
        follow_redirects=False,
    )
    extended = await browser.post(
        f"{page}/{prize.laureates[1]}/due-dates/agreement",
        {"due_on": "2025-11-15", "reason": "La junta se reúne en noviembre."},
        follow_redirects=False,
    )
    after = await browser.get(page)

    # Dakar signed in time: the two late ones come first.
    assert text(shown.text).index("Union des Villes du Bénin") < text(shown.text).index("Dakar")
    assert text(shown.text).index("Femmes Bâtisseuses") < text(shown.text).index("Dakar")
    assert "con retraso" in section(shown.text, f"laureate-{prize.laureates[1]}")
    assert early.status_code == 409
    assert "el pago first solo puede abonarse después de: agreement" in text(early.text)
    assert paid.status_code == extended.status_code == 303
    assert "pagado el 2025-10-12, referencia VIR-DAKAR" in text(after.text)
    assert "Toda la convocatoria 90000.00 EUR 18000.00 EUR" in section(after.text, "totals")
    async with runtime.db.read() as session:
        moved = await session.scalar(
            select(col(Obligation.due_on)).where(
                col(Obligation.submission_id) == prize.laureates[1],
                col(Obligation.name) == "agreement",
            )
        )
    assert str(moved) == "2025-11-15"


async def test_indicators_are_charted_across_laureates_against_their_target(
    client: Client, runtime: Runtime, prize: Prize
) -> None:
    for index, reached in ((0, "500"), (2, "1500")):
        await send_report(
            runtime,
            prize.laureates[index],
            "interim",
            answers={"progress": "On track."},
            indicators={"women_reached": reached, "grant_spent": "50"},
            version=1,
            actor=prize.applicants[index],
        )
    browser = await signed_in(client, runtime, prize.staff)

    page = await browser.get(f"/secretariat/calls/{prize.call}/commitments")

    indicators = section(page.text, "indicators")
    assert "Women and girls reached (people)" in indicators
    assert "Baseline 0, target 2000" in indicators
    assert "Dakar · interim: 500 Femmes Bâtisseuses · interim: 1500" in indicators
    # 500 of a 2000 scale on 240 pixels; the target's line at the end.
    assert '<rect class="bar" x="0" y="2" width="60.0" height="14">' in page.text
    assert 'x1="240.0"' in page.text


async def test_the_laureate_downloads_its_blank_agreement_filled_in_its_language(
    client: Client, runtime: Runtime, prize: Prize
) -> None:
    laureate = prize.laureates[0]
    browser = await signed_in(client, runtime, prize.applicants[0], language="fr")
    page = f"/my/submissions/{laureate}/commitments"

    shown = await browser.get(page)
    blank = await browser.get(f"{page}/agreement/blank")
    someone_else = await (await signed_in(client, runtime, prize.applicants[1], language="fr")).get(
        f"{page}/agreement/blank"
    )

    assert f'href="{page}/agreement/blank"' in shown.text
    assert "Télécharger la convention à signer" in text(shown.text)
    assert blank.status_code == 200
    assert blank.headers["content-disposition"] == (
        f'attachment; filename="agreement-{laureate}-fr.html"'
    )
    assert "Entre l'Association internationale des maires francophones, d'une part, et Dakar" in (
        text(blank.text)
    )
    assert "Versement 1 : 18000.00 EUR, à la signature de la présente convention" in text(
        blank.text
    )
    assert "Versement 2 : 12000.00 EUR, après acceptation de : Rapport intermédiaire" in text(
        blank.text
    )
    assert someone_else.status_code == 403
