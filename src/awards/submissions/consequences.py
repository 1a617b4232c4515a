"""What an irreversible step of a call does to the people in it, counted before it is taken:
the confirmation page words it as that consequence ("32 cities will no longer be able to
submit"). The call workflows of every kind name these steps alike."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import col

from awards.calls.service import CallService
from awards.db.tables import Call, Submission
from awards.errors import Invalid
from awards.submissions.versions import editable_states
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

IRREVERSIBLE = ("close", "publish", "declare_void")
"""Call steps no transition undoes: each is confirmed on a page of its own first."""


@dataclass(frozen=True)
class Consequence:
    call: Call
    trigger: str
    unsubmitted: int
    """Organisations with a candidacy not submitted (a draft, or one returned for revision)."""
    submitted: int
    """Candidacies submitted and not withdrawn."""


async def consequence(runtime: Runtime, call_id: int, trigger: str, *, actor: Actor) -> Consequence:
    """What `trigger` would do to call `call_id` now; `Invalid` for a step that can be undone."""
    if trigger not in IRREVERSIBLE:
        raise Invalid(f"'{trigger}' needs no confirmation", extra={"field": "name"})
    call = await CallService(runtime).get(call_id, actor=actor)
    workflow = runtime.kind(call.kind).submission_workflow
    unfinished = editable_states(runtime.kind(call.kind))
    withdrawn = workflow.transitions["withdraw"].dest if "withdraw" in workflow.transitions else ""
    async with runtime.db.read() as session:
        unsubmitted = await session.scalar(
            select(func.count(func.distinct(Submission.organisation_id)))
            .where(col(Submission.call_id) == call_id)
            .where(col(Submission.state).in_(unfinished))
        )
        submitted = await session.scalar(
            select(func.count())
            .select_from(Submission)
            .where(col(Submission.call_id) == call_id)
            .where(col(Submission.state).not_in([*unfinished, withdrawn]))
        )
    return Consequence(call, trigger, unsubmitted=unsubmitted or 0, submitted=submitted or 0)
