"""Forms of a call kind: typed fields, per-language labels, validation that names the field.

Drafts may be incomplete, so `check_answers` only rejects what is wrong; `missing` lists the
required fields still empty, and is what the submit guard reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from awards.errors import Invalid
from awards.storage.content import FileFamily


class WrittenIn(StrEnum):
    """In which of a call's languages a candidacy's texts are written."""

    ONE = "one"
    """One of them, the applicant's choice (the Award, the Congress)."""
    ALL = "all"
    """Every one of them."""


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    DATE = "date"
    NUMBER = "number"
    MONEY = "money"
    EMAIL = "email"
    URL = "url"
    FILE = "file"
    ORGANISATION = "organisation"
    """The slug of an organisation of the members register (e.g. a mentor city)."""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)
TEXT_TYPES = (FieldType.TEXT, FieldType.LONG_TEXT)
TEXTUAL_TYPES = (
    *TEXT_TYPES,
    FieldType.EMAIL,
    FieldType.URL,
    FieldType.DATE,
    FieldType.ORGANISATION,
)
MAX_ANSWER_CHARS = 100_000
"""Characters of one text answer, whatever its word limit: fifty pages."""
MAX_WORD_CHARS = 300
"""Longer than any word or pasted link: one 16 MB "word" passed every word limit."""
NUMBER_LIMIT = 10**15
"""Numbers and amounts stay below (finite): counts of seats, budgets in any currency."""
MEGABYTE = 1024 * 1024
DEFAULT_MAX_SIZE_MB = 10
MAX_SIZE_MB_CEILING = 50
"""No file field may allow more: the upload route's body limit is sized from it."""


PROBLEMS = {
    "not_by_language": "must be an object keyed by language",
    "not_a_call_language": "language '{language}' is not a language of this call",
    "too_many_words": "has {words} words; at most {most} are allowed",
    "not_email": "must be an e-mail address",
    "control_character": "must not hold a line break or another control character",
    "not_url": "must be an http(s) address",
    "not_date": "must be a date as YYYY-MM-DD",
    "not_an_option": "must be one of {options}",
    "not_options": "must be a list of {options}",
    "not_number": "must be a number",
    "number_too_large": "must be a number between -{limit} and {limit}",
    "file_by_upload": "is set by uploading a file to the submission's attachments",
    "not_text": "must be text",
    "too_long": "has more than {most} characters",
    "word_too_long": "has a word of more than {most} characters",
    "not_money": 'must be {{"amount": "1234.50", "currency": "EUR"}}',
    "not_amount": "amount must be a decimal number",
    "amount_too_large": "amount must be a decimal number below {limit}",
    "not_currency": "must be a non-negative amount with an ISO 4217 currency",
}
"""What an answer can break, by code (`extra["code"]` of the refusal, with its `params`):
the pages say it in the reader's words (`form.<code>`)."""

KEPT_AS_TYPED = frozenset({"too_many_words", "not_email", "not_url", "not_date"})
"""Problems a draft may hold while the applicant works on it: the answer is saved as typed
and flagged, and submitting is refused until it is mended (`Form.problems`)."""


class Flagged(Invalid):
    """An answer a draft keeps as typed though it breaks a rule (`KEPT_AS_TYPED`)."""


@dataclass(frozen=True)
class FormField:
    """One question of a form."""

    name: str
    type: FieldType
    label: Mapping[str, str]
    help: Mapping[str, str]
    required: bool = False
    identifying: bool = False
    """Reveals the applicant: hidden from an anonymised jury."""
    multilingual: bool = False
    """Answered once per language of the call: the answer is `{lang: text}`."""
    max_words: int | None = None
    options: tuple[str, ...] = ()
    """Choice fields: the values an answer may take."""
    option_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Choice fields: per value, its label in each language of the kind (when it has one)."""
    network: str | None = None
    """For an organisation field: the network it must be a member of."""
    max_size_mb: int = DEFAULT_MAX_SIZE_MB
    """File fields: the largest upload accepted, in MB of 2**20 bytes."""
    accept: tuple[str, ...] = tuple(FileFamily)
    """File fields: the families of documents accepted, judged by content (`FileFamily`)."""

    def __post_init__(self) -> None:
        """A call-kind file with impossible file options fails when it loads."""
        size = self.max_size_mb
        if isinstance(size, bool) or not isinstance(size, int):
            raise ValueError(f"field '{self.name}': max_size_mb must be a whole number")
        if not 0 < size <= MAX_SIZE_MB_CEILING:
            raise ValueError(
                f"field '{self.name}': max_size_mb must be between 1 and {MAX_SIZE_MB_CEILING}"
            )
        unknown = [family for family in self.accept if family not in set(FileFamily)]
        if unknown or not self.accept:
            raise ValueError(
                f"field '{self.name}': accept must list some of {', '.join(FileFamily)}, "
                f"not {', '.join(map(str, unknown)) or 'nothing'}"
            )

    def option_label(self, value: str, *, language: str, default: str) -> str:
        """A choice as a person reads it: its label in `language`, else in `default`, else
        the value made readable (`lifelong_education` -> `Lifelong education`)."""
        labels = self.option_labels.get(value, {})
        return labels.get(language) or labels.get(default) or value.replace("_", " ").capitalize()

    def as_read(self, value: Any, *, language: str, default: str) -> str:
        """An answer as a person reads it in `language`: a choice by its label, a document by
        its name, an amount with its currency, a text written in several languages in theirs."""
        if self.multilingual and isinstance(value, Mapping):
            texts = [value.get(language), value.get(default), *value.values()]
            return str(next((text for text in texts if text), ""))
        if self.type is FieldType.CHOICE and isinstance(value, str):
            return self.option_label(value, language=language, default=default)
        if self.type is FieldType.MULTI_CHOICE and isinstance(value, list):
            return ", ".join(
                self.option_label(str(item), language=language, default=default) for item in value
            )
        if self.type is FieldType.FILE and isinstance(value, Mapping):
            return str(value.get("filename", ""))
        if self.type is FieldType.MONEY and isinstance(value, Mapping):
            return f"{value.get('amount')} {value.get('currency')}"
        return str(value)

    @property
    def max_bytes(self) -> int:
        return self.max_size_mb * MEGABYTE

    def check(self, value: Any, *, languages: tuple[str, ...]) -> None:
        """Raise `Invalid` naming this field if `value` breaks a rule (emptiness is allowed):
        a rule a draft may break (`Flagged`) only once every text passed the others."""
        if not self.multilingual:
            self._check_one(value)
            return
        if not isinstance(value, Mapping):
            self._fail("not_by_language", value)
        flagged: list[Flagged] = []
        for language, text in value.items():
            if language not in languages:
                self._fail("not_a_call_language", value, language=language)
            try:
                self._check_one(text)
            except Flagged as problem:
                flagged.append(problem)
        if flagged:
            raise flagged[0]

    def is_empty(
        self, value: Any, *, languages: tuple[str, ...], written_in: WrittenIn = WrittenIn.ALL
    ) -> bool:
        """No answer; a text in several languages lacks one of `languages` (or, written in
        one, has none)."""
        if self.multilingual:
            blanks = (
                [_blank(value.get(language)) for language in languages]
                if isinstance(value, Mapping)
                else [True]
            )
            return all(blanks) if written_in is WrittenIn.ONE else any(blanks)
        return _blank(value)

    def _check_one(self, value: Any) -> None:
        if value is None:
            return
        kind = self.type
        if kind in TEXTUAL_TYPES:
            self._check_text(value)
        if kind in TEXT_TYPES and self.max_words is not None:
            words = len(value.split())
            if words > self.max_words:
                self._fail("too_many_words", value, words=words, most=self.max_words)
        elif kind in (FieldType.EMAIL, FieldType.URL) and _CONTROL.search(value):
            self._fail("control_character", value)
        elif kind is FieldType.EMAIL and value and not _EMAIL.match(value):
            self._fail("not_email", value)
        elif kind is FieldType.URL and value and not _URL.match(value):
            self._fail("not_url", value)
        elif kind is FieldType.DATE and value:
            try:
                date.fromisoformat(value)
            except ValueError:
                self._fail("not_date", value)
        elif kind is FieldType.CHOICE and value not in self.options:
            self._fail("not_an_option", value, options=", ".join(self.options))
        elif kind is FieldType.MULTI_CHOICE:
            if not isinstance(value, list) or any(item not in self.options for item in value):
                self._fail("not_options", value, options=", ".join(self.options))
        elif kind is FieldType.NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float):
                self._fail("not_number", value)
            if not -NUMBER_LIMIT < value < NUMBER_LIMIT:  # NaN compares false: refused too
                self._fail("number_too_large", value, limit=NUMBER_LIMIT)
        elif kind is FieldType.MONEY:
            self._check_money(value)
        elif kind is FieldType.FILE:
            # Only an upload sets a file answer (it checks and stores the bytes); an edit may
            # clear it, never point it at some other file.
            self._fail("file_by_upload", value)

    def _check_text(self, value: Any) -> None:
        if not isinstance(value, str):
            self._fail("not_text", value)
        if len(value) > MAX_ANSWER_CHARS:
            self._fail("too_long", value, most=MAX_ANSWER_CHARS)
        if self.type in TEXT_TYPES and any(len(word) > MAX_WORD_CHARS for word in value.split()):
            self._fail("word_too_long", value, most=MAX_WORD_CHARS)

    def _check_money(self, value: Any) -> None:
        if not isinstance(value, Mapping) or set(value) != {"amount", "currency"}:
            self._fail("not_money", value)
        try:
            amount = Decimal(str(value["amount"]))
        except InvalidOperation:
            self._fail("not_amount", value)
        if not (amount.is_finite() and abs(amount) < NUMBER_LIMIT):
            self._fail("amount_too_large", value, limit=NUMBER_LIMIT)
        if amount < 0 or not re.fullmatch(r"[A-Z]{3}", str(value["currency"])):
            self._fail("not_currency", value)

    def _fail(self, code: str, value: Any, **params: object) -> None:
        rule = PROBLEMS[code].format_map(params)
        raise (Flagged if code in KEPT_AS_TYPED else Invalid)(
            f"field '{self.name}' {rule}",
            extra={"field": self.name, "rule": rule, "code": code, "params": params},
        )


@dataclass(frozen=True)
class Form:
    """The fields of a call kind's form, in display order."""

    fields: tuple[FormField, ...]
    written_in: WrittenIn = WrittenIn.ALL
    """Whether texts in several languages are written in all the call's languages, or in
    one of them of the applicant's choice (the kind's `written_in:`)."""

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)

    def check_answers(self, answers: Mapping[str, Any], *, languages: tuple[str, ...]) -> None:
        """Raise `Invalid` for the first unknown field or broken rule."""
        for name, value in answers.items():
            form_field = self.field(name)
            if form_field is None:
                raise Invalid(
                    f"field '{name}' is not on this form",
                    extra={"field": name, "rule": "unknown field"},
                )
            form_field.check(value, languages=languages)

    def check_draft(
        self, answers: Mapping[str, Any], *, languages: tuple[str, ...]
    ) -> dict[str, Flagged]:
        """Raise `Invalid` for an answer no draft may hold; the others' problems by field."""
        flagged: dict[str, Flagged] = {}
        for name, value in answers.items():
            try:
                self.check_answers({name: value}, languages=languages)
            except Flagged as problem:
                flagged[name] = problem
        return flagged

    def flagged(
        self, answers: Mapping[str, Any], *, languages: tuple[str, ...]
    ) -> dict[str, Flagged]:
        """What stored answers break, by field: those a draft keeps as typed. (Any other
        refusal is not the answer's: a document is set by its upload, not by an edit.)"""
        found: dict[str, Flagged] = {}
        for name, value in answers.items():
            try:
                self.check_answers({name: value}, languages=languages)
            except Flagged as problem:
                found[name] = problem
            except Invalid:
                continue
        return found

    def missing(self, answers: Mapping[str, Any], *, languages: tuple[str, ...]) -> list[str]:
        """Names of required fields without an answer (in every language, or in one when the
        form is written in one, when multilingual)."""
        return [
            f.name
            for f in self.fields
            if f.required
            and f.is_empty(answers.get(f.name), languages=languages, written_in=self.written_in)
        ]

    def as_read(
        self, answers: Mapping[str, Any], *, language: str, default: str
    ) -> list[tuple[str, str]]:
        """Each answered question's label and answer in `language` (`FormField.as_read`), in
        the form's order: what a mail or a page shows of a candidacy."""
        return [
            (
                f.label.get(language) or f.label.get(default) or f.name,
                f.as_read(value, language=language, default=default),
            )
            for f in self.fields
            if not _blank(value := answers.get(f.name))
        ]


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict) and not value)
