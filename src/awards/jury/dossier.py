"""What a juror reads of an assigned submission: the anonymised dossier (invariant 4).

In an anonymised call the juror gets the pseudonym, never the organisation, its city, its
people or their addresses: identifying fields are dropped and free text is redacted with the
applicant's own names. Identities are revealed once the call is published, if the kind says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Assignment, Call, Organisation, Review, Submission, User
from awards.jury.anonymise import DOCUMENT, Redactor, anonymised_answers
from awards.jury.reviews import AssignmentView, own_assignment
from awards.kinds.forms import FieldType, Form
from awards.kinds.jury_spec import CommentsVisible, Round
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor, Role
from awards.transitions.runtime import Runtime
from awards.vocabulary import CallState

REVEALED_STATES = (CallState.PUBLISHED, CallState.ARCHIVED)
TITLE = "title"
"""The answer a candidacy is listed by, in the kinds whose form asks for one."""


@dataclass(frozen=True)
class PeerComment:
    juror: str
    comment: str
    final: bool


@dataclass(frozen=True)
class Dossier:
    assignment_id: int
    call: Call
    round: Round
    pseudonym: str
    revealed: bool
    """True when the juror may know who applied (not anonymised, or revealed after the
    decision); `organisation` is set only then."""
    organisation: str | None
    answers: dict[str, Any]
    review: Review | None
    comments: list[PeerComment]
    """Other jurors' final comments for the jury, when the call's policy shows them (by
    default once the juror's own review is final, which then cannot change)."""


async def dossier(runtime: Runtime, assignment_id: int, *, actor: Actor) -> Dossier:
    async with runtime.db.read() as session:
        assignment, call = await own_assignment(session, assignment_id, actor)
        kind = runtime.kind(call.kind)
        assert kind.jury is not None
        submission = await session.get(Submission, assignment.submission_id)
        organisation = await session.get(
            Organisation, submission.organisation_id if submission else 0
        )
        assert submission is not None and organisation is not None
        review = await session.scalar(
            select(Review).where(col(Review.assignment_id) == assignment_id)
        )
        revealed = is_revealed(kind, call)
        redactor = None if revealed else await redactor_for(session, kind, submission, organisation)
        show_comments = kind.jury.comments_visible is CommentsVisible.ALWAYS or bool(
            review and review.final
        )
        comments = await _peer_comments(session, assignment) if show_comments else []
    # Redacting is CPU-bound (seconds for the longest answers): off the event loop, so the
    # process keeps answering everyone else meanwhile.
    answers, comments = await asyncio.to_thread(
        _as_the_jury_reads, kind.form, submission.answers, comments, redactor, tuple(call.languages)
    )
    return Dossier(
        assignment_id=assignment_id,
        call=call,
        round=kind.jury.round(assignment.round),
        pseudonym=submission.pseudonym,
        revealed=revealed,
        organisation=organisation.name if revealed else None,
        answers=answers,
        review=review,
        comments=comments,
    )


async def titles(runtime: Runtime, views: Sequence[AssignmentView]) -> dict[int, object]:
    """Each assignment's title as its dossier shows it (by assignment id): redacted with its
    applicant's names unless the jury may know who applied; none where the kind asks for no
    title or withholds it. Two reads, however many assignments."""
    wanted = {
        view.assignment.submission_id
        for view in views
        if any(field.name == TITLE for field in runtime.kind(view.call.kind).form.fields)
    }
    if not wanted:
        return {}
    calls = {view.call.id: view.call for view in views}
    async with runtime.db.read() as session:
        rows = (
            await session.execute(
                select(Submission, Organisation)
                .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
                .where(col(Submission.id).in_(wanted))
            )
        ).all()
        people: dict[int | None, list[str]] = {}
        for organisation_id, name in await session.execute(
            select(col(User.organisation_id), col(User.name)).where(
                col(User.organisation_id).in_({organisation.id for _, organisation in rows}),
                col(User.role) == Role.APPLICANT,
            )
        ):
            people.setdefault(organisation_id, []).append(name)
    # Redacting is CPU work over every name the register knows: off the serving loop.
    shown = await asyncio.to_thread(_titles_as_read, runtime, calls, rows, people)
    return {view.assignment.id or 0: shown.get(view.assignment.submission_id) for view in views}


def _titles_as_read(
    runtime: Runtime,
    calls: Mapping[int | None, Call],
    rows: Sequence[Any],
    people: Mapping[int | None, list[str]],
) -> dict[int | None, object]:
    """Each submission's title (by submission id) as its jury reads it."""
    shown: dict[int | None, object] = {}
    for submission, organisation in rows:
        call = calls[submission.call_id]
        kind = runtime.kind(call.kind)
        redactor = (
            None
            if is_revealed(kind, call)
            else applicant_redactor(
                kind, submission, organisation, people=people.get(organisation.id, [])
            )
        )
        title = {TITLE: submission.answers[TITLE]} if TITLE in submission.answers else {}
        answers, _ = _as_the_jury_reads(kind.form, title, [], redactor, tuple(call.languages))
        shown[submission.id] = answers.get(TITLE)
    return shown


def _as_the_jury_reads(
    form: Form,
    answers: Mapping[str, Any],
    comments: list[PeerComment],
    redactor: Redactor | None,
    languages: tuple[str, ...],
) -> tuple[dict[str, Any], list[PeerComment]]:
    """The answers and the other jurors' comments, redacted unless the jury may know who
    applied (`redactor` is None)."""
    if redactor is None:
        return revealed_answers(form, answers), comments
    return (
        anonymised_answers(form, answers, redactor=redactor, languages=languages),
        [replace(comment, comment=redactor.redact(comment.comment)) for comment in comments],
    )


def revealed_answers(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as they were sent, a document in the shape the jury always reads
    (`anonymise.neutral_attachment`'s) but under its uploaded name, with its id."""
    shown = dict(answers)
    for field in form.fields:
        answer = answers.get(field.name)
        if field.type is FieldType.FILE and isinstance(answer, Mapping):
            shown[field.name] = {
                DOCUMENT: field.name,
                "attachment_id": answer.get("attachment_id"),
                "name": answer.get("filename"),
                "content_type": answer.get("content_type"),
                "size": answer.get("size"),
            }
    return shown


def is_revealed(kind: CallKind, call: Call) -> bool:
    """Whether the body may know who applied: it does not judge anonymised, or the call is
    published and the kind reveals identities after the decision."""
    return (
        kind.body is None
        or not kind.body.anonymised
        or bool(kind.jury and kind.jury.reveal_after_decision and call.state in REVEALED_STATES)
    )


async def redactor_for(
    session: AsyncSession, kind: CallKind, submission: Submission, organisation: Organisation
) -> Redactor:
    """The applicant's names: organisation, city, their other names in the register, its
    people, and what identifying fields say."""
    people = await session.scalars(
        select(col(User.name)).where(
            col(User.organisation_id) == organisation.id, col(User.role) == Role.APPLICANT
        )
    )
    return applicant_redactor(kind, submission, organisation, people=list(people))


def applicant_redactor(
    kind: CallKind, submission: Submission, organisation: Organisation, *, people: list[str]
) -> Redactor:
    """`redactor_for` with the organisation's people's names already read."""
    said = [
        value
        for field in kind.form.fields
        if field.identifying
        and field.type in (FieldType.TEXT, FieldType.LONG_TEXT)
        and isinstance(value := submission.answers.get(field.name), str)
    ]
    return Redactor.for_applicant(
        organisation=organisation.name,
        city=organisation.city,
        people=[name for name in people if name] + said,
        aliases=[organisation.slug.replace("-", " "), *(organisation.aliases or "").split(";")],
    )


async def _peer_comments(session: AsyncSession, assignment: Assignment) -> list[PeerComment]:
    """The other jurors' final comments for the jury: a draft is its juror's own until it is
    final. Unredacted: a comment may name the applicant (`_as_the_jury_reads`)."""
    rows = await session.execute(
        select(Review, User)
        .join(Assignment, col(Assignment.id) == col(Review.assignment_id))
        .join(User, col(User.id) == col(Assignment.juror_id))
        .where(
            col(Assignment.submission_id) == assignment.submission_id,
            col(Assignment.round) == assignment.round,
            col(Assignment.id) != assignment.id,
            col(Review.comment_for_jury) != "",
            col(Review.final),
        )
        .order_by(col(User.name))
    )
    return [
        PeerComment(
            juror=user.name or "a juror", comment=review.comment_for_jury, final=review.final
        )
        for review, user in rows
    ]
