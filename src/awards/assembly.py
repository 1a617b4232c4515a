"""The service put together: the runtime with what every feature registers, and the worker
with its duties. The app factory (`awards.app`) and the command line (`awards.cli`) build both
from here, so the core never imports a feature."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from awards.clock import Clock, system_clock
from awards.commitments import extension as commitments
from awards.commitments.reminders import remind_commitments
from awards.databank import extension as databank
from awards.databank.webhook import push_due
from awards.db.database import Database
from awards.jury import extension as jury
from awards.jury.deadlines import remind_jurors
from awards.kinds.kind import CallKind
from awards.kinds.loader import load_call_kind, load_call_kinds
from awards.notify import extension as notify
from awards.notify.delivery import DeliveryPolicy
from awards.notify.worker import Duty, Turn, Worker
from awards.privacy import extension as privacy
from awards.settings import Settings
from awards.storage import open_store
from awards.submissions import extension as submissions
from awards.timers import fire_due_timers
from awards.transitions.extensions import Extensions
from awards.transitions.guards import GUARDS
from awards.transitions.rules import SIGNATURES, peer_scope, rule_guards
from awards.transitions.runtime import Judge, Runtime
from awards.web.i18n import term, translator
from workflows import Engine

FEATURES: tuple[Callable[[Extensions], None], ...] = (
    notify.extend,
    databank.extend,
    jury.extend,
    privacy.extend,
    commitments.extend,
    # The receipt a mail carries is written in the pages' words, which live with the pages.
    partial(submissions.extend, words=translator),
)
"""What each feature adds to the core (`awards.transitions.extensions`)."""


def extensions() -> Extensions:
    found = Extensions()
    for extend in FEATURES:
        extend(found)
    found.check()
    return found


_LOADED: dict[tuple[Path, bytes], dict[str, CallKind]] = {}
"""Kinds already loaded in this process, by directory and a digest of its files: each runtime
(every test's, every server's) would otherwise parse and check the same YAML again."""


def load_kinds(directory: Path) -> dict[str, CallKind]:
    """The call kinds of `directory`, with the guards, rules and sections the service knows.

    Kinds are immutable, so one loading serves every runtime until a file changes."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):  # the kinds and the lists they include
        digest.update(
            path.relative_to(directory).as_posix().encode() + b"\0" + path.read_bytes() + b"\0"
        )
    key = (directory.resolve(), digest.digest())
    if key not in _LOADED:
        _LOADED[key] = load_call_kinds(
            directory, guards=GUARDS.keys(), rules=SIGNATURES, sections=extensions().sections
        )
    return dict(_LOADED[key])


def load_kind(path: Path) -> CallKind:
    """One call kind's file, checked as `load_kinds` checks it."""
    return load_call_kind(
        path, guards=GUARDS.keys(), rules=SIGNATURES, sections=extensions().sections
    )


def build_runtime(
    settings: Settings, *, clock: Clock = system_clock, pooled: bool = True
) -> Runtime:
    """Load call kinds (failing loudly on a bad file) and open the database."""
    added = extensions()
    kinds = load_kinds(settings.config_dir / "calls")
    return Runtime(
        settings=settings,
        db=Database(settings.database_url, pooled=pooled),
        kinds=kinds,
        judges={
            slug: Judge(Engine({**GUARDS, **rule_guards(kind)}), peer_scope(kind))
            for slug, kind in kinds.items()
        },
        clock=clock,
        effects=added.effects,
        values=added.values,
        roles=tuple(added.roles),
        files=open_store(settings),
        term=term,  # mails name a kind's rounds as the pages do
        attachments=added.attachments,
    )


async def _timers(turn: Turn) -> object:
    return await fire_due_timers(turn.runtime)


async def _commitment_reminders(turn: Turn) -> object:
    return await remind_commitments(turn.runtime)


async def _jury_reminders(turn: Turn) -> object:
    return await remind_jurors(turn.runtime)


async def _databank_webhook(turn: Turn) -> object:
    return await push_due(turn.runtime, worker=turn.worker, policy=turn.policy, stop=turn.stop)


DUTIES: tuple[Duty, ...] = (_timers, _jury_reminders, _commitment_reminders, _databank_webhook)
"""What a worker does each turn before its mail: timers and reminders first, so the mail they
queue leaves in the same turn."""


def worker(runtime: Runtime, *, policy: DeliveryPolicy | None = None) -> Worker:
    """A worker with every duty (`awards worker`, and the one `awards serve` runs beside)."""
    return Worker(runtime, policy=policy, duties=DUTIES)
