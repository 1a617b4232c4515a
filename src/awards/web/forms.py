"""A call kind's form as HTML inputs, and posted inputs back as answers.

Parsing only shapes what the browser sent (text, lists, numbers, amounts); whether an answer
is acceptable is the form definition's own check (`FormField.check`), which the pages call
field by field so that one wrong answer does not keep the others from being saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from awards.errors import Invalid
from awards.kinds.forms import FieldType, Flagged, Form, FormField

ANSWER = "a"
"""Prefix of the inputs of the submission form: `a.title.en`, `a.focus_area`."""
INPUT = "i"
"""Prefix of the inputs a transition asks for (the kind's inputs_form)."""
SINGLE_LINE = frozenset(
    {FieldType.TEXT, FieldType.EMAIL, FieldType.URL, FieldType.ORGANISATION, FieldType.NUMBER}
)
HTML_TYPE = {
    FieldType.EMAIL: "email",
    FieldType.URL: "url",
    FieldType.DATE: "date",
    FieldType.NUMBER: "number",
}


@dataclass(frozen=True)
class Box:
    """One input element: its name and id, its value, and its language if it has one."""

    name: str
    id: str
    value: str
    language: str | None = None


@dataclass(frozen=True)
class FieldView:
    """A question as the page shows it, in the reader's language."""

    field: FormField
    name: str
    """The input's name (`a.focus_area`); a multilingual or money field's boxes add to it."""
    id: str
    label: str
    help: str
    boxes: tuple[Box, ...]
    """Text-like inputs: one per language of the call when multilingual, else one."""
    chosen: tuple[str, ...] = ()
    """Choices made (choice and multi-choice fields)."""
    choices: tuple[tuple[str, str], ...] = ()
    """Choice fields: every option as (value, label in the reader's language)."""
    file: Mapping[str, Any] | None = None
    """The uploaded attachment answering a file field."""

    @property
    def kind(self) -> str:
        """How to draw it: line, area, select, checkboxes, money or file."""
        if self.field.type is FieldType.LONG_TEXT:
            return "area"
        if self.field.type is FieldType.CHOICE:
            return "select"
        if self.field.type is FieldType.MULTI_CHOICE:
            return "checkboxes"
        if self.field.type is FieldType.MONEY:
            return "money"
        if self.field.type is FieldType.FILE:
            return "file"
        return "line"

    @property
    def chosen_labels(self) -> list[str]:
        labels = dict(self.choices)
        return [labels.get(value, value) for value in self.chosen]

    @property
    def html_type(self) -> str:
        return HTML_TYPE.get(self.field.type, "text")


def field_views(
    form: Form,
    answers: Mapping[str, Any],
    *,
    languages: Sequence[str],
    language: str,
    default: str,
    prefix: str = ANSWER,
    id_prefix: str | None = None,
) -> list[FieldView]:
    """Every field of `form` with its current answer, labelled in `language`; `id_prefix`
    keeps element ids apart when one page shows the same form more than once."""
    return [
        _view(
            field,
            answers.get(field.name),
            languages,
            (language, default),
            name=f"{prefix}.{field.name}",
            html_id=f"{id_prefix or prefix}-{field.name}",
        )
        for field in form.fields
    ]


def _text(texts: Mapping[str, str], language: str, default: str) -> str:
    return texts.get(language) or texts.get(default) or next(iter(texts.values()), "")


def _view(
    field: FormField,
    value: Any,
    languages: Sequence[str],
    reading: tuple[str, str],
    *,
    name: str,
    html_id: str,
) -> FieldView:
    language, default = reading
    common: dict[str, Any] = {
        "field": field,
        "name": name,
        "id": html_id,
        "label": _text(field.label, language, default),
        "help": _text(field.help, language, default) if field.help else "",
    }
    if field.type is FieldType.FILE:
        return FieldView(boxes=(), file=value if isinstance(value, Mapping) else None, **common)
    if field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        chosen = value if isinstance(value, list) else [] if value is None else [value]
        choices = tuple(
            (option, field.option_label(option, language=language, default=default))
            for option in field.options
        )
        return FieldView(boxes=(), chosen=tuple(map(str, chosen)), choices=choices, **common)
    if field.type is FieldType.MONEY:
        money = value if isinstance(value, Mapping) else {}
        boxes = tuple(
            Box(f"{name}.{part}", f"{html_id}-{part}", str(money.get(part, "")))
            for part in ("amount", "currency")
        )
        return FieldView(boxes=boxes, **common)
    if field.multilingual:
        texts = value if isinstance(value, Mapping) else {}
        boxes = tuple(
            Box(f"{name}.{lang}", f"{html_id}-{lang}", str(texts.get(lang, "")), lang)
            # The reader's own language first, then the call's order.
            for lang in sorted(languages, key=lambda lang: lang != language)
        )
        return FieldView(boxes=boxes, **common)
    shown = "" if value is None else str(value)
    return FieldView(boxes=(Box(name, html_id, shown),), **common)


def parse_answers(
    form: Form,
    posted: Mapping[str, Sequence[str]],
    *,
    languages: Sequence[str],
    prefix: str = ANSWER,
) -> dict[str, Any]:
    """The answers in `posted` (name -> values), one per field of `form` but files; an empty
    input is `None`, which clears the answer."""
    answers: dict[str, Any] = {}
    for field in form.fields:
        if field.type is FieldType.FILE:
            continue
        answers[field.name] = _parse(field, posted, f"{prefix}.{field.name}", languages)
    return answers


def _first(posted: Mapping[str, Sequence[str]], name: str) -> str:
    values = posted.get(name) or [""]
    return values[0].strip()


def _parse(
    field: FormField, posted: Mapping[str, Sequence[str]], name: str, languages: Sequence[str]
) -> Any:
    if field.type is FieldType.MULTI_CHOICE:
        chosen = [value for value in posted.get(name, []) if value]
        return chosen or None
    if field.type is FieldType.MONEY:
        amount, currency = _first(posted, f"{name}.amount"), _first(posted, f"{name}.currency")
        return {"amount": amount, "currency": currency.upper()} if amount or currency else None
    if field.multilingual:
        # An empty object, not None: the form's check takes no None for a multilingual field.
        texts = {lang: _first(posted, f"{name}.{lang}") for lang in languages}
        return {lang: text for lang, text in texts.items() if text}
    text = _first(posted, name)
    if not text:
        return None
    if field.type is FieldType.NUMBER:
        return _number(text)
    return text


def _number(text: str) -> int | float | str:
    """A number, or the text as given so that the form's check names what is wrong."""
    for kind in (int, float):
        try:
            return kind(text.replace(",", "."))
        except ValueError:
            continue
    return text


def changes(answers: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that differ from `stored`; an empty answer where there was none is none."""
    return {
        name: value
        for name, value in answers.items()
        if value != stored.get(name) and not (_blank(value) and _blank(stored.get(name)))
    }


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def checked(
    form: Form, answers: Mapping[str, Any], *, languages: Sequence[str]
) -> tuple[dict[str, Any], dict[str, Invalid]]:
    """`answers` split into those a draft keeps (kept as typed when they break a rule a draft
    may break) and, by field, what each breaks (refused or flagged)."""
    kept: dict[str, Any] = {}
    problems: dict[str, Invalid] = {}
    for name, value in answers.items():
        try:
            form.check_answers({name: value}, languages=tuple(languages))
        except Flagged as problem:
            kept[name], problems[name] = value, problem
        except Invalid as problem:
            problems[name] = problem
        else:
            kept[name] = value
    return kept, problems
