"""What every use case shares: settings, database, the uploads' store, call kinds with their
workflow engines, the clock, and what features registered (`awards.transitions.extensions`):
the handler of each effect kind, the values an effect may show, the roles features give, the
attachments a mail may carry. Built once per process by `awards.assembly`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from awards.clock import Clock
from awards.db.database import Database
from awards.db.tables import AuditEntry, Call, Submission
from awards.errors import ConfigurationError, NotFound
from awards.kinds.kind import CallKind
from awards.settings import Settings
from awards.storage import FileStore
from awards.transitions.actor import Actor
from awards.transitions.context import GuardContext, PeerScope
from workflows import Engine


@dataclass(frozen=True)
class Judge:
    """How one call kind's transitions are decided: its engine (the shared guards and the
    kind's rules) and the peers its rules read."""

    engine: Engine[GuardContext]
    peers: PeerScope


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Database
    kinds: Mapping[str, CallKind]
    judges: Mapping[str, Judge]
    """One per call kind, by slug."""
    clock: Clock
    effects: Mapping[str, EffectHandler]
    """The handler of each effect kind, by name."""
    values: Mapping[str, ValueSource]
    roles: tuple[RoleSource, ...]
    files: FileStore
    """Where uploads live (`awards.storage.open_store`): local disk or S3."""
    term: Term
    """A name a kind brings in a language, as the pages say it (`awards.web.i18n.term`)."""
    attachments: Mapping[str, AttachmentSource] = field(default_factory=dict)
    """What makes each kind of attachment a queued mail may name, by name."""

    def kind(self, slug: str) -> CallKind:
        try:
            return self.kinds[slug]
        except KeyError:
            raise NotFound(f"no call kind '{slug}'") from None

    def judge(self, kind: CallKind) -> Judge:
        return self.judges[kind.slug]

    async def close(self) -> None:
        await self.db.dispose()


@dataclass(frozen=True)
class Occasion:
    """One effect of a transition to carry out, inside the transaction that fired it: what the
    effect names (`mail:<argument>`), the change, and where it happened."""

    session: AsyncSession
    runtime: Runtime
    argument: str
    subject: Call | Submission
    call: Call
    kind: CallKind
    audit: AuditEntry
    """The change's audit entry: its id, instant, states and reason."""

    async def value(self, name: str) -> object:
        """A value a feature provides about this occasion (`Extensions.value`)."""
        try:
            source = self.runtime.values[name]
        except KeyError:
            raise ConfigurationError(f"no feature provides the value '{name}'") from None
        return await source(self)


EffectHandler = Callable[[Occasion], Awaitable[None]]
"""Carries out one effect kind; writes rows in the occasion's session only (invariant 1)."""

ValueSource = Callable[[Occasion], Awaitable[object]]
"""Reads one named value of an occasion (the jury's comments to the applicant...)."""


@dataclass(frozen=True)
class Attached:
    """A file a mail carries, made when the mail is composed, not when it is queued."""

    filename: str
    content_type: str
    data: bytes


AttachmentSource = Callable[["Runtime", Mapping[str, Any], str], Awaitable[Attached]]
"""Makes one attachment of a mail from what its outbox row keeps of it (`about`), in the
mail's language; raises if it cannot, and the mail waits for a retry."""

Term = Callable[[CallKind | None, str, str, str], str]
"""`term(kind, family, name, language)`: a state, transition or round (`family`) `name` of
`kind` in `language`: the kind's own label, else the catalogue's, else the name."""

RoleSource = Callable[[AsyncSession, Actor, Call], Awaitable[set[str]]]
"""The workflow roles a feature gives an actor on a call (the president of its panel)."""
