"""What the API reads and writes. Never the table models themselves (STACK-NOTES)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from awards.calls.service import CallSummary
from awards.clock import local
from awards.db.tables import AuditEntry, Call, Submission
from awards.db.types import StoredInt
from awards.errors import Invalid
from awards.kinds.forms import FieldType, FormField
from awards.kinds.kind import CallKind
from awards.submissions.versions import Version
from awards.transitions.reasons import code_of
from workflows import Option, Workflow


class FailedGuard(msgspec.Struct):
    """A guard that fails: its stable `code` (`awards.transitions.reasons`) and English reason."""

    guard: str
    code: str
    reason: str


class TransitionOption(msgspec.Struct):
    """A transition the caller may fire from the current state, and what stops it now."""

    name: str
    to: str
    allowed: bool
    requires_reason: bool
    inputs: list[str]
    failed_guards: list[FailedGuard]

    @classmethod
    def of(cls, option: Option) -> TransitionOption:
        return cls(
            name=option.transition.name,
            to=option.transition.dest,
            allowed=option.allowed,
            requires_reason=option.transition.requires_reason,
            inputs=list(option.transition.inputs),
            failed_guards=[
                FailedGuard(f.guard, code_of(f.reason), str(f.reason)) for f in option.failures
            ],
        )


class FireTransition(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    reason: str | None = None
    inputs: dict[str, Any] = msgspec.field(default_factory=dict)
    """Values the transition asks for (its kind's inputs_form), e.g. `{"mentor": "lille"}`."""


class WorkflowOut(msgspec.Struct):
    initial: str
    states: list[str]
    transitions: list[dict[str, Any]]

    @classmethod
    def of(cls, workflow: Workflow) -> WorkflowOut:
        return cls(
            initial=workflow.initial,
            states=list(workflow.states),
            transitions=[
                {
                    "name": t.name,
                    "from": list(t.sources),
                    "to": t.dest,
                    "roles": sorted(t.roles),
                    "guards": list(t.guards),
                    "requires_reason": t.requires_reason,
                    "inputs": list(t.inputs),
                }
                for t in workflow.transitions.values()
            ],
        )


class FieldOut(msgspec.Struct):
    """A form question as a client renders and checks it."""

    name: str
    type: str
    required: bool
    identifying: bool
    multilingual: bool
    max_words: int | None
    options: list[str]
    label: dict[str, str]
    help: dict[str, str]
    max_size_mb: int | None
    accept: list[str]
    network: str | None

    @classmethod
    def of(cls, field: FormField) -> FieldOut:
        is_file = field.type is FieldType.FILE
        return cls(
            name=field.name,
            type=str(field.type),
            required=field.required,
            identifying=field.identifying,
            multilingual=field.multilingual,
            max_words=field.max_words,
            options=list(field.options),
            label=dict(field.label),
            help=dict(field.help),
            max_size_mb=field.max_size_mb if is_file else None,
            accept=list(field.accept) if is_file else [],
            network=field.network,
        )


class RuleOut(msgspec.Struct):
    name: str
    rule: str
    params: dict[str, Any]
    overridable: bool


class CallKindOut(msgspec.Struct):
    kind: str
    network: str
    name: dict[str, str]
    languages: list[str]
    default_language: str
    anonymised: bool
    form: list[FieldOut]
    inputs_form: list[FieldOut]
    categories: list[dict[str, Any]]
    rules: list[RuleOut]
    rubric: dict[str, Any]
    workflows: dict[str, WorkflowOut]

    @classmethod
    def of(cls, kind: CallKind) -> CallKindOut:
        return cls(
            kind=kind.slug,
            network=kind.network,
            name=dict(kind.name),
            languages=list(kind.languages),
            default_language=kind.default_language,
            anonymised=kind.anonymised,
            form=[FieldOut.of(f) for f in kind.form.fields],
            inputs_form=[FieldOut.of(f) for f in kind.inputs_form.fields],
            categories=[{"name": c.name, "label": dict(c.label)} for c in kind.categories],
            rules=[
                RuleOut(name=r.name, rule=r.type, params=dict(r.params), overridable=r.overridable)
                for r in kind.rules.values()
            ],
            rubric={
                "scale": {"min": kind.rubric.scale_min, "max": kind.rubric.scale_max},
                "criteria": [
                    {
                        "name": c.name,
                        "weight": c.weight,
                        "label": dict(c.label),
                        "help": dict(c.help),
                    }
                    for c in kind.rubric.criteria
                ],
                "levels": [
                    {
                        "min": lv.low,
                        "max": lv.high,
                        "label": dict(lv.label),
                        "description": dict(lv.description),
                    }
                    for lv in kind.rubric.levels
                ],
            },
            workflows={
                "call": WorkflowOut.of(kind.call_workflow),
                "submission": WorkflowOut.of(kind.submission_workflow),
            },
        )


class NewCallIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    edition: str
    title: dict[str, str]
    opens_at: datetime
    closes_at: datetime
    timezone: str
    languages: list[str]
    settings: dict[str, Any] = msgspec.field(default_factory=dict)


class CallDatesIn(msgspec.Struct, forbid_unknown_fields=True):
    """An open call's dates, both given (those that do not change as they are), at `version`."""

    opens_at: datetime
    closes_at: datetime
    version: StoredInt


class MovedDatesOut(msgspec.Struct):
    """What moving the dates did: which moved, and how many organisations with a draft were
    told of a new deadline."""

    moved: list[str]
    drafts_told: int
    version: int


class CallSettingsIn(msgspec.Struct, forbid_unknown_fields=True):
    """The edition's settings: `excluded`, `started_before`, `grace_minutes`, `reminder_days`."""

    settings: dict[str, Any]
    version: StoredInt


class ExtensionIn(msgspec.Struct, forbid_unknown_fields=True):
    organisation: str
    until: datetime
    reason: str


class ExtensionOut(msgspec.Struct):
    organisation: str
    until: datetime
    reason: str


class OverrideIn(msgspec.Struct, forbid_unknown_fields=True):
    rule: str
    reason: str


class CallOut(msgspec.Struct):
    id: int
    kind: str
    edition: str
    title: dict[str, str]
    opens_at: datetime
    closes_at: datetime
    closes_at_local: str
    timezone: str
    languages: list[str]
    settings: dict[str, Any]
    state: str
    version: int
    submissions_by_state: dict[str, int]

    @classmethod
    def of(cls, call: Call, counts: dict[str, int] | None = None) -> CallOut:
        assert call.id is not None
        return cls(
            id=call.id,
            kind=call.kind,
            edition=call.edition,
            title=call.title,
            opens_at=call.opens_at,
            closes_at=call.closes_at,
            closes_at_local=local(call.closes_at, call.timezone),
            timezone=call.timezone,
            languages=call.languages,
            settings=call.settings,
            state=call.state,
            version=call.version,
            submissions_by_state=counts or {},
        )

    @classmethod
    def of_summary(cls, summary: CallSummary) -> CallOut:
        return cls.of(summary.call, dict(summary.counts))


class NewSubmissionIn(msgspec.Struct, forbid_unknown_fields=True):
    answers: dict[str, Any] = msgspec.field(default_factory=dict)


class EditSubmissionIn(msgspec.Struct, forbid_unknown_fields=True):
    answers: dict[str, Any]
    version: StoredInt


class SubmissionStateOut(msgspec.Struct):
    """Where a submission stands after a transition: no answers, so the jury can act too."""

    id: int
    call_id: int
    pseudonym: str
    state: str
    version: int

    @classmethod
    def of(cls, submission: Submission) -> SubmissionStateOut:
        return msgspec.convert(submission, cls, from_attributes=True)


class AnswerProblemOut(msgspec.Struct):
    """An answer kept as typed that breaks a rule: submitting is refused until it is mended."""

    code: str
    reason: str
    params: dict[str, Any]


class SubmissionOut(msgspec.Struct):
    id: int
    call_id: int
    organisation_id: int
    state: str
    version: int
    answers: dict[str, Any]
    overrides: dict[str, Any]
    inputs: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    problems: dict[str, AnswerProblemOut] = {}
    """By field: what its answer breaks (a draft keeps it as typed)."""

    @classmethod
    def of(
        cls, submission: Submission, problems: Mapping[str, Invalid] | None = None
    ) -> SubmissionOut:
        found = msgspec.convert(submission, cls, from_attributes=True)
        found.problems = {
            name: AnswerProblemOut(
                code=problem.extra["code"],
                reason=problem.message,
                params=problem.extra["params"],
            )
            for name, problem in (problems or {}).items()
        }
        return found


class HistoryEntryOut(msgspec.Struct):
    at: datetime
    transition: str
    from_state: str
    to_state: str
    actor_id: int | None
    reason: str | None

    @classmethod
    def of(cls, entry: AuditEntry) -> HistoryEntryOut:
        return msgspec.convert(entry, cls, from_attributes=True)


class ChangeOut(msgspec.Struct):
    """An answer that differs from the previous version; null: not answered (a document is
    its answer: filename, size, sha256, attachment_id)."""

    field: str
    before: Any
    after: Any


class VersionOut(msgspec.Struct):
    """A version the submission was sent with (1 is the first), by which transition, with
    its answers and what changed since the previous version."""

    number: int
    at: datetime
    transition: str
    answers: dict[str, Any]
    changes: list[ChangeOut]

    @classmethod
    def of(cls, version: Version) -> VersionOut:
        return msgspec.convert(version, cls, from_attributes=True)
