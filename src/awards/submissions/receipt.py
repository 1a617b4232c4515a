"""The receipt of a candidacy as sent, a PDF in the reader's language: the call, when it was
sent (in the call's time zone), every answer by its label, each document by name with its
SHA-256, and the SHA-256 of the whole version, so either side can later show what was sent.

The applicant downloads it from the candidacy's page, and it comes with the mail that says
the candidacy arrived: the `receipt` attachment (`awards.notify.attach`), made by the worker
from the version the change recorded: the mail's copy is the page's, byte for byte.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fpdf import FPDF

from awards.clock import spelled
from awards.db.tables import Call, Submission
from awards.errors import NotFound
from awards.kinds.forms import FieldType, FormField
from awards.kinds.kind import CallKind
from awards.submissions.versions import Version, versions_of
from awards.transitions.runtime import Attached, AttachmentSource, Runtime

RECEIPT = "receipt"
"""The attachment's name in a kind's `mail_attachments:`."""

Translate = Callable[..., str]
Words = Callable[[str], Translate]
"""The pages' messages of a language (`awards.web.i18n.translator`), given by the assembly."""

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
    language: str,
    t: Translate,
) -> bytes:
    """The receipt of `version` of candidacy `submission_id`, in `language` (`t` its words)."""
    default = kind.default_language
    pdf = FPDF(format="A4")
    # Dated when it was sent, not written: every copy of a receipt is the same file.
    pdf.set_creation_date(version.at)
    pdf.set_title(_plain(t("receipt.title", id=submission_id)))
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    _line(pdf, t("receipt.title", id=submission_id), height=9)
    pdf.set_font("helvetica", size=10)
    _line(pdf, f"{t('receipt.call')}: {_text(call.title, language, default)}")
    _line(pdf, t("receipt.sent", when=spelled(version.at, call.timezone, language)))
    _line(pdf, f"{t('receipt.fingerprint')}: {fingerprint(version)}")
    _heading(pdf, t("receipt.answers"))
    files = [f for f in kind.form.fields if f.type is FieldType.FILE]
    for field in kind.form.fields:
        if field in files:
            continue
        pdf.set_font("helvetica", "B", 10)
        _line(pdf, _text(field.label, language, default))
        pdf.set_font("helvetica", size=10)
        value = version.answers.get(field.name)
        _line(pdf, _said(field, value, call, language=language, default=default, t=t) or "-")
    _heading(pdf, t("receipt.documents"))
    for field in files:
        document = version.answers.get(field.name)
        if isinstance(document, Mapping):
            pdf.set_font("helvetica", "B", 10)
            _line(pdf, f"{_text(field.label, language, default)}: {document['filename']}")
            pdf.set_font("courier", size=9)
            _line(pdf, f"SHA-256 {document['sha256']}")
    return bytes(pdf.output())


def receipt_name(submission_id: int, version: Version) -> str:
    return f"receipt-{submission_id}-v{version.number}.pdf"


def receipt_source(words: Words) -> AttachmentSource:
    """The `receipt` attachment: the receipt of the version the mail's change sent (the
    last one recorded up to its audit entry)."""

    async def receipt(runtime: Runtime, about: Mapping[str, Any], language: str) -> Attached:
        submission_id, audit_id = int(about["submission_id"]), int(about["audit_id"])
        async with runtime.db.read() as session:
            submission = await session.get(Submission, submission_id)
            call = await session.get(Call, submission.call_id) if submission else None
            sent = [v for v in await versions_of(session, submission_id) if v.audit_id <= audit_id]
        if call is None or not sent:
            raise NotFound(f"submission {submission_id} has no version sent by audit {audit_id}")
        # fpdf2 lays the pages out in Python, CPU work every other request would wait for.
        document = await asyncio.to_thread(
            receipt_pdf,
            sent[-1],
            submission_id=submission_id,
            call=call,
            kind=runtime.kind(call.kind),
            language=language,
            t=words(language),
        )
        return Attached(receipt_name(submission_id, sent[-1]), "application/pdf", document)

    return receipt


def _said(
    field: FormField, value: Any, call: Call, *, language: str, default: str, t: Translate
) -> str:
    """An answer as the receipt writes it: a text written in several languages in each, the
    reader's first; a choice by its label."""
    if value is None:
        return ""
    if field.multilingual and isinstance(value, Mapping):
        return "\n".join(
            f"[{t('language.' + lang)}] {value[lang]}"
            for lang in sorted(call.languages, key=lambda lang: lang != language)
            if value.get(lang)
        )
    return field.as_read(value, language=language, default=default).strip()


def _text(texts: Mapping[str, str], language: str, default: str) -> str:
    """`texts` in `language`, else in `default`, else in the first language it is written in."""
    for candidate in (language, default):
        if texts.get(candidate):
            return texts[candidate]
    return next((text for text in texts.values() if text), "")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 12)
    _line(pdf, text, height=7)


def _line(pdf: FPDF, text: str, *, height: float = 5) -> None:
    """`text` wrapped to the page's width, a line `height` high each, a page added when the
    next line would pass the bottom margin.

    Wrapped and placed here: fpdf2's `multi_cell` measures every line again at each
    character, and even `cell` costs 60 us a line (11 ms and then 2.8 ms of CPU a receipt)."""
    font, size, unit = pdf.current_font, pdf.font_size_pt, pdf.k
    assert font is not None, "a font is set before any line"

    def measure(word: str) -> float:
        return font.get_text_width(word, size, None)[1] / unit

    for row in _rows(_plain(text), pdf.epw - 2 * pdf.c_margin, measure):
        if pdf.y + height > pdf.page_break_trigger:
            pdf.add_page()
        # The baseline where `cell` puts it: the line's middle, lowered by 0.3 of the font.
        pdf.text(pdf.l_margin + pdf.c_margin, pdf.y + height / 2 + 0.3 * pdf.font_size, row)
        pdf.set_y(pdf.y + height)


def _rows(text: str, width: float, measure: Callable[[str], float]) -> Iterator[str]:
    """`text` broken into lines no wider than `width`: at spaces, inside a word only when the
    word alone is wider; each line of `text` starts a new one."""
    space = measure(" ")
    for paragraph in text.split("\n"):
        row, used = "", 0.0
        for word in paragraph.split(" "):
            size = measure(word)
            if row and used + space + size <= width:
                row, used = f"{row} {word}", used + space + size
                continue
            if row:
                yield row
            while size > width:
                cut = _fitting(word, width, measure)
                yield word[:cut]
                word = word[cut:]
                size = measure(word)
            row, used = word, size
        yield row


def _fitting(word: str, width: float, measure: Callable[[str], float]) -> int:
    """How many leading characters of `word` fit in `width` (at least one)."""
    used = 0.0
    for cut, character in enumerate(word):
        used += measure(character)
        if used > width:
            return max(cut, 1)
    return len(word)


def _plain(text: str) -> str:
    """`text` in what PDF's built-in fonts draw (Latin-1): typographic marks made plain,
    anything else as `?` rather than a refusal to write the receipt."""
    composed = unicodedata.normalize("NFC", text.translate(TYPOGRAPHY))
    return composed.encode("latin-1", "replace").decode("latin-1")
