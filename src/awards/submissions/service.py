"""Submissions: create a draft, read, edit with a version, fire transitions, read history.

Edits and transitions are compare-and-set on `version` (invariant 3): a stale version is a
`Conflict`, never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.cas import update_if
from awards.db.lookups import submission_and_call
from awards.db.tables import AuditEntry, Call, Organisation, OutboxMessage, Submission, User
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.jury.pseudonyms import assign_pseudonym, placeholder
from awards.kinds.forms import Flagged
from awards.transitions.actor import Actor, Role
from awards.transitions.apply import apply, options
from awards.transitions.facts import guard_context
from awards.transitions.guards import call_accepting_submissions
from awards.transitions.records import record_change, record_creation
from awards.transitions.runtime import Runtime
from awards.vocabulary import PUBLIC_CALL_STATES
from workflows import Option


@dataclass(frozen=True)
class OwnSubmission:
    submission: Submission
    call: Call


@dataclass(frozen=True)
class CallEntry:
    submission: Submission
    organisation: str


class SubmissionService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def create(self, call_id: int, answers: Mapping[str, Any], *, actor: Actor) -> Submission:
        """A new draft of `actor`'s organisation in an open call."""
        if actor.organisation_id is None or actor.is_secretariat:
            raise Forbidden("only an applicant of an organisation starts a submission")
        now = self.runtime.clock()
        async with self.runtime.db.write() as session:
            call = await session.get(Call, call_id)
            if call is None or call.state not in PUBLIC_CALL_STATES:
                raise NotFound(f"no call {call_id}")
            kind = self.runtime.kind(call.kind)
            kind.form.check_answers(answers, languages=tuple(call.languages))
            submission = Submission(
                call_id=call_id,
                organisation_id=actor.organisation_id,
                created_by=actor.id or 0,
                state=kind.submission_workflow.initial,
                answers=dict(answers),
                pseudonym=placeholder(),
                created_at=now,
                updated_at=now,
            )
            closed = call_accepting_submissions(
                await guard_context(session, self.runtime, call, submission)
            )
            if closed is not None:
                raise Conflict(
                    f"cannot start a submission in call {call_id}: {closed}",
                    extra={"state": call.state, "reason": str(closed)},
                )
            await record_creation(session, submission, actor=actor, now=now)
            await assign_pseudonym(
                session, submission, call=call, kind=kind, secret=self.runtime.settings.secret_key
            )
        return submission

    async def get(self, submission_id: int, *, actor: Actor) -> Submission:
        async with self.runtime.db.read() as session:
            submission, _ = await self._readable(session, submission_id, actor)
            return submission

    async def edit(
        self, submission_id: int, answers: Mapping[str, Any], *, version: int, actor: Actor
    ) -> Submission:
        """Merge `answers` into a draft at `version`; a `null` answer clears a field. An answer
        that breaks a rule a draft may break (`forms.KEPT_AS_TYPED`) is kept as typed and
        flagged (`problems`): submitting is what refuses it."""
        now = self.runtime.clock()
        async with self.runtime.db.write() as session:
            submission, call = await self._readable(session, submission_id, actor)
            kind = self.runtime.kind(call.kind)
            draft = kind.submission_workflow.initial
            if submission.state != draft:
                raise Conflict(
                    f"cannot edit submission {submission_id} in state {submission.state}: "
                    f"only a {draft} can be edited",
                    extra={"state": submission.state},
                )
            kind.form.check_draft(answers, languages=tuple(call.languages))
            merged = {**submission.answers, **answers}
            merged = {name: value for name, value in merged.items() if value is not None}
            if not await update_if(
                session,
                Submission,
                submission_id,
                expect={"version": version, "state": draft},
                values={"answers": merged, "version": version + 1, "updated_at": now},
            ):
                raise Conflict(
                    f"submission {submission_id} is at version {submission.version}, "
                    f"not {version}: reload it and apply your changes again",
                    extra={"version": submission.version},
                )
        return submission

    async def problems(self, submission: Submission) -> dict[str, Flagged]:
        """What the answers of `submission` break, by field, to be mended before submitting."""
        async with self.runtime.db.read() as session:
            call = await session.get(Call, submission.call_id)
        assert call is not None
        kind = self.runtime.kind(call.kind)
        return kind.form.flagged(submission.answers, languages=tuple(call.languages))

    async def options(self, submission_id: int, *, actor: Actor) -> list[Option]:
        """What `actor` may fire now; the workflow's roles decide who may ask (not only
        those who may read the answers: the jury president acts on pseudonyms)."""
        async with self.runtime.db.read() as session:
            submission, call = await self._existing(session, submission_id)
            return await options(session, self.runtime, submission, call=call, actor=actor)

    async def fire(
        self,
        submission_id: int,
        trigger: str,
        *,
        actor: Actor,
        reason: str | None = None,
        inputs: Mapping[str, Any] | None = None,
    ) -> Submission:
        async with self.runtime.db.write() as session:
            submission, call = await self._existing(session, submission_id)
            await apply(
                session,
                self.runtime,
                trigger,
                submission,
                call=call,
                actor=actor,
                reason=reason,
                inputs=inputs,
            )
        return submission

    async def override_rule(
        self, submission_id: int, rule: str, *, reason: str, actor: Actor
    ) -> Submission:
        """Let an eligibility rule hold for this submission, for a written reason (audited)."""
        if not actor.is_secretariat:
            raise Forbidden("only the Secretariat overrides rules")
        if not reason.strip():
            raise Invalid("an override needs a written reason", extra={"field": "reason"})
        now = self.runtime.clock()
        async with self.runtime.db.write() as session:
            submission, call = await self._readable(session, submission_id, actor)
            spec = self.runtime.kind(call.kind).rules.get(rule)
            if spec is None or not spec.overridable:
                raise Invalid(
                    f"'{rule}' is not an eligibility rule of this call that can be overridden",
                    extra={"field": "rule"},
                )
            overrides = {
                **submission.overrides,
                rule: {"reason": reason.strip(), "by": actor.id, "at": now.isoformat()},
            }
            if not await update_if(
                session,
                Submission,
                submission_id,
                expect={"version": submission.version},
                values={"overrides": overrides, "version": submission.version + 1},
            ):
                raise Conflict(f"submission {submission_id} changed meanwhile; try again")
            record_change(
                session, submission, f"override:{rule}", actor=actor, now=now, reason=reason.strip()
            )
        return submission

    async def history(self, submission_id: int, *, actor: Actor) -> list[AuditEntry]:
        async with self.runtime.db.read() as session:
            await self._readable(session, submission_id, actor)
            entries = await session.scalars(
                select(AuditEntry)
                .where(col(AuditEntry.submission_id) == submission_id)
                .order_by(col(AuditEntry.id))
            )
            return list(entries)

    async def own(self, *, actor: Actor) -> list[OwnSubmission]:
        """The submissions of the applicant's organisation in public calls, newest first."""
        if actor.role is not Role.APPLICANT or actor.organisation_id is None:
            raise Forbidden("only an applicant of an organisation has submissions")
        async with self.runtime.db.read() as session:
            rows = await session.execute(
                select(Submission, Call)
                .join(Call, col(Call.id) == col(Submission.call_id))
                .where(
                    col(Submission.organisation_id) == actor.organisation_id,
                    col(Call.state).in_(PUBLIC_CALL_STATES),
                )
                .order_by(col(Submission.id).desc())
            )
            return [OwnSubmission(submission, call) for submission, call in rows]

    async def of_call(self, call_id: int, *, actor: Actor) -> list[CallEntry]:
        """Every submission of a call with its organisation's name (Secretariat)."""
        if not actor.is_secretariat:
            raise Forbidden("only the Secretariat lists a call's submissions")
        async with self.runtime.db.read() as session:
            rows = await session.execute(
                select(Submission, col(Organisation.name))
                .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
                .where(col(Submission.call_id) == call_id)
                .order_by(col(Submission.id))
            )
            return [CallEntry(submission, name) for submission, name in rows]

    async def messages(self, submission_id: int, *, actor: Actor) -> list[OutboxMessage]:
        """The e-mails a submission caused to its organisation's people, oldest first
        (owner, Secretariat)."""
        async with self.runtime.db.read() as session:
            submission, _ = await self._readable(session, submission_id, actor)
            rows = await session.scalars(
                select(OutboxMessage)
                .where(
                    col(OutboxMessage.submission_id) == submission_id,
                    col(OutboxMessage.recipient).in_(
                        select(col(User.email)).where(
                            col(User.organisation_id) == submission.organisation_id
                        )
                    ),
                )
                .order_by(col(OutboxMessage.id))
            )
            return list(rows)

    @staticmethod
    async def _existing(session: AsyncSession, submission_id: int) -> tuple[Submission, Call]:
        """The submission and its call; NotFound if there is none."""
        found = await submission_and_call(session, submission_id)
        if found is None:
            raise NotFound(f"no submission {submission_id}")
        return found

    @classmethod
    async def _readable(
        cls, session: AsyncSession, submission_id: int, actor: Actor
    ) -> tuple[Submission, Call]:
        """The submission and its call, for its owner or the Secretariat."""
        submission, call = await cls._existing(session, submission_id)
        if not (actor.owns(submission) or actor.is_secretariat):
            raise Forbidden(f"submission {submission_id} is not yours to read")
        return submission, call
