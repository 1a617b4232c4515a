"""The receipt of a candidacy as sent, a PDF in the reader's language: the call, when it was
sent (in the call's time zone), every answer by its label, each document by name with its
SHA-256, and the SHA-256 of the whole version, so either side can later show what was sent."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence

from fpdf import FPDF

from awards.db.tables import Call
from awards.kinds.kind import CallKind
from awards.submissions.versions import Version
from awards.web.forms import FieldView
from awards.web.page import Visitor

TYPOGRAPHY = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u0153": "oe",
        "\u20ac": "EUR",
    }
)
"""Marks PDF's built-in fonts lack (curly quotes, dashes, the French oe, the euro), as their
nearest plain form."""


def fingerprint(version: Version) -> str:
    """The SHA-256 of the answers as sent (canonical JSON; documents by their own hash)."""
    canonical = json.dumps(version.answers, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def receipt_pdf(
    version: Version,
    *,
    submission_id: int,
    call: Call,
    kind: CallKind,
    fields: Sequence[FieldView],
    reader: Visitor,
) -> bytes:
    """The receipt of `version` of candidacy `submission_id`, for `reader`."""
    t = reader.t
    pdf = FPDF(format="A4")
    pdf.set_title(_plain(t("receipt.title", id=submission_id)))
    pdf.set_lang(reader.language)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    _line(pdf, t("receipt.title", id=submission_id), height=9)
    pdf.set_font("helvetica", size=10)
    _line(pdf, f"{t('receipt.call')}: {reader.text(call.title, kind.default_language)}")
    _line(pdf, t("receipt.sent", when=reader.spelled(version.at, call.timezone)))
    _line(pdf, f"{t('receipt.fingerprint')}: {fingerprint(version)}")
    _heading(pdf, t("receipt.answers"))
    for view in fields:
        if view.kind == "file":
            continue
        pdf.set_font("helvetica", "B", 10)
        _line(pdf, view.label)
        pdf.set_font("helvetica", size=10)
        said = [
            f"[{t('language.' + box.language)}] {box.value}" if box.language else box.value
            for box in view.boxes
            if box.value
        ]
        _line(pdf, "\n".join([*said, ", ".join(view.chosen_labels)]).strip() or "-")
    _heading(pdf, t("receipt.documents"))
    for view in fields:
        if view.kind == "file" and view.file:
            pdf.set_font("helvetica", "B", 10)
            _line(pdf, f"{view.label}: {view.file['filename']}")
            pdf.set_font("courier", size=9)
            _line(pdf, f"SHA-256 {view.file['sha256']}")
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 12)
    _line(pdf, text, height=7)


def _line(pdf: FPDF, text: str, *, height: float = 5) -> None:
    pdf.multi_cell(0, height, _plain(text), new_x="LMARGIN", new_y="NEXT")


def _plain(text: str) -> str:
    """`text` in what PDF's built-in fonts draw (Latin-1): typographic marks made plain,
    anything else as `?` rather than a refusal to write the receipt."""
    composed = unicodedata.normalize("NFC", text.translate(TYPOGRAPHY))
    return composed.encode("latin-1", "replace").decode("latin-1")
