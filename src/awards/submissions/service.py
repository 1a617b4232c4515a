"""Submissions: create a draft, read, edit with a version, fire transitions, read history.

Edits and transitions are compare-and-set on `version` (invariant 3): a stale version is a
`Conflict`, never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.audit.chain import lock_chain
from awards.calls.disclosure import applicant_states, disclosed_state
from awards.calls.networks import run_by
from awards.db.cas import update_if
from awards.db.lookups import submission_and_call
from awards.db.tables import AuditEntry, Call, Organisation, OutboxMessage, Submission, User
from awards.errors import Conflict, Forbidden, Invalid, NotFound
from awards.jury.dossier import is_revealed
from awards.jury.pseudonyms import assign_pseudonym, placeholder
from awards.kinds.forms import Flagged
from awards.kinds.kind import CallKind
from awards.submissions.versions import Version, editable_states, versions_of
from awards.transitions.actor import Actor, Role, WorkflowRole
from awards.transitions.apply import apply, options
from awards.transitions.facts import guard_context
from awards.transitions.guards import call_accepting_submissions
from awards.transitions.records import record_change, record_creation
from awards.transitions.runtime import Runtime
from awards.vocabulary import PUBLIC_CALL_STATES
from workflows import Option, Workflow


def refuse_unless_editable(submission: Submission, kind: CallKind, *, action: str) -> None:
    """Answers and documents change only in the kind's editable states (`editable_states`)."""
    editable = editable_states(kind)
    if submission.state not in editable:
        states = [state for state in kind.submission_workflow.states if state in editable]
        raise Conflict(
            f"cannot {action} submission {submission.id} in state {submission.state}: "
            f"it can be edited only in {' or '.join(states)}",
            extra={"state": submission.state},
        )


@dataclass(frozen=True)
class OwnSubmission:
    submission: Submission
    call: Call


@dataclass(frozen=True)
class CallEntry:
    submission: Submission
    organisation: str


class SubmissionService:
    """The use cases of submissions; one instance serves one request (or one command)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._calls: dict[int, Call] = {}
        """The calls read so far, by id: a request reads a row once."""

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
            # The pseudonym first: its candidates may wait on submits of the call, which wait
            # for the call's audit lock that auditing the creation takes.
            session.add(submission)
            await assign_pseudonym(
                session, submission, call=call, kind=kind, secret=self.runtime.settings.secret_key
            )
            await record_creation(session, submission, actor=actor, now=now)
        return submission

    async def get(self, submission_id: int, *, actor: Actor) -> Submission:
        """The submission; to its applicant, in the state they may read (`disclosed_state`)."""
        async with self.runtime.db.read() as session:
            submission, call = await self._readable(session, submission_id, actor)
            if actor.is_secretariat:
                return submission
            entries = await self._entries(session, submission_id)
            return self._as_disclosed(submission, call, entries)

    async def edit(
        self, submission_id: int, answers: Mapping[str, Any], *, version: int, actor: Actor
    ) -> Submission:
        """Merge `answers` into a draft (or a submission returned for revision) at `version`;
        a `null` answer clears a field. An answer that breaks a rule a draft may break
        (`forms.KEPT_AS_TYPED`) is kept as typed and flagged (`problems`): submitting is what
        refuses it."""
        now = self.runtime.clock()
        async with self.runtime.db.write() as session:
            submission, call = await self._readable(session, submission_id, actor)
            kind = self.runtime.kind(call.kind)
            refuse_unless_editable(submission, kind, action="edit")
            kind.form.check_draft(answers, languages=tuple(call.languages))
            merged = {**submission.answers, **answers}
            merged = {name: value for name, value in merged.items() if value is not None}
            if not await update_if(
                session,
                Submission,
                submission_id,
                expect={"version": version, "state": submission.state},
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
        call = self._calls.get(submission.call_id)
        if call is None:
            async with self.runtime.db.read() as session:
                call = await session.get(Call, submission.call_id)
        assert call is not None
        kind = self.runtime.kind(call.kind)
        return kind.form.flagged(submission.answers, languages=tuple(call.languages))

    async def options(
        self, submission_id: int, *, actor: Actor, by_pseudonym: bool = False
    ) -> list[Option]:
        """What `actor` may fire now; the workflow's roles decide who may ask (not only
        those who may read the answers: the jury president acts on pseudonyms).

        `by_pseudonym`: the caller named the candidacy by its pseudonym, and the id is ours;
        an anonymised jury naming ids is answered as if there were none (see `_named`)."""
        async with self.runtime.db.read() as session:
            submission, call = await self._named(session, submission_id, actor, by_pseudonym)
            return await options(session, self.runtime, submission, call=call, actor=actor)

    async def fire(
        self,
        submission_id: int,
        trigger: str,
        *,
        actor: Actor,
        reason: str | None = None,
        inputs: Mapping[str, Any] | None = None,
        by_pseudonym: bool = False,
    ) -> Submission:
        """Fire `trigger` on the submission (`by_pseudonym` as in `options`)."""
        async with self.runtime.db.write() as session:
            submission, call = await self._named(session, submission_id, actor, by_pseudonym)
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
        """Let an eligibility rule hold for this submission, for a written reason (audited);
        the Secretariat of the call's network only."""
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
            await lock_chain(session, call)
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
        """Every transition, oldest first; to its applicant, only those into states they may
        read, and without the ids of the jury who fired them."""
        async with self.runtime.db.read() as session:
            _, call = await self._readable(session, submission_id, actor)
            entries = await self._entries(session, submission_id)
        if actor.is_secretariat:
            return entries
        workflow = self.runtime.kind(call.kind).submission_workflow
        shown = applicant_states(workflow, call_state=call.state)
        return [
            entry
            if _fired_by_known_hands(workflow, entry)
            else entry.model_copy(update={"actor_id": None})
            for entry in entries
            if entry.to_state in shown
        ]

    @staticmethod
    async def _entries(session: AsyncSession, submission_id: int) -> list[AuditEntry]:
        entries = await session.scalars(
            select(AuditEntry)
            .where(col(AuditEntry.submission_id) == submission_id)
            .order_by(col(AuditEntry.id))
        )
        return list(entries)

    def _as_disclosed(
        self, submission: Submission, call: Call, entries: Sequence[AuditEntry]
    ) -> Submission:
        state = disclosed_state(
            self.runtime.kind(call.kind).submission_workflow,
            call_state=call.state,
            state=submission.state,
            path=[entry.to_state for entry in entries],
        )
        return (
            submission
            if state == submission.state
            else submission.model_copy(update={"state": state})
        )

    async def versions(self, submission_id: int, *, actor: Actor) -> list[Version]:
        """Each version the submission was sent with, and what changed (owner, Secretariat)."""
        async with self.runtime.db.read() as session:
            await self._readable(session, submission_id, actor)
            return await versions_of(session, submission_id)

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
            return [
                OwnSubmission(
                    self._as_disclosed(
                        submission, call, await self._entries(session, submission.id or 0)
                    ),
                    call,
                )
                for submission, call in rows
            ]

    async def of_call(self, call_id: int, *, actor: Actor) -> list[CallEntry]:
        """Every submission of a call with its organisation's name (Secretariat of the call's
        network)."""
        if not actor.is_secretariat:
            raise Forbidden("only the Secretariat lists a call's submissions")
        async with self.runtime.db.read() as session:
            run_by(await session.get(Call, call_id), call_id, runtime=self.runtime, actor=actor)
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

    async def _existing(self, session: AsyncSession, submission_id: int) -> tuple[Submission, Call]:
        """The submission and its call; NotFound if there is none."""
        found = await submission_and_call(session, submission_id)
        if found is None:
            raise NotFound(f"no submission {submission_id}")
        submission, call = found
        self._calls[submission.call_id] = call
        return found

    async def _named(
        self, session: AsyncSession, submission_id: int, actor: Actor, by_pseudonym: bool
    ) -> tuple[Submission, Call]:
        """The submission and its call; NotFound for a juror naming an id while the jury judges
        anonymised: ids follow the order cities applied in, and an answer (or a 404 for
        another id) would tie one to a pseudonym. The jury names candidacies by pseudonym."""
        submission, call = await self._existing(session, submission_id)
        if (
            not by_pseudonym
            and actor.role is Role.JUROR
            and not is_revealed(self.runtime.kind(call.kind), call)
        ):
            raise NotFound(f"no submission {submission_id}")
        return submission, call

    async def _readable(
        self, session: AsyncSession, submission_id: int, actor: Actor
    ) -> tuple[Submission, Call]:
        """The submission and its call, for its owner or the Secretariat of its network."""
        submission, call = await self._existing(session, submission_id)
        if not (actor.owns(submission) or actor.runs(self.runtime.kind(call.kind).network)):
            raise NotFound(f"no submission {submission_id}")
        return submission, call


def _fired_by_known_hands(workflow: Workflow, entry: AuditEntry) -> bool:
    """Whether an applicant may see who fired `entry`: themselves or the Secretariat, never
    the jury (a president's proposal, once the results are public)."""
    transition = workflow.transitions.get(entry.transition)
    return transition is None or bool(
        transition.roles & {WorkflowRole.OWNER, WorkflowRole.SECRETARIAT}
    )
