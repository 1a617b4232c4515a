"""The receipt lays out answers of any length: wrapped to the page, over as many pages as they
need, nothing cut off, every line inside the page."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from fpdf.fonts import CORE_FONTS_CHARWIDTHS
from pypdf import PdfReader

from awards.db.tables import Call
from awards.submissions.receipt import receipt_pdf
from awards.submissions.versions import Version
from awards.transitions.runtime import Runtime
from awards.web.i18n import translator
from harness.seeding import AWARD, AWARD_TITLE, complete_answers

A4_WIDTH_PT = 595.28
RIGHT_MARGIN_PT = 28.35
"""fpdf2's default margin, 1 cm."""
FONTS = {"/Helvetica": "helvetica", "/Helvetica-Bold": "helveticaB", "/Courier": "courier"}


def receipt_of(runtime: Runtime, answers: dict[str, object]) -> PdfReader:
    call = Call(
        id=1,
        kind=AWARD,
        edition="2026",
        title=AWARD_TITLE,
        timezone="Europe/Madrid",
        languages=["en", "fr", "es", "pt"],
        opens_at=datetime(2026, 1, 1),
        closes_at=datetime(2026, 3, 1),
        state="open",
    )
    version = Version(1, datetime(2026, 2, 1, tzinfo=UTC), "submit", 1, answers, ())
    content = receipt_pdf(
        version,
        submission_id=7,
        call=call,
        kind=runtime.kind(AWARD),
        language="es",
        t=translator("es"),
    )
    return PdfReader(io.BytesIO(content))


def lines_of(reader: PdfReader) -> list[tuple[float, str]]:
    """Every line drawn, with where it ends (points from the left), measured in its font."""
    drawn: list[tuple[float, str]] = []

    def visit(text: str, _cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            widths = CORE_FONTS_CHARWIDTHS[FONTS[font["/BaseFont"]]]
            drawn.append((tm[4] + sum(widths[c] for c in text) * size / 1000, text))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return drawn


async def test_a_long_answer_runs_over_pages_with_every_word_in_its_order(
    runtime: Runtime,
) -> None:
    words = [f"palabra{number}" for number in range(1500)]
    answers = complete_answers() | {"contact_name": " ".join(words)}

    reader = receipt_of(runtime, answers)

    assert len(reader.pages) > 1
    said = " ".join(text for _, text in lines_of(reader)).split()
    start = said.index(words[0])
    assert said[start : start + len(words)] == words


async def test_a_word_wider_than_the_page_is_broken_not_cut(runtime: Runtime) -> None:
    address = "https://example.org/" + "x" * 400
    answers = complete_answers() | {"contact_name": f"Véase {address} fin"}

    drawn = lines_of(receipt_of(runtime, answers))

    said = "".join(text.strip() for _, text in drawn)
    assert address in said
    assert len([text for _, text in drawn if "xxxx" in text]) >= 3


async def test_every_line_ends_inside_the_right_margin(runtime: Runtime) -> None:
    answers = complete_answers() | {"contact_name": "ancho " * 400 + "W" * 300}

    ends = [end for end, _ in lines_of(receipt_of(runtime, answers))]

    assert len(ends) > 40
    assert max(ends) <= A4_WIDTH_PT - RIGHT_MARGIN_PT
