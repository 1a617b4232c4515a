"""The names a call kind brings (states, transitions, guards, choices) in the reader's words.

States, transitions and rounds are said by the kind's own `terms:` when it gives them, else
by the pages' catalogue (`state.<name>`, `transition.<name>`, `guard.<name>`, and
`rule.<type>` for a kind's rules); a name neither knows is shown as the kind's file writes
it. A failing guard's reason is said from its code (`reason.<code>`); a choice by its label
in the kind's file.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from awards.errors import Invalid
from awards.kinds.forms import FormField
from awards.kinds.kind import CallKind
from awards.web.page import Visitor


@dataclass(frozen=True)
class Wording:
    kind: CallKind
    reader: Visitor

    def state(self, name: str) -> str:
        return self.reader.term("state", name, self.kind)

    def transition(self, name: str) -> str:
        return self.reader.term("transition", name, self.kind)

    def round(self, name: str) -> str:
        return self.reader.term("round", name, self.kind)

    def guard(self, name: str) -> str:
        rule = self.kind.rules.get(name)
        return self.reader.term("rule", rule.type) if rule else self.reader.term("guard", name)

    def reason(self, reason: str) -> Markup:
        """Why a guard fails, in the reader's words, a rule and fields called by their names
        here."""
        return self.reader.reason(reason, rule=self.guard, field=self.label, kind=self.kind)

    def label(self, name: str) -> str:
        """A field of the kind's form by its label in the reader's words."""
        found = self.kind.form.field(name)
        return self.reader.text(found.label, self.kind.default_language) if found else name

    def problem(self, problem: Invalid) -> str:
        """What an answer breaks (`forms.PROBLEMS`), in the reader's words."""
        return self.reader.t(f"form.{problem.extra['code']}", **problem.extra["params"])

    def category(self, name: str) -> str:
        """A category of the kind by its label in the reader's words."""
        found = next((c for c in self.kind.categories if c.name == name), None)
        return self.reader.text(found.label, self.kind.default_language) if found else name

    def choice(self, field: FormField, value: str) -> str:
        """A choice of `field` in the reader's words (its label in the kind's file)."""
        return field.option_label(
            value, language=self.reader.language, default=self.kind.default_language
        )
