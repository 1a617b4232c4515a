"""What every use case shares: settings, database, call kinds, workflow engine, clock, mail."""

from __future__ import annotations

from dataclasses import dataclass

from awards.calls.kinds import CallKind, load_call_kinds
from awards.clock import Clock, system_clock
from awards.context import GuardContext
from awards.db.database import Database
from awards.errors import NotFound
from awards.guards import GUARDS
from awards.notify.render import MailRenderer
from awards.rules import SIGNATURES, rule_guards
from awards.settings import Settings
from workflows import Engine


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Database
    kinds: dict[str, CallKind]
    engines: dict[str, Engine[GuardContext]]
    """One engine per call kind: the shared guards and that kind's rules."""
    mail: MailRenderer
    clock: Clock

    def kind(self, slug: str) -> CallKind:
        try:
            return self.kinds[slug]
        except KeyError:
            raise NotFound(f"no call kind '{slug}'") from None

    def engine(self, kind: CallKind) -> Engine[GuardContext]:
        return self.engines[kind.slug]

    async def close(self) -> None:
        await self.db.dispose()


def build_runtime(
    settings: Settings, *, clock: Clock = system_clock, pooled: bool = True
) -> Runtime:
    """Load call kinds (failing loudly on a bad file) and open the database."""
    kinds = load_call_kinds(settings.config_dir / "calls", guards=GUARDS.keys(), rules=SIGNATURES)
    return Runtime(
        settings=settings,
        db=Database(settings.database_url, pooled=pooled),
        kinds=kinds,
        engines={slug: Engine({**GUARDS, **rule_guards(kind)}) for slug, kind in kinds.items()},
        mail=MailRenderer(settings.templates_dir),
        clock=clock,
    )
