"""What guards and rules read: the call, the subject and the facts around it, loaded once
before a transition is decided, so every check stays a pure function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from awards.db.tables import Call, Organisation, Submission
from awards.kinds.edition import EditionSettings
from awards.kinds.kind import CallKind


@dataclass(frozen=True)
class Peer:
    """Another submission of the same call, as decision rules need to see it."""

    id: int
    organisation_id: int
    state: str
    category: str | None


@dataclass(frozen=True)
class PeerScope:
    """Which other submissions of the call a kind's rules read, so that only those are loaded:
    the subject's organisation's, and those in `states`. A call grows to thousands of
    submissions; its rules look at a handful."""

    own_organisation: bool = False
    states: frozenset[str] = frozenset()

    def __or__(self, other: PeerScope) -> PeerScope:
        return PeerScope(
            self.own_organisation or other.own_organisation, self.states | other.states
        )


@dataclass(frozen=True)
class Facts:
    organisation: Organisation | None = None
    """The submission's organisation (members register)."""
    peers: tuple[Peer, ...] = ()
    """The submissions of the call in the kind's `PeerScope`, this one among them if it is in
    scope; a rule that reads peers declares which (`awards.transitions.rules.peer_scope`)."""
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
    given: Mapping[str, Any] = field(default_factory=dict)
    """The inputs the transition being fired is given (a date by which to resubmit)."""

    @property
    def organisation_name(self) -> str:
        return self.facts.organisation.name if self.facts.organisation else "this organisation"
