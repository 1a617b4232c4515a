"""What guards and rules read: the call, the subject and the facts around it, loaded once
before a transition is decided, so every check stays a pure function."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from awards.calls.edition import EditionSettings
from awards.calls.kinds import CallKind
from awards.db.tables import Call, Organisation, Submission


@dataclass(frozen=True)
class Peer:
    """Another submission of the same call, as decision rules need to see it."""

    id: int
    organisation_id: int
    state: str
    category: str | None


@dataclass(frozen=True)
class Facts:
    organisation: Organisation | None = None
    """The submission's organisation (members register)."""
    peers: tuple[Peer, ...] = ()
    """Every submission of the call, this one included."""
    history: tuple[str, ...] = ()
    """Transitions already applied to the subject, oldest first."""
    extension_until: datetime | None = None
    """A deadline extension granted to the submission's organisation."""
    edition: EditionSettings = field(default_factory=EditionSettings)


@dataclass(frozen=True)
class GuardContext:
    kind: CallKind
    call: Call
    submission: Submission | None
    now: datetime
    facts: Facts = field(default_factory=Facts)

    @property
    def organisation_name(self) -> str:
        return self.facts.organisation.name if self.facts.organisation else "this organisation"
