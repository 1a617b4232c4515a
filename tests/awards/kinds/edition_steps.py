"""Steps an edition of any call kind goes through, driven through the services as the
Secretariat and the cities would: members join, a call opens, dossiers are filed with their
documents, transitions fire, refusals are read with their reasons, mails are read back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from awards.auth.users import add_user
from awards.calls.service import CallService, NewCall
from awards.db.tables import OutboxMessage, Submission
from awards.jury.panel import set_panel
from awards.members.register import Member, upsert_members
from awards.submissions.attachments import AttachmentService
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.apply import TransitionRefused
from awards.transitions.runtime import Runtime
from conftest import chunks_of


async def join(
    runtime: Runtime, now: datetime, members: Iterable[tuple[Member, str]]
) -> dict[str, Actor]:
    """Add `members` to the register, each with one applicant speaking the given locale;
    returns the applicants by organisation slug."""
    members = list(members)
    await upsert_members(runtime.db, [member for member, _ in members])
    applicants = {}
    for member, locale in members:
        user = await add_user(
            runtime.db,
            f"applicant@{member.slug}.test",
            role="applicant",
            organisation=member.slug,
            locale=locale,
            now=now,
        )
        applicants[member.slug] = Actor.of(user)
    return applicants


async def open_call(
    runtime: Runtime,
    staff: Actor,
    kind: str,
    *,
    edition: str,
    title: Mapping[str, str],
    opens_at: datetime,
    closes_at: datetime,
    timezone: str,
    settings: Mapping[str, Any] | None = None,
) -> int:
    """A call of `kind` in every language of its title, created and opened by `staff`."""
    calls = CallService(runtime)
    call = await calls.create(
        NewCall(
            kind=kind,
            edition=edition,
            title=title,
            opens_at=opens_at,
            closes_at=closes_at,
            timezone=timezone,
            languages=list(title),
            settings=settings or {},
        ),
        actor=staff,
    )
    assert call.id is not None
    await calls.fire(call.id, "open", actor=staff)
    return call.id


async def file(
    runtime: Runtime,
    call_id: int,
    applicant: Actor,
    answers: Mapping[str, Any],
    *,
    documents: Sequence[str] = (),
) -> int:
    """A draft with `answers`, and a PDF uploaded for each file field in `documents`."""
    draft = await SubmissionService(runtime).create(call_id, answers, actor=applicant)
    assert draft.id is not None
    for field in documents:
        await attach(runtime, draft.id, field, applicant)
    return draft.id


async def attach(runtime: Runtime, submission_id: int, field: str, applicant: Actor) -> None:
    """Upload a signed PDF as the answer to file field `field` of a draft."""
    uploads = AttachmentService(runtime)
    letter = f"%PDF-1.7\n% {field} of submission {submission_id}, signed\n".encode()
    await uploads.upload(submission_id, field, chunks_of(letter), f"{field}.pdf", actor=applicant)


async def fire(
    runtime: Runtime, submissions: Iterable[int], trigger: str, actor: Actor, **kw: Any
) -> None:
    """Fire `trigger` on each submission in turn."""
    service = SubmissionService(runtime)
    for submission in submissions:
        await service.fire(submission, trigger, actor=actor, **kw)


async def move_call(runtime: Runtime, call_id: int, staff: Actor, *triggers: str) -> str:
    """Fire the call's `triggers` in order; returns the call's state after them."""
    calls = CallService(runtime)
    state = ""
    for trigger in triggers:
        state = (await calls.fire(call_id, trigger, actor=staff)).call.state
    return state


async def refusal(
    runtime: Runtime, submission_id: int, trigger: str, actor: Actor, **kw: Any
) -> list[dict[str, str]]:
    """The failed guards, with their reasons, of a transition the workflow refuses."""
    with pytest.raises(TransitionRefused) as refused:
        await SubmissionService(runtime).fire(submission_id, trigger, actor=actor, **kw)
    failed: list[dict[str, str]] = refused.value.extra["failed_guards"]
    return [{"guard": f["guard"], "reason": f["reason"]} for f in failed]  # codes: web tests


async def states(runtime: Runtime, call_id: int) -> Counter[str]:
    """How many submissions of the call are in each state."""
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(col(Submission.state)).where(col(Submission.call_id) == call_id)
        )
        return Counter(rows)


async def stored(runtime: Runtime, submission_id: int) -> Submission:
    async with runtime.db.read() as session:
        submission = await session.get(Submission, submission_id)
    assert submission is not None
    return submission


async def mails(
    runtime: Runtime, *, template: str | None = None, recipient: str | None = None
) -> list[OutboxMessage]:
    """Outbox rows, oldest first, of `template` and to `recipient` when given."""
    query = select(OutboxMessage).order_by(col(OutboxMessage.id))
    if template is not None:
        query = query.where(col(OutboxMessage.template) == template)
    if recipient is not None:
        query = query.where(col(OutboxMessage.recipient) == recipient)
    async with runtime.db.read() as session:
        return list(await session.scalars(query))


async def before_the_body(
    runtime: Runtime,
    call_id: int,
    staff: Actor,
    proposals: Mapping[int, Actor],
    *,
    panel: Sequence[str],
) -> list[Actor]:
    """Submit each proposal as its applicant, find them eligible, take the call to its
    decision with every proposal in review, and seat `panel` (its first member chairs);
    returns the members."""
    for submission, applicant in proposals.items():
        await fire(runtime, [submission], "submit", applicant)
    await fire(runtime, proposals, "mark_eligible", staff)
    await move_call(runtime, call_id, staff, "close", "start_review")
    await fire(runtime, proposals, "start_review", staff)
    await move_call(runtime, call_id, staff, "deliberate")
    members = [
        Actor.of(await add_user(runtime.db, email, role="juror", now=runtime.clock()))
        for email in panel
    ]
    await set_panel(runtime, call_id, jurors=list(panel), president=panel[0], actor=staff)
    return members
