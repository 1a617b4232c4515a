"""Anonymisation: pseudonyms reveal neither id nor order, redaction removes an applicant's
names (whatever their case and accents) and every contact detail but leaves years, amounts
and dates, and a jury's answers hold no identifying field, name or file name."""

from __future__ import annotations

import itertools
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from awards.assembly import load_kind
from awards.jury.anonymise import (
    ALPHABET,
    Redactor,
    anonymised_answers,
    distinctive_parts,
    fold,
    neutral_name,
    pseudonym,
)
from awards.kinds.forms import FieldType, Form, FormField

ROOT = Path(__file__).resolve().parents[3]
AWARD = ROOT / "config" / "calls" / "educating-cities-award.yaml"
LANGUAGES = ("en", "fr", "es", "pt")
SECRET = "call-secret"
BARCELONA = Redactor.for_applicant(
    organisation="Ajuntament de Barcelona",
    city="Barcelona",
    countries=("Spain", "España"),
    people=("Ada Serra",),
    aliases=("Barcelone",),
)
FULLWIDTH_BARCELONA = "".join(chr(ord(char) + 0xFEE0) for char in "BARCELONA")


def code(submission_id: int, *, call_id: int = 7, attempt: int = 0, secret: str = SECRET) -> str:
    return pseudonym(
        secret, prefix="ECA26", call_id=call_id, submission_id=submission_id, attempt=attempt
    )


# --- Pseudonyms ----------------------------------------------------------------------------


def test_pseudonym_is_derived_from_secret_call_and_submission() -> None:
    assert [code(n) for n in range(1, 9)] == [
        "ECA26-Q9K",
        "ECA26-BRX",
        "ECA26-962",
        "ECA26-WK8",
        "ECA26-G68",
        "ECA26-GHC",
        "ECA26-MQ2",
        "ECA26-2NR",
    ]


def test_pseudonym_is_stable() -> None:
    assert code(42) == code(42) == "ECA26-R59"


def test_pseudonym_differs_per_call_submission_and_secret() -> None:
    labels = {code(42), code(43), code(42, call_id=8), code(42, secret="another-secret")}

    assert len(labels) == 4


def test_consecutive_submissions_do_not_get_sortable_or_consecutive_codes() -> None:
    codes = [code(n).removeprefix("ECA26-") for n in range(1, 101)]
    ranks = [int("".join(str(ALPHABET.index(c)).zfill(2) for c in label)) for label in codes]

    assert len(set(codes)) == 100
    assert sorted(codes) != codes
    assert sorted(codes, reverse=True) != codes
    steps = [later - earlier for earlier, later in itertools.pairwise(ranks)]
    assert sum(step > 0 for step in steps) in range(30, 71)  # order tells nothing
    assert len(set(steps)) == 99


def test_pseudonym_never_uses_ambiguous_characters() -> None:
    used = {char for n in range(1, 2001) for char in code(n).removeprefix("ECA26-")}

    assert used == set(ALPHABET)
    assert used.isdisjoint("01OIL")


def test_next_attempt_derives_another_code_then_a_longer_one() -> None:
    labels = [code(42, attempt=attempt) for attempt in (0, 1, 7, 8, 16)]

    assert labels == ["ECA26-R59", "ECA26-UTT", "ECA26-FGT", "ECA26-BB65", "ECA26-TY54Z"]


@pytest.mark.parametrize(
    ("secret", "attempt", "message"),
    [
        ("", 0, "a pseudonym needs a secret: without one anyone can derive it"),
        (SECRET, -1, "attempt must be 0 or more, not -1"),
        (SECRET, 8 * 49, "a pseudonym has 1 to 51 characters, not 52"),
    ],
)
def test_pseudonym_refuses_what_would_make_it_guessable_or_impossible(
    secret: str, attempt: int, message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        code(42, secret=secret, attempt=attempt)


@given(
    call_id=st.integers(min_value=1, max_value=10**9),
    submission_id=st.integers(min_value=1, max_value=10**9),
    attempt=st.integers(min_value=0, max_value=7),
)
def test_every_pseudonym_has_the_prefix_and_three_unambiguous_characters(
    call_id: int, submission_id: int, attempt: int
) -> None:
    label = code(submission_id, call_id=call_id, attempt=attempt)

    assert re.fullmatch(f"ECA26-[{ALPHABET}]{{3}}", label)


# --- Names ---------------------------------------------------------------------------------


def test_redactor_knows_the_folded_terms_and_their_distinctive_parts() -> None:
    assert BARCELONA.terms == (
        "ada serra",
        "ajuntament de barcelona",
        "barcelona",
        "barcelone",
        "espana",
        "spain",
    )
    assert BARCELONA.parts == ("ajuntament", "barcelona", "serra")


@pytest.mark.parametrize(
    ("term", "parts"),
    [
        ("Santo André", ("andre",)),
        ("São Paulo", ("paulo",)),
        ("Ciudad de México", ("mexico",)),
        ("Rio de Janeiro", ("janeiro",)),
        ("L'Hospitalet de Llobregat", ("hospitalet", "llobregat")),
        ("Câmara Municipal de Lisboa", ("lisboa",)),
        ("Ville de Saint-Étienne", ("etienne",)),
        ("Ada Serra", ("serra",)),
        ("Barcelona", ()),
    ],
)
def test_distinctive_parts_skip_short_and_generic_words(term: str, parts: tuple[str, ...]) -> None:
    assert distinctive_parts(term) == parts


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Barcelona's schools", "[redacted]'s schools"),
        ("Barcelona\u2019s schools", "[redacted]\u2019s schools"),
        ("BARCELONA, barcelona and Barcelona.", "[redacted], [redacted] and [redacted]."),
        ("Barcelonaise cuisine", "Barcelonaise cuisine"),
        ("#Barcelona2024 and barcelona_plan.pdf", "#[redacted]2024 and [redacted]_plan.pdf"),
        ("The Ajuntament de Barcelona opens", "The [redacted] opens"),
        ("l'Ajuntament decided", "l'[redacted] decided"),
        ("Ada Serra's team; Ada alone; SERRA", "[redacted]'s team; Ada alone; [redacted]"),
        ("España y Espana, not Espanha", "[redacted] y [redacted], not Espanha"),
        ("la ville de Barcelone", "la ville de [redacted]"),
        (FULLWIDTH_BARCELONA, "[redacted]"),
        ("Barcelona y Barcelona", "[redacted] y [redacted]"),
    ],
)
def test_names_are_redacted_as_whole_words_in_any_case(text: str, redacted: str) -> None:
    assert BARCELONA.redact(text) == redacted


@pytest.mark.parametrize(
    ("term", "text", "redacted"),
    [
        ("Bogotá", "Bogotá, Bogota, BOGOTÁ", "[redacted], [redacted], [redacted]"),
        ("Bogota", "Bogotá", "[redacted]"),
        ("Bogotá", unicodedata.normalize("NFD", "Bogotá!"), "[redacted]!"),
        ("Łódź", "Lodz and ŁÓDŹ", "[redacted] and [redacted]"),
        ("Santo André", "Santo André, André and santo", "[redacted], [redacted] and santo"),
        ("Santo André", "Santo-André and santo_andre", "[redacted] and [redacted]"),
        (
            "São Paulo",
            "São Paulo, Sao Paulo, Paulo; São",
            "[redacted], [redacted], [redacted]; São",
        ),
        ("Ciudad de México", "La ciudad de México; ciudad", "La [redacted]; ciudad"),
        ("Rio de Janeiro", "Rio; em janeiro de 2024", "Rio; em [redacted] de 2024"),
        ("Santo", "Santo and santo", "[redacted] and [redacted]"),
    ],
)
def test_accents_and_generic_words(term: str, text: str, redacted: str) -> None:
    assert Redactor([term]).redact(text) == redacted


# --- Contacts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Write to ada.serra@bcn.cat.", "Write to [redacted]."),
        ("info@barcelona.cat", "[redacted]"),
        ("ada.serra(at)bcn.cat", "[redacted](at)[redacted]"),
        ("(see https://ajuntament.barcelona.cat/educacio).", "(see [redacted])."),
        ("http://example.org/a?b=c, then", "[redacted], then"),
        ("www.bcn.cat/escoles; www.example.org", "[redacted]; [redacted]"),
        ("Visit educa.bcn.cat/escoles.", "Visit [redacted]."),
        ("https://en.wikipedia.org/wiki/Foo_(bar) here", "[redacted] here"),
        ("Call +34 93 402 70 00.", "Call [redacted]."),
        ("Ligue (11) 4433-0000 ou", "Ligue [redacted] ou"),
        ("+55 (11) 4433-0000", "[redacted]"),
        ("Appelez le 06 12 34 56 78 !", "Appelez le [redacted] !"),
        ("06.12.34.56.78", "[redacted]"),
        ("0612345678", "[redacted]"),
        ("4433-0000", "[redacted]"),
        ("+34934027000", "[redacted]"),
        ("Tel. 934 027 000", "Tel. [redacted]"),
        ("Tél : 02 61 44", "Tél : [redacted]"),
        ("teléfono: 934-027-000", "teléfono: [redacted]"),
    ],
)
def test_contact_details_are_redacted(text: str, redacted: str) -> None:
    assert Redactor([]).redact(text) == redacted


@pytest.mark.parametrize(
    "text",
    [
        "In 2024, 12,000 visits",
        "until 2023-06-30 and from 30.06.2023",
        "from 2019-2023 and 2019 2020",
        "12 000 000 euros, 1.500.000 habitants, 25.000.000 €",
        "a budget of 934 027 000 euros",
        "3.5 % of 40 schools; 1 234 567",
        "report.pdf, e.g. U.S. i.e. p. ex. version 1.2.3",
        "20240630 and 123456789",
        "Tel. 112",
    ],
)
def test_years_amounts_dates_and_ordinary_numbers_stay(text: str) -> None:
    assert Redactor([]).redact(text) == text


@pytest.mark.parametrize(
    "blob", ["a" * 200_000, "a.b+" * 50_000, "ab-" * 66_000 + ".", "1 " * 100_000 + "x"]
)
def test_a_pasted_blob_is_redacted_in_linear_time(blob: str) -> None:
    # Tried at every character of a long token, a pattern would take minutes here.
    started = time.perf_counter()

    BARCELONA.redact(blob)

    assert time.perf_counter() - started < 5


# --- Properties ----------------------------------------------------------------------------

APPLICANT_NAMES = (
    "Ajuntament de Barcelona",
    "Barcelona",
    "Ada Serra",
    "Serra",
    "España",
    "Ajuntament",
)
SEPARATORS = (
    " ",
    "\n",
    ", ",
    ". ",
    "(",
    ")",
    "«",
    "»",
    "'",
    "\u2019",
    "-",
    "/",
    "\t",
    "\u00a0",
    "#",
)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@st.composite
def spelled(draw: st.DrawFn) -> str:
    """A name as an applicant may write it: any case, with or without its accents."""
    name = draw(st.sampled_from(APPLICANT_NAMES))
    if draw(st.booleans()):
        name = strip_accents(name)
    upper = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    return "".join(c.upper() if up else c.lower() for c, up in zip(name, upper, strict=True))


def as_word(name: str) -> re.Pattern[str]:
    words = r"[\W_]+".join(map(re.escape, fold(name).split()))
    return re.compile(rf"(?<![^\W\d_]){words}(?![^\W\d_])")


@given(
    before=st.text(),
    name=spelled(),
    after=st.text(),
    left=st.sampled_from(SEPARATORS),
    right=st.sampled_from(SEPARATORS),
)
def test_no_name_of_the_applicant_survives_redaction(
    before: str, name: str, after: str, left: str, right: str
) -> None:
    redacted = BARCELONA.redact(f"{before}{left}{name}{right}{after}")

    assert not as_word(name).search(fold(redacted))


PROSE_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzàéíóúçãñ", min_size=1, max_size=12)
PROSE_GAPS = st.sampled_from((" ", ", ", ". ", "; ", "'", " - ", "\n"))


@given(st.lists(st.tuples(PROSE_WORDS, PROSE_GAPS), max_size=40))
def test_prose_without_names_or_contacts_is_left_as_it_is(words: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in words)
    assume(not any(as_word(name).search(fold(text)) for name in APPLICANT_NAMES))

    assert BARCELONA.redact(text) == text


# --- Answers -------------------------------------------------------------------------------


def award_form() -> Form:
    """The award's form, with a non-identifying annex as a jury would read it."""
    kind = load_kind(AWARD)
    annex = FormField(name="annex", type=FieldType.FILE, label={"en": "Annex"}, help={})
    return Form((*kind.form.fields, annex))


def each(text: str) -> dict[str, str]:
    return {language: text.format(language=language) for language in LANGUAGES}


def test_jury_answers_drop_identifying_fields_and_redact_every_language() -> None:
    answers: dict[str, object] = {
        "title": {
            "en": "Barcelona's open schoolyards",
            "fr": "Les cours d'école ouvertes de Barcelone",
            "es": "Patios abiertos en Barcelona",
            "pt": "Pátios abertos em BARCELONA",
            "de": "Offene Schulhöfe in Barcelona",
        },
        "summary": each("The Ajuntament de Barcelona opens schoolyards ({language})"),
        "focus_area": "cultural_community_life",
        "started_on": "2022-09-01",
        "description": each("Contact Ada Serra at ada.serra@bcn.cat or +34 93 402 70 00"),
        "impact": each("12,000 visits a month since 2023-06-30"),
        "charter_principles": ["1", "8"],
        "contact_name": "Ada Serra",
        "contact_email": "ada.serra@barcelona.test",
        "website": "https://www.barcelona.cat/escoles",
        "support_letter": {
            "attachment_id": 3,
            "filename": "Carta alcaldessa Barcelona.pdf",
            "content_type": "application/pdf",
            "size": 52_113,
            "sha256": "9f" * 32,
        },
        "annex": {
            "attachment_id": 4,
            "filename": "Barcelona_pati_obert.PDF",
            "content_type": "application/pdf",
            "size": 1_024_000,
            "sha256": "ab" * 32,
        },
        "mayor_phone": "+34 93 402 70 00",
    }

    shown = anonymised_answers(award_form(), answers, redactor=BARCELONA, languages=LANGUAGES)

    assert shown == {
        "title": {
            "en": "[redacted]'s open schoolyards",
            "fr": "Les cours d'école ouvertes de [redacted]",
            "es": "Patios abiertos en [redacted]",
            "pt": "Pátios abertos em [redacted]",
        },
        "summary": each("The [redacted] opens schoolyards ({language})"),
        "focus_area": "cultural_community_life",
        "started_on": "2022-09-01",
        "description": each("Contact [redacted] at [redacted] or [redacted]"),
        "impact": each("12,000 visits a month since 2023-06-30"),
        "charter_principles": ["1", "8"],
        "annex": {
            "document": "annex",
            "name": "annex-1.pdf",
            "content_type": "application/pdf",
            "size": 1_024_000,
        },
    }


def test_jury_answers_do_not_share_mutable_values_with_the_submission() -> None:
    answers: dict[str, object] = {"charter_principles": ["1", "8"]}

    shown = anonymised_answers(award_form(), answers, redactor=BARCELONA, languages=LANGUAGES)

    assert shown == answers
    assert shown["charter_principles"] is not answers["charter_principles"]


def test_jury_answers_keep_empty_answers_empty_and_withhold_malformed_text() -> None:
    answers: dict[str, object] = {"title": {"en": 12, "fr": None}, "summary": None, "annex": None}

    shown = anonymised_answers(award_form(), answers, redactor=BARCELONA, languages=LANGUAGES)

    assert shown == {"title": {"en": None, "fr": None}, "summary": None, "annex": None}


@pytest.mark.parametrize(
    ("field", "extension", "index", "name"),
    [
        ("annex", "pdf", 1, "annex-1.pdf"),
        ("photos", "JPEG", 3, "photos-3.jpeg"),
        ("annex", "", 1, "annex-1"),
    ],
)
def test_neutral_name_says_only_field_and_position(
    field: str, extension: str, index: int, name: str
) -> None:
    assert neutral_name(field, extension, index=index) == name
