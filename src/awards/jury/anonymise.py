"""What an anonymised jury may see of a submission: a pseudonym, redacted text, neutral files.

Invariant 4 (DESIGN.md): in an anonymised call no jury-facing response carries the applicant's
identity. Anonymity leaks through side channels more often than through the obvious fields
(names in comments, in exports, in a file's name), so everything here errs towards
over-redaction: a juror reading "[redacted]" where a month or a common word stood loses a
little prose; a juror reading a city's name loses the call its anonymity.

Pure functions and values only; no database, no I/O. Reading order: pseudonyms, text folding,
the redactor and its detectors, then whole answer sets.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from awards.kinds.forms import TEXT_TYPES, FieldType, Form, FormField
from awards.storage import filenames

# --- Pseudonyms ----------------------------------------------------------------------------

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: codes are read aloud and copied by hand without mistakes."""
DEFAULT_LENGTH = 3
ATTEMPTS_PER_LENGTH = 8
"""Attempts at one length before codes grow by a character.

Codes stay 3 characters long unless 8 draws in a row collide, which is practically impossible
below thousands of submissions (29,791 codes; with 500 taken, odds of 1 in 10**14). A code
longer than its neighbours would say it was assigned after another, that is: the order."""
_MAX_LENGTH = 51  # base-31 digits in one SHA-256 digest


def pseudonym(
    secret: str,
    *,
    prefix: str,
    call_id: int,
    submission_id: int,
    attempt: int = 0,
    length: int = DEFAULT_LENGTH,
) -> str:
    """The label an anonymised jury knows a submission by, e.g. `ECA26-K7Q`.

    An HMAC-SHA256 of the ids under the call's secret: stable for a submission, and without
    the secret neither its id nor the submissions' order can be read back from it (codes of
    consecutive ids are unrelated). Uniqueness in a call is the caller's: on a collision, ask
    again with the next `attempt`, which derives an unrelated code, a character longer every
    `ATTEMPTS_PER_LENGTH` attempts.

    Raises:
        ValueError: an empty secret (anyone could derive the codes), a negative attempt, or a
            code longer than one digest can give.
    """
    if not secret:
        raise ValueError("a pseudonym needs a secret: without one anyone can derive it")
    if attempt < 0:
        raise ValueError(f"attempt must be 0 or more, not {attempt}")
    size = length + attempt // ATTEMPTS_PER_LENGTH
    if not 0 < size <= _MAX_LENGTH:
        raise ValueError(f"a pseudonym has 1 to {_MAX_LENGTH} characters, not {size}")
    message = f"awards-pseudonym|{call_id}|{submission_id}|{attempt}".encode()
    number = int.from_bytes(hmac.digest(secret.encode(), message, hashlib.sha256), "big")
    code = []
    for _ in range(size):
        number, index = divmod(number, len(ALPHABET))
        code.append(ALPHABET[index])
    return f"{prefix}-{''.join(code)}"


# --- Folding: case- and accent-insensitive matching that maps back to the original text ----

# Letters Unicode does not decompose into a base letter and a mark (after casefolding).
_UNDECOMPOSABLE = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "\u0131": "i"})


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """Casefolded, compatibility-decomposed (NFKD: fullwidth letters and ligatures read as
    letters) without marks; an invisible format character (soft hyphen, zero-width joiner or
    space, word joiner, BOM) folds to nothing, so it cannot split a name from its pattern."""
    if unicodedata.category(char) == "Cf":
        return ""
    lowered = char.casefold().translate(_UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """`text` casefolded, without accents: `Bogotá` and `BOGOTA` both fold to `bogota`."""
    return "".join(map(_fold_char, text))


def _fold_with_origins(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index it came from in `text`."""
    pieces = [(piece, index) for index, char in enumerate(text) for piece in _fold_char(char)]
    return "".join(piece for piece, _ in pieces), [index for _, index in pieces]


# --- Names: whole terms and their distinctive parts ----------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS: Mapping[str, frozenset[str]] = {
    "en": _word_set(
        "city town county district borough municipality municipal council metropolitan "
        "region province state united republic kingdom north south east west great saint "
        "upon island association network foundation government"
    ),
    "fr": _word_set(
        "ville cité commune mairie métropole agglomération département région province "
        "république royaume nord ouest nouvelle nouveau grand grande saint sainte sous "
        "association réseau fondation gouvernement municipalité conseil"
    ),
    "es": _word_set(
        "ciudad villa pueblo ayuntamiento municipio municipalidad alcaldía diputación "
        "provincia región comunidad república reino norte este oeste nueva nuevo gran "
        "grande santo santa asociación fundación gobierno consejo distrito"
    ),
    "pt": _word_set(
        "cidade vila município prefeitura câmara concelho freguesia estado província região "
        "república reino norte leste oeste nova novo grande santo santa associação fundação "
        "governo"
    ),
}
"""Generic words of place and organisation names, never redacted on their own.

Only the parts of a multi-word name are filtered: "Santo André" redacts "Santo André" and
"André", not every "santo" of a Portuguese text; "Ciudad de México" redacts "México", not every
"ciudad". A whole term is always redacted, even when it is one of these words. The four lists
apply together, whatever the language of the text: a generic word is generic in any text.
Words under `MIN_PART_LETTERS` letters ("de", "la", "do", "São", "San") are never parts."""
MIN_PART_LETTERS = 4
_GENERIC = frozenset(fold(word) for words in STOP_WORDS.values() for word in words)
_WORD = re.compile(r"[^\W_]+")
_BETWEEN_WORDS = r"[\W_]+"
"""Spaces, hyphens, apostrophes, dots, underscores: "Santo-André", "santo_andre" match too."""
_NOT_AFTER_LETTER = r"(?<![^\W\d_])"
_NOT_BEFORE_LETTER = r"(?![^\W\d_])"
"""Whole words, bounded by letters only: "Barcelona's", "#Barcelona2024" and "barcelona.cat"
are found, "Barcelonaise" is not."""


def distinctive_parts(term: str) -> tuple[str, ...]:
    """The folded words of a multi-word `term` that identify on their own."""
    words = _WORD.findall(fold(term))
    if len(words) < 2:
        return ()
    return tuple(
        word
        for word in words
        if sum(char.isalpha() for char in word) >= MIN_PART_LETTERS and word not in _GENERIC
    )


def _term_pattern(folded_words: Iterable[str]) -> re.Pattern[str]:
    body = _BETWEEN_WORDS.join(map(re.escape, folded_words))
    return re.compile(f"{_NOT_AFTER_LETTER}{body}{_NOT_BEFORE_LETTER}")


# --- Contacts: e-mail addresses, web addresses, phone numbers ------------------------------

# Each pattern starts only where a token can start (the look-behinds): tried at every
# character of a long token, it would take quadratic time on a pasted blob.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:\bhttps?://|(?<![\w.@/-])www\.)[^\s<>\"]+", re.IGNORECASE)
_DOMAIN = re.compile(
    r"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?P<tld>[a-z]{2,10})(?![\w-])"
    r"(?:/[^\s<>\"]*)?"
)
"""A bare host such as `educa.bcn.cat/escoles`: lower case only, so "U.S." or a sentence run
into the next ("end.The") is not taken for one."""
_FILE_EXTENSIONS = _word_set(
    "pdf doc docx xls xlsx ppt pptx odt ods odp txt csv jpg jpeg png gif webp svg htm html "
    "js json xml zip"
)
"""A "domain" ending in one of these is a file name, left to the name matching."""
_URL_TAIL = ".,;:!?)]}'\"\u2019\u201d\u00bb"
_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[.,])(?<!\d[ .-])"
    r"(?:\+\d{1,3}[ .-]?|\(\+?\d{1,4}\)[ .-]?)?"
    r"(?:\(\d{1,5}\)[ .-]?)?"
    r"\d+(?:[ .-]\d+)*"
    r"(?!\w)(?![.,]\d)"
)
"""Candidates only: `_is_phone` tells a phone number from a year, an amount or a date."""
_PHONE_CUE = re.compile(
    r"\b(?:tel|tél|phone|fax|mobile|móvil|movil|celular|portable|whatsapp)\w*\.?\s*:?\s*$",
    re.IGNORECASE,
)
_CUE_WINDOW = 24
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{2,4}")
_THOUSANDS = re.compile(r"\d{1,3}(?:[ .]\d{3})+")
_YEARS = re.compile(r"(?:1[89]|20)\d\d(?:[ .-](?:1[89]|20)\d\d)+")


def _is_phone(candidate: str, *, cued: bool) -> bool:
    """Whether a run of digits is a phone number, judged by its shape.

    After "Tel." or "phone:" 6 to 15 digits are enough. Otherwise it takes 8 to 15 digits and
    a sign of a phone: a "+" or an area code in brackets, a leading 0 when unseparated
    ("0612345678"), or one kind of separator in a shape that is no date ("2023-06-30"),
    thousands ("12 000 000") or years ("2019-2023"). A number written in groups of three
    without a cue ("934 027 000") reads as an amount and is left alone.
    """
    digits = sum(char.isdigit() for char in candidate)
    if cued:
        return 6 <= digits <= 15
    if not 8 <= digits <= 15:
        return False
    if candidate[0] in "+(":
        return True
    separators = set(candidate) & set(" .-")
    if not separators:
        return candidate.startswith("0")
    shaped_otherwise = (_ISO_DATE, _THOUSANDS, _YEARS)
    return len(separators) == 1 and not any(p.fullmatch(candidate) for p in shaped_otherwise)


def _url_span(found: re.Match[str]) -> tuple[int, int]:
    """The span of an address without the punctuation of the sentence around it; a bracket
    the address opened stays."""
    url = found.group()
    while url and url[-1] in _URL_TAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return found.start(), found.start() + len(url)


def _contact_spans(text: str) -> Iterator[tuple[int, int]]:
    for found in _EMAIL.finditer(text):
        yield found.span()
    for found in _URL.finditer(text):
        yield _url_span(found)
    for found in _DOMAIN.finditer(text):
        if found["tld"] not in _FILE_EXTENSIONS:
            yield _url_span(found)
    for found in _PHONE.finditer(text):
        before = text[max(0, found.start() - _CUE_WINDOW) : found.start()]
        if _is_phone(found.group(), cued=bool(_PHONE_CUE.search(before))):
            yield found.span()


# --- The redactor --------------------------------------------------------------------------

REDACTED = "[redacted]"


class Redactor:
    """Replaces one applicant's names and every contact detail in free text by `[redacted]`.

    Each term (and each distinctive part of a multi-word term, see `STOP_WORDS`) is found as a
    whole word, whatever its case and accents, with any separator between its words. E-mail
    addresses, web addresses (with a scheme, `www.`, or a bare lower-case host) and phone
    numbers are redacted whoever they belong to.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        folded = {tuple(_WORD.findall(fold(term))) for term in terms}
        self.terms: tuple[str, ...] = tuple(sorted(" ".join(words) for words in folded if words))
        """The folded terms, words joined by one space."""
        self.parts: tuple[str, ...] = tuple(
            sorted({part for term in self.terms for part in distinctive_parts(term)})
        )
        """The folded distinctive parts of the multi-word terms."""
        self._patterns = tuple(
            _term_pattern(words.split()) for words in sorted({*self.terms, *self.parts})
        )

    @classmethod
    def for_applicant(
        cls,
        *,
        organisation: str,
        city: str | None = None,
        countries: Iterable[str] = (),
        people: Iterable[str] = (),
        aliases: Iterable[str] = (),
    ) -> Redactor:
        """The redactor of one applicant.

        Args:
            countries: the country's names, only when the call hides countries.
            people: contact persons, signatories, team members.
            aliases: other names the applicant is known by: exonyms ("Lisbon", "Lisbonne"),
                acronyms ("BCN"), the organisation's name in each language of the call.
        """
        return cls([organisation, city or "", *countries, *people, *aliases])

    def redact(self, text: str) -> str:
        """`text` with every name of the applicant and every contact detail as `[redacted]`;
        overlapping or touching matches become one."""
        pieces: list[str] = []
        kept_from = 0
        for start, end in _merged(self._spans(text)):
            pieces += (text[kept_from:start], REDACTED)
            kept_from = end
        pieces.append(text[kept_from:])
        return "".join(pieces)

    def _spans(self, text: str) -> Iterator[tuple[int, int]]:
        yield from _contact_spans(text)
        folded, origins = _fold_with_origins(text)
        for pattern in self._patterns:
            for found in pattern.finditer(folded):
                end = origins[found.end() - 1] + 1
                # A decomposed accent (NFD input) folds to nothing and belongs to its letter.
                while end < len(text) and unicodedata.combining(text[end]):
                    end += 1
                yield origins[found.start()], end


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --- Answers -------------------------------------------------------------------------------

_ALWAYS_HIDDEN = (FieldType.EMAIL, FieldType.URL)
"""An address reveals its owner whatever the form says; redacted, it would say nothing."""


DOCUMENT = "document"
"""The key of a file answer, as the jury reads it, naming the field that serves it."""


def neutral_name(field: str, extension: str, *, index: int = 1) -> str:
    """The name a juror sees for an attachment, e.g. `report-1.pdf`.

    Never the uploaded name, which often carries the city ("Barcelona_candidacy.pdf").
    """
    return f"{field}-{index}.{extension.lower()}" if extension else f"{field}-{index}"


def neutral_attachment(field: str, answer: Mapping[str, object]) -> dict[str, object]:
    """The jury's view of a file answer: the field it is served by, a neutral name, type and
    size.

    No original name and no checksum: a checksum can be searched for, and the same file
    may have been published under the applicant's name. No attachment id either: ids are
    given in upload order across the service, so comparing two dossiers' would tell which
    city uploaded first.
    """
    _, extension = filenames.clean(str(answer.get("filename", "")))
    return {
        DOCUMENT: field,
        "name": neutral_name(field, extension),
        "content_type": answer.get("content_type"),
        "size": answer.get("size"),
    }


def withheld_fields(form: Form) -> list[FormField]:
    """The questions whose answers an anonymised reader never gets: identifying ones, and
    e-mail and web addresses."""
    return [f for f in form.fields if f.identifying or f.type in _ALWAYS_HIDDEN]


def anonymised_answers(
    form: Form,
    answers: Mapping[str, object],
    *,
    redactor: Redactor,
    languages: tuple[str, ...],
) -> dict[str, object]:
    """The answers an anonymised jury may read, in the form's order.

    Dropped: identifying fields, e-mail and URL fields, answers to no field of the form, and
    languages that are not the call's. Redacted: every text, long text and organisation
    answer, in each language. Kept as they are: choices, dates, numbers and amounts, which hold
    no free text. File answers become `neutral_attachment`s.
    """
    shown: dict[str, object] = {}
    withheld = withheld_fields(form)
    for field in form.fields:
        if field.name in answers and field not in withheld:
            shown[field.name] = _anonymised(
                field, answers[field.name], redactor=redactor, languages=languages
            )
    return shown


def _anonymised(
    field: FormField, value: object, *, redactor: Redactor, languages: tuple[str, ...]
) -> object:
    if value is None:
        return None
    if field.type in (*TEXT_TYPES, FieldType.ORGANISATION):
        if isinstance(value, Mapping):
            return {
                language: _redacted(text, redactor)
                for language, text in value.items()
                if language in languages
            }
        return _redacted(value, redactor)
    if field.type is FieldType.FILE:
        return neutral_attachment(field.name, value) if isinstance(value, Mapping) else None
    return copy.deepcopy(value)


def _redacted(text: object, redactor: Redactor) -> str | None:
    """Text redacted; anything else (malformed) withheld rather than passed on unread."""
    return redactor.redact(text) if isinstance(text, str) else None
