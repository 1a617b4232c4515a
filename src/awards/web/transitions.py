"""The transition buttons every audience's pages share: what a posted button asks for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Request

from awards.errors import Invalid
from awards.kinds.kind import CallKind
from awards.web.forms import INPUT, FieldView, field_views, parse_answers
from workflows import Option


@dataclass(frozen=True)
class PostedTransition:
    name: str
    reason: str | None
    fields: dict[str, list[str]]

    def inputs(self, kind: CallKind, *, languages: Sequence[str]) -> dict[str, Any]:
        """The values the transition asks for (the kind's inputs_form), as typed beside it."""
        transition = kind.submission_workflow.transitions.get(self.name)
        if transition is None or not transition.inputs:
            return {}
        parsed = parse_answers(kind.inputs_form, self.fields, languages=languages, prefix=INPUT)
        return {name: parsed[name] for name in transition.inputs if parsed.get(name) is not None}


async def posted_transition(request: Request[Any, Any, Any]) -> PostedTransition:
    """The transition a button posted (`name`), the reason typed beside it, and the rest."""
    form = await request.form()
    fields = {key: [str(value) for value in form.getall(key)] for key in form}
    name = (fields.get("name") or [""])[0].strip()
    if not name:
        raise Invalid("which transition? the form sent no name", extra={"field": "name"})
    reason = (fields.get("reason") or [""])[0].strip()
    return PostedTransition(name, reason or None, fields)


def input_fields(
    kind: CallKind, *, languages: Sequence[str], language: str, id_prefix: str
) -> dict[str, FieldView]:
    """The inputs a kind's transitions may ask for, by name, to draw beside their buttons."""
    views = field_views(
        kind.inputs_form,
        {},
        languages=languages,
        language=language,
        default=kind.default_language,
        prefix=INPUT,
        id_prefix=id_prefix,
    )
    return {view.field.name: view for view in views}


def option_named(options: Sequence[Option], name: str) -> Option | None:
    """Transition `name` among `options` (None when it does not leave the current state)."""
    return next((option for option in options if option.transition.name == name), None)
