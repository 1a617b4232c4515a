"""The receipt of a candidacy is laid out off the event loop (fpdf2 works in Python): while
it is, the process answers everyone else (counted, not timed)."""

from __future__ import annotations

import pytest

from awards.settings import Settings
from awards.submissions.receipt import receipt_pdf
from awards.transitions.runtime import Runtime
from conftest import HEALTH_CHECKS, Hold, MovableClock, Tokens, candidacies_in_review, served


async def test_health_answers_while_a_receipt_is_laid_out(
    settings: Settings,
    runtime: Runtime,
    clock: MovableClock,
    tokens: Tokens,
    open_award: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = await candidacies_in_review(runtime, clock, tokens, open_award, cities=0)
    [submission, *_] = ids["barcelona"]
    hold = Hold()
    monkeypatch.setattr("awards.web.applicant.receipt_pdf", hold.around(receipt_pdf))

    async with served(settings, clock) as http:
        receipt = await hold.meanwhile(
            http, http.get(f"/my/submissions/{submission}/receipt.pdf", headers=tokens.owner)
        )

    assert receipt.status_code == 200, receipt.text
    assert receipt.content.startswith(b"%PDF-")
    assert hold.seen == [HEALTH_CHECKS]
