"""What features add to the core, registered once at start-up (`awards.assembly`): the handler
of each effect kind, the workflow roles a feature knows of, the values an effect may show, the
attachments a mail may carry, and the sections of a call kind's file a feature parses. The core
calls what is registered and imports no feature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from awards.errors import ConfigurationError
from awards.kinds.sections import SectionParser
from awards.transitions.runtime import AttachmentSource, EffectHandler, RoleSource, ValueSource
from awards.vocabulary import EffectKind

T = TypeVar("T")


@dataclass
class Extensions:
    """The registry features fill at start-up; each name is registered once."""

    effects: dict[str, EffectHandler] = field(default_factory=dict)
    values: dict[str, ValueSource] = field(default_factory=dict)
    roles: list[RoleSource] = field(default_factory=list)
    sections: dict[str, SectionParser] = field(default_factory=dict)
    attachments: dict[str, AttachmentSource] = field(default_factory=dict)

    def effect(self, kind: EffectKind, handler: EffectHandler) -> None:
        _once(self.effects, kind, handler, what="effect kind")

    def value(self, name: str, source: ValueSource) -> None:
        _once(self.values, name, source, what="value")

    def role(self, source: RoleSource) -> None:
        self.roles.append(source)

    def attachment(self, name: str, source: AttachmentSource) -> None:
        _once(self.attachments, name, source, what="mail attachment")

    def section(self, name: str, parser: SectionParser) -> None:
        _once(self.sections, name, parser, what="call kind section")

    def check(self) -> None:
        """Every effect kind a call kind may name has its handler."""
        missing = sorted(set(EffectKind) - set(self.effects))
        if missing:
            raise ConfigurationError(f"no handler for the effect kinds {', '.join(missing)}")


def _once(registry: dict[str, T], name: str, item: T, *, what: str) -> None:
    if name in registry:
        raise ConfigurationError(f"the {what} '{name}' is registered twice")
    registry[name] = item
