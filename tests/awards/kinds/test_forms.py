"""Form answers: each rule is checked and its refusal names the field and the rule."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from awards.errors import Invalid
from awards.kinds.forms import (
    MAX_ANSWER_CHARS,
    MAX_WORD_CHARS,
    PROBLEMS,
    FieldType,
    Flagged,
    Form,
    FormField,
    WrittenIn,
)

LANGUAGES = ("en", "fr")


MONEY_RULE = "amount must be a decimal number below 1000000000000000"
NUMBER_RULE = "must be a number between -1000000000000000 and 1000000000000000"
"""A budget in any currency stays below; NaN, infinities and 1e999999 are refused (a 500, or
stored as given, before)."""


def field(kind: FieldType, **options: Any) -> FormField:
    return FormField(name="q", type=kind, label={"en": "Q", "fr": "Q"}, help={}, **options)


@pytest.mark.parametrize(
    ("form_field", "value", "rule"),
    [
        (field(FieldType.TEXT), 12, "must be text"),
        (
            field(FieldType.TEXT, max_words=3),
            "one two three four",
            "has 4 words; at most 3 are allowed",
        ),
        (
            field(FieldType.LONG_TEXT, multilingual=True),
            "plain",
            "must be an object keyed by language",
        ),
        (
            field(FieldType.LONG_TEXT, multilingual=True),
            {"de": "Hallo"},
            "language 'de' is not a language of this call",
        ),
        (field(FieldType.EMAIL), "mayor-at-city", "must be an e-mail address"),
        (field(FieldType.URL), "ftp://city.example", "must be an http(s) address"),
        (field(FieldType.DATE), "15/10/2025", "must be a date as YYYY-MM-DD"),
        (field(FieldType.CHOICE, options=("a", "b")), "c", "must be one of a, b"),
        (field(FieldType.MULTI_CHOICE, options=("a", "b")), ["a", "z"], "must be a list of a, b"),
        (field(FieldType.NUMBER), "12", "must be a number"),
        (field(FieldType.NUMBER), True, "must be a number"),
        (field(FieldType.MONEY), 30000, 'must be {"amount": "1234.50", "currency": "EUR"}'),
        (
            field(FieldType.MONEY),
            {"amount": "lots", "currency": "EUR"},
            "amount must be a decimal number",
        ),
        (
            field(FieldType.MONEY),
            {"amount": "-5", "currency": "EUR"},
            "must be a non-negative amount with an ISO 4217 currency",
        ),
        *(
            (field(FieldType.MONEY), {"amount": amount, "currency": "EUR"}, MONEY_RULE)
            for amount in ("NaN", "Infinity", "-Infinity", "1e999999", "1e15", 1e300)
        ),
        *(
            (field(FieldType.NUMBER), number, NUMBER_RULE)
            for number in (float("nan"), float("inf"), 10**15, 10**400)
        ),
        (
            field(FieldType.LONG_TEXT, max_words=2000),
            "x" * (MAX_WORD_CHARS + 1),
            f"has a word of more than {MAX_WORD_CHARS} characters",
        ),
        (
            field(FieldType.LONG_TEXT),
            "word " * (MAX_ANSWER_CHARS // 5 + 1),
            f"has more than {MAX_ANSWER_CHARS} characters",
        ),
        (
            field(FieldType.URL),
            "https://city.example/" + "x" * MAX_ANSWER_CHARS,
            f"has more than {MAX_ANSWER_CHARS} characters",
        ),
        (
            field(FieldType.FILE),
            "letter.pdf",
            "is set by uploading a file to the submission's attachments",
        ),
        (
            field(FieldType.FILE),
            {"attachment_id": 7},
            "is set by uploading a file to the submission's attachments",
        ),
    ],
)
def test_a_broken_rule_is_refused_naming_field_and_rule(
    form_field: FormField, value: Any, rule: str
) -> None:
    with pytest.raises(Invalid) as raised:
        Form((form_field,)).check_answers({"q": value}, languages=LANGUAGES)

    extra = raised.value.extra
    assert raised.value.message == f"field 'q' {rule}"
    assert (extra["field"], extra["rule"]) == ("q", rule)
    assert PROBLEMS[extra["code"]].format_map(extra["params"]) == rule  # pages translate it


def test_a_draft_keeps_an_answer_it_may_hold_as_typed_and_refuses_one_it_may_not() -> None:
    form = Form(
        (
            field(FieldType.TEXT, max_words=3),
            FormField("mail", FieldType.EMAIL, {}, {}),
            FormField("bio", FieldType.LONG_TEXT, {}, {}, multilingual=True, max_words=2),
        )
    )

    flagged = form.check_draft(
        {"q": "one two three four", "mail": "mayor at city"}, languages=LANGUAGES
    )

    assert {name: problem.extra["code"] for name, problem in flagged.items()} == {
        "q": "too_many_words",
        "mail": "not_email",
    }
    # A text too long in one language is refused, though another only has too many words.
    with pytest.raises(Invalid) as refused:
        form.check_draft(
            {"bio": {"en": "one two three", "fr": "x" * (MAX_WORD_CHARS + 1)}},
            languages=LANGUAGES,
        )
    assert not isinstance(refused.value, Flagged)
    assert refused.value.extra["code"] == "word_too_long"


@pytest.mark.parametrize(
    ("form_field", "value"),
    [
        (field(FieldType.TEXT, max_words=3), "one two three"),
        (field(FieldType.LONG_TEXT, multilingual=True), {"en": "Hello", "fr": "Bonjour"}),
        (field(FieldType.EMAIL), "mayor@city.example"),
        (field(FieldType.URL), "https://city.example/experience"),
        (field(FieldType.DATE), "2023-06-30"),
        (field(FieldType.CHOICE, options=("a", "b")), "b"),
        (field(FieldType.MULTI_CHOICE, options=("a", "b")), ["a", "b"]),
        (field(FieldType.NUMBER), 12.5),
        (field(FieldType.MONEY), {"amount": "30000.00", "currency": "EUR"}),
        (field(FieldType.MONEY), {"amount": "999999999999999.99", "currency": "EUR"}),
        (field(FieldType.LONG_TEXT), "https://city.example/" + "x" * (MAX_WORD_CHARS - 21)),
        (field(FieldType.TEXT), None),
    ],
)
def test_a_valid_answer_passes(form_field: FormField, value: Any) -> None:
    Form((form_field,)).check_answers({"q": value}, languages=LANGUAGES)


def test_an_answer_to_a_question_not_on_the_form_is_refused() -> None:
    with pytest.raises(Invalid) as raised:
        Form((field(FieldType.TEXT),)).check_answers({"budget": 3}, languages=LANGUAGES)

    assert raised.value.extra == {"field": "budget", "rule": "unknown field"}


def test_missing_lists_required_fields_empty_or_missing_in_a_language() -> None:
    form = Form(
        (
            FormField("title", FieldType.TEXT, {}, {}, required=True, multilingual=True),
            FormField("summary", FieldType.LONG_TEXT, {}, {}, required=True),
            FormField("notes", FieldType.LONG_TEXT, {}, {}),
            FormField("themes", FieldType.MULTI_CHOICE, {}, {}, required=True, options=("a",)),
        )
    )

    missing = form.missing(
        {"title": {"en": "A title", "fr": "  "}, "summary": "Done", "themes": []},
        languages=LANGUAGES,
    )

    assert missing == ["title", "themes"]


def test_answers_read_as_a_person_reads_them_in_their_language() -> None:
    themes = {"arts": {"en": "The arts", "fr": "Les arts"}, "sport": {"en": "Sport"}}
    form = Form(
        (
            FormField(
                "title", FieldType.TEXT, {"en": "Title", "fr": "Titre"}, {}, multilingual=True
            ),
            FormField(
                "themes",
                FieldType.MULTI_CHOICE,
                {"en": "Themes"},
                {},
                options=("arts", "sport"),
                option_labels=themes,
            ),
            FormField("budget", FieldType.MONEY, {"fr": "Budget prévu"}, {}),
            FormField("plan", FieldType.FILE, {"fr": "Plan"}, {}),
            FormField("notes", FieldType.LONG_TEXT, {"fr": "Notes"}, {}),
        )
    )
    answers = {
        "title": {"en": "Open schools", "fr": "Écoles ouvertes"},
        "themes": ["arts", "sport"],
        "budget": {"amount": "1500.00", "currency": "EUR"},
        "plan": {"attachment_id": 3, "filename": "plan.pdf", "sha256": "9f86d08188"},
        "notes": "  ",
    }

    assert form.as_read(answers, language="fr", default="en") == [
        ("Titre", "Écoles ouvertes"),
        ("Themes", "Les arts, Sport"),
        ("Budget prévu", "1500.00 EUR"),
        ("Plan", "plan.pdf"),
    ]


def title_form(written_in: WrittenIn) -> Form:
    title = FormField(
        name="title", type=FieldType.TEXT, label={"en": "T"}, help={}, multilingual=True
    )
    return Form((replace(title, required=True),), written_in=written_in)


@pytest.mark.parametrize(
    ("written_in", "missing"), [(WrittenIn.ONE, []), (WrittenIn.ALL, ["title"])]
)
def test_a_text_written_in_one_language_answers_a_form_written_in_one(
    written_in: WrittenIn, missing: list[str]
) -> None:
    answers = {"title": {"fr": "Cours ouvertes", "en": " "}}

    assert title_form(written_in).missing(answers, languages=LANGUAGES) == missing


def test_a_text_in_no_language_is_missing_even_when_one_is_enough() -> None:
    answers = {"title": {"en": "", "fr": " "}}

    assert title_form(WrittenIn.ONE).missing(answers, languages=LANGUAGES) == ["title"]
