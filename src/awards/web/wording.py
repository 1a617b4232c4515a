"""The names a call kind brings (states, transitions, guards, choices) in the reader's words.

States, transitions and guards are translated by the pages' catalogue (`state.<name>`,
`transition.<name>`, `guard.<name>`, and `rule.<type>` for a kind's rules); a name the
catalogue does not know is shown as it is written in the kind's file.
"""

from __future__ import annotations

from dataclasses import dataclass

from awards.calls.kinds import CallKind
from awards.web.page import Visitor


@dataclass(frozen=True)
class Wording:
    kind: CallKind
    reader: Visitor

    def state(self, name: str) -> str:
        return self.reader.term("state", name)

    def transition(self, name: str) -> str:
        return self.reader.term("transition", name)

    def guard(self, name: str) -> str:
        rule = self.kind.rules.get(name)
        return self.reader.term("rule", rule.type) if rule else self.reader.term("guard", name)

    @staticmethod
    def choice(value: str) -> str:
        """A choice's value, readable: the kinds' files give choices no labels yet."""
        return value.replace("_", " ").capitalize()
