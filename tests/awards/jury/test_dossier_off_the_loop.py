"""The anonymised dossier is redacted, and its PDFs rebuilt, off the event loop: while the
longest one is built, the process answers everyone else (counted, not timed; `conftest.Hold`
and `conftest.served`)."""

from __future__ import annotations

import pytest

from awards.jury.anonymise import anonymised_answers
from awards.jury.assignment import assign_round
from awards.jury.panel import set_panel
from awards.jury.pdf_metadata import strip_pdf_metadata
from awards.settings import Settings
from awards.transitions.runtime import Runtime
from conftest import (
    HEALTH_CHECKS,
    Hold,
    MovableClock,
    Tokens,
    candidacies_in_review,
    long_pdf,
    served,
)


async def jurors_round(runtime: Runtime, tokens: Tokens, call: int) -> None:
    staff = tokens.actors["secretariat"]
    await set_panel(runtime, call, jurors=["juror@jury.test"], president=None, actor=staff)
    await assign_round(runtime, call, round_name=None, actor=staff)


async def test_health_answers_while_a_dossier_is_redacted(
    settings: Settings,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    await jurors_round(runtime, tokens, open_award)
    hold = Hold()

    async with served(settings, clock) as http:
        [first, *_] = (await http.get("/api/v1/jury/assignments", headers=tokens.juror)).json()
        # Held from here: the list above redacts its titles too, and is not what is measured.
        monkeypatch.setattr(
            "awards.jury.dossier.anonymised_answers", hold.around(anonymised_answers)
        )
        opened = await hold.meanwhile(
            http, http.get(f"/api/v1/jury/assignments/{first['id']}", headers=tokens.juror)
        )

    assert opened.status_code == 200, opened.text
    assert hold.seen == [HEALTH_CHECKS]


async def test_health_answers_while_a_long_pdf_is_rebuilt(
    settings: Settings,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await candidacies_in_review(runtime, clock, tokens, open_award, cities=0, annex=long_pdf(300))
    await jurors_round(runtime, tokens, open_award)
    hold = Hold()
    monkeypatch.setattr(
        "awards.jury.clean_copies.strip_pdf_metadata", hold.around(strip_pdf_metadata)
    )

    async with served(settings, clock) as http:
        [first, *_] = (await http.get("/api/v1/jury/assignments", headers=tokens.juror)).json()
        path = f"/api/v1/jury/assignments/{first['id']}"
        dossier = (await http.get(path, headers=tokens.juror)).json()
        annex = dossier["answers"]["annex"]["document"]
        downloaded = await hold.meanwhile(
            http, http.get(f"{path}/documents/{annex}", headers=tokens.juror)
        )

    assert downloaded.status_code == 200, downloaded.text
    assert downloaded.content.startswith(b"%PDF-")
    assert hold.seen == [HEALTH_CHECKS]
