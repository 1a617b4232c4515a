"""Calls: create, read, list, and move through their lifecycle."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.calls.disclosure import public_states
from awards.calls.instants import utc_instant
from awards.calls.networks import kind_run_by
from awards.clock import zone
from awards.db.cas import update_if
from awards.db.tables import Call, Submission
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.kinds.edition import EditionSettings
from awards.transitions.actor import Actor
from awards.transitions.apply import apply, options
from awards.transitions.records import record_change, record_creation
from awards.transitions.runtime import Runtime
from awards.vocabulary import PUBLIC_CALL_STATES
from workflows import Option


@dataclass(frozen=True)
class NewCall:
    kind: str
    edition: str
    title: Mapping[str, str]
    opens_at: datetime
    closes_at: datetime
    timezone: str
    languages: Sequence[str]
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CallSummary:
    call: Call
    counts: Mapping[str, int]


class CallService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def create(self, new: NewCall, *, actor: Actor) -> Call:
        """A call in its kind's initial state; every language of the call needs a title."""
        if not actor.is_secretariat:
            raise Forbidden("only the Secretariat creates calls")
        kind = kind_run_by(self.runtime, new.kind, actor)
        _check_new_call(new, kind_languages=kind.languages, default=kind.default_language)
        now = self.runtime.clock()
        call = Call(
            kind=kind.slug,
            workflow_version=kind.call_workflow.version,
            edition=new.edition,
            title=dict(new.title),
            opens_at=new.opens_at,
            closes_at=new.closes_at,
            timezone=new.timezone,
            languages=list(new.languages),
            settings=EditionSettings.parse(new.settings).dump(),
            state=kind.call_workflow.initial,
            created_at=now,
        )
        try:
            async with self.runtime.db.write() as session:
                await record_creation(session, call, actor=actor, now=now)
        except IntegrityError:
            raise Conflict(
                f"a call {new.kind} {new.edition} exists already", extra={"field": "edition"}
            ) from None
        return call

    async def configure(
        self, call_id: int, settings: Mapping[str, Any], *, version: int, actor: Actor
    ) -> CallSummary:
        """Replace the edition's settings at `version`; audited with what changed."""
        if not actor.is_secretariat:
            raise Forbidden("only the Secretariat configures calls")
        parsed = EditionSettings.parse(settings).dump()
        async with self.runtime.db.write() as session:
            call = _visible(await session.get(Call, call_id), call_id, actor)
            before = call.settings
            if not await update_if(
                session,
                Call,
                call_id,
                expect={"version": version},
                values={"settings": parsed, "version": version + 1},
            ):
                raise Conflict(
                    f"call {call_id} is at version {call.version}, not {version}: reload it",
                    extra={"version": call.version},
                )
            changed = sorted(key for key in parsed if parsed[key] != before.get(key))
            record_change(
                session,
                call,
                "configure",
                actor=actor,
                now=self.runtime.clock(),
                reason=f"settings changed: {', '.join(changed) or 'none'}",
            )
            return (await self._summaries(session, [call], actor=actor))[0]

    async def edit(self, call_id: int, new: NewCall, *, version: int, actor: Actor) -> Call:
        """Replace the titles, languages, dates, time zone and settings of a draft call at
        `version` (its kind and edition stay); audited. Once open, a call changes only by its
        transitions, its extensions and its settings (`configure`)."""
        if not actor.is_secretariat:
            raise Forbidden("only the Secretariat edits calls")
        kind = self.runtime.kind(new.kind)
        _check_new_call(new, kind_languages=kind.languages, default=kind.default_language)
        values = {
            "title": dict(new.title),
            "languages": list(new.languages),
            "opens_at": new.opens_at,
            "closes_at": new.closes_at,
            "timezone": new.timezone,
            "settings": EditionSettings.parse(new.settings).dump(),
            "version": version + 1,
        }
        async with self.runtime.db.write() as session:
            call = _visible(await session.get(Call, call_id), call_id, actor)
            initial = kind.call_workflow.initial
            if call.kind != new.kind or call.state != initial:
                raise Conflict(
                    f"cannot edit call {call_id} in state {call.state}: only a {initial} call "
                    "is edited",
                    extra={"state": call.state},
                )
            if not await update_if(
                session, Call, call_id, expect={"version": version, "state": initial}, values=values
            ):
                raise Conflict(
                    f"call {call_id} is at version {call.version}, not {version}: reload it",
                    extra={"version": call.version},
                )
            record_change(session, call, "edit", actor=actor, now=self.runtime.clock())
            await session.refresh(call)
            return call

    async def get(self, call_id: int, *, actor: Actor) -> Call:
        async with self.runtime.db.read() as session:
            call = await session.get(Call, call_id)
        return _visible(call, call_id, actor)

    async def summary(self, call_id: int, *, actor: Actor) -> CallSummary:
        """Call `call_id` with its submissions counted by state, as `actor` may count them."""
        async with self.runtime.db.read() as session:
            call = _visible(await session.get(Call, call_id), call_id, actor)
            return (await self._summaries(session, [call], actor=actor))[0]

    async def visible(self, *, actor: Actor) -> list[CallSummary]:
        """Calls visible to `actor`, newest first, with their submissions counted by state; to
        the Secretariat of one network, that network's calls (`awards.calls.networks`)."""
        query = select(Call).order_by(col(Call.opens_at).desc(), col(Call.id).desc())
        if not _sees_everything(actor):
            query = query.where(col(Call.state).in_(PUBLIC_CALL_STATES))
        async with self.runtime.db.read() as session:
            calls = [
                call
                for call in await session.scalars(query)
                if not actor.is_secretariat or actor.runs(self.runtime.kind(call.kind).network)
            ]
            return await self._summaries(session, calls, actor=actor)

    async def _summaries(
        self, session: AsyncSession, calls: Sequence[Call], *, actor: Actor
    ) -> list[CallSummary]:
        """`calls` with their submissions counted by state, in one query for them all; for
        anyone but the Secretariat (and the operator's command line), only the states their
        kind makes public (`awards.calls.disclosure`)."""
        counts: dict[int, dict[str, int]] = {}
        if calls:
            rows = await session.execute(
                select(col(Submission.call_id), col(Submission.state), func.count())
                .where(col(Submission.call_id).in_([call.id for call in calls]))
                .group_by(col(Submission.call_id), col(Submission.state))
            )
            for call_id, state, count in rows:
                counts.setdefault(call_id, {})[state] = count
        summaries = []
        for call in calls:
            counted = counts.get(call.id or 0, {})
            if not _sees_everything(actor):
                workflow = self.runtime.kind(call.kind).submission_workflow
                shown = public_states(workflow, call_state=call.state)
                counted = {state: n for state, n in counted.items() if state in shown}
            summaries.append(CallSummary(call, counted))
        return summaries

    async def options(self, call_id: int, *, actor: Actor) -> list[Option]:
        async with self.runtime.db.read() as session:
            call = _visible(await session.get(Call, call_id), call_id, actor)
            return await options(session, self.runtime, call, call=call, actor=actor)

    async def fire(
        self, call_id: int, trigger: str, *, actor: Actor, reason: str | None = None
    ) -> CallSummary:
        """Move call `call_id` by `trigger`; the call as it is now, with its counts."""
        async with self.runtime.db.write() as session:
            call = _visible(await session.get(Call, call_id), call_id, actor)
            await apply(session, self.runtime, trigger, call, call=call, actor=actor, reason=reason)
            return (await self._summaries(session, [call], actor=actor))[0]


def _sees_everything(actor: Actor) -> bool:
    """The Secretariat, and the system (`awards calls list`): every call, every count."""
    return actor.is_secretariat or actor.system


def _visible(call: Call | None, call_id: int, actor: Actor) -> Call:
    """Drafts and archived calls exist only for the Secretariat."""
    if call is None or not (actor.is_secretariat or call.state in PUBLIC_CALL_STATES):
        raise NotFound(f"no call {call_id}")
    return call


def _check_new_call(new: NewCall, *, kind_languages: Sequence[str], default: str) -> None:
    zone(new.timezone)
    utc_instant("opens_at", new.opens_at)
    utc_instant("closes_at", new.closes_at)
    if new.closes_at <= new.opens_at:
        raise Invalid("closes_at must be after opens_at", extra={"field": "closes_at"})
    unknown = [language for language in new.languages if language not in kind_languages]
    if unknown or not new.languages:
        raise Invalid(
            f"languages must be among {', '.join(kind_languages)}", extra={"field": "languages"}
        )
    if default not in new.languages:
        raise Invalid(f"languages must include {default}", extra={"field": "languages"})
    untitled = [language for language in new.languages if not new.title.get(language, "").strip()]
    if untitled:
        raise Invalid(f"title is missing in {', '.join(untitled)}", extra={"field": "title"})
    # Titles and editions end up in e-mail subjects: one line each, no control characters.
    broken = sorted(language for language, text in new.title.items() if _has_controls(text))
    if broken or _has_controls(new.edition):
        field = "title" if broken else "edition"
        raise Invalid(
            f"{field} must be one line without control characters ({', '.join(broken) or field})",
            extra={"field": field},
        )


def _has_controls(text: str) -> bool:
    """CR, LF, NUL, tab and the like, which would break a header or a line."""
    return any(unicodedata.category(char) == "Cc" for char in text)
