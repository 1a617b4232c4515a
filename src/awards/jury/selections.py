"""A body that selects (`mode: select`): each member marks each candidacy accepted, rejected or
waitlisted, with the format or slot they would give it (the inputs of the kind's `accepted`
transition); the chair confirms the programme, and each candidacy takes its outcome's
transition, with its format and slot when accepted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import Call, SelectionMark
from awards.errors import Forbidden, Invalid
from awards.jury.candidacies import (
    body_call,
    candidate,
    candidates,
    judging,
    refuse_if_conflicted,
    seated,
)
from awards.jury.membership import PRESIDENT
from awards.kinds.bodies import MARKS, Body, Mode, SelectSpec
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor
from awards.transitions.apply import apply
from awards.transitions.records import record_change
from awards.transitions.runtime import Runtime

ACCEPTED, REJECTED, WAITLISTED = MARKS


@dataclass(frozen=True)
class Entry:
    """A candidacy of the programme: its outcome, and the inputs of `accepted` if it is."""

    submission_id: int
    mark: str
    inputs: Mapping[str, Any]


@dataclass(frozen=True)
class Standing:
    """Where a candidacy stands with the body: the members' marks and what they propose."""

    submission_id: int
    pseudonym: str
    marks: Mapping[str, int]
    """Mark -> how many members gave it."""
    own: str | None
    proposed: Entry
    """The mark most members gave (waitlisted on a tie), with the inputs most of those who
    accepted it gave: what the chair confirms unless they change it."""


async def mark(
    runtime: Runtime,
    call_id: int,
    submission_id: int,
    *,
    given: str,
    inputs: Mapping[str, Any],
    actor: Actor,
) -> None:
    """The member's mark on a candidacy; a later mark replaces theirs until the programme is
    confirmed."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, body, spec = await _selecting_call(session, runtime, call_id)
        await seated(session, call, actor)
        judging(call)
        submission = await candidate(session, call, submission_id, spec.candidates_in)
        await refuse_if_conflicted(session, call, body, actor, submission)
        kind = runtime.kind(call.kind)
        _check(kind, spec, Entry(submission_id, given, inputs), complete=False)
        row = await session.scalar(
            select(SelectionMark).where(
                col(SelectionMark.submission_id) == submission_id,
                col(SelectionMark.member_id) == actor.id,
            )
        )
        if row is None:
            assert actor.id is not None
            row = SelectionMark(
                call_id=call_id, submission_id=submission_id, member_id=actor.id, mark=given
            )
            session.add(row)
        row.mark, row.inputs, row.marked_at = given, dict(inputs), now
        record_change(
            session, submission, "mark", actor=actor, now=now, reason=_said(given, inputs)
        )


async def standings(runtime: Runtime, call_id: int, *, actor: Actor) -> list[Standing]:
    """Each candidacy before the body with its marks (members and the Secretariat)."""
    async with runtime.db.read() as session:
        call, _, spec = await _selecting_call(session, runtime, call_id)
        if not actor.is_secretariat:
            await seated(session, call, actor)
        marks = list(
            await session.scalars(
                select(SelectionMark).where(col(SelectionMark.call_id) == call_id)
            )
        )
        found = []
        for submission in await candidates(session, call, spec.candidates_in):
            given = [m for m in marks if m.submission_id == submission.id]
            own = next((m.mark for m in given if m.member_id == actor.id), None)
            found.append(
                Standing(
                    submission_id=submission.id or 0,
                    pseudonym=submission.pseudonym,
                    marks=Counter(m.mark for m in given),
                    own=own,
                    proposed=_proposed(submission.id or 0, given),
                )
            )
    return found


async def confirm_programme(
    runtime: Runtime, call_id: int, programme: Sequence[Entry], *, actor: Actor
) -> None:
    """The chair confirms the programme: every candidacy before the body, each with its
    outcome, all at once (one transaction: the programme is confirmed whole or not at all)."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        call, _, spec = await _selecting_call(session, runtime, call_id)
        if await seated(session, call, actor) != PRESIDENT:
            raise Forbidden("only the chair of the body confirms the programme")
        kind = runtime.kind(call.kind)
        before = {s.id: s for s in await candidates(session, call, spec.candidates_in)}
        given = {entry.submission_id: entry for entry in programme}
        if set(given) != set(before) or len(given) != len(programme):
            raise Invalid(
                "the programme gives each candidacy before the body exactly one outcome",
                extra={"field": "programme", "missing": sorted(set(before) - set(given))},
            )
        for entry in programme:
            _check(kind, spec, entry, complete=True)
        record_change(
            session,
            call,
            "confirm_programme",
            actor=actor,
            now=now,
            reason=", ".join(
                f"{n} {m}" for m, n in sorted(Counter(e.mark for e in programme).items())
            ),
        )
        for entry in programme:
            await apply(
                session,
                runtime,
                spec.outcomes[entry.mark],
                before[entry.submission_id],
                call=call,
                actor=actor,
                inputs=entry.inputs if entry.mark == ACCEPTED else None,
            )


async def _selecting_call(
    session: AsyncSession, runtime: Runtime, call_id: int
) -> tuple[Call, Body, SelectSpec]:
    call, body = await body_call(session, runtime, call_id, modes=(Mode.SELECT,))
    assert body.select is not None
    return call, body, body.select


def _check(kind: CallKind, spec: SelectSpec, entry: Entry, *, complete: bool) -> None:
    """A mark the body knows, with inputs of the `accepted` transition only (all of them,
    when the chair confirms it), each among its field's options."""
    if entry.mark not in MARKS:
        raise Invalid(f"a mark is one of {', '.join(MARKS)}", extra={"field": "mark"})
    accepted = kind.submission_workflow.transitions[spec.outcomes[ACCEPTED]]
    if entry.mark != ACCEPTED and entry.inputs:
        raise Invalid(f"only an accepted candidacy takes {', '.join(accepted.inputs)}")
    stray = sorted(set(entry.inputs) - set(accepted.inputs))
    if stray:
        raise Invalid(
            f"'{stray[0]}' is not asked of an accepted candidacy", extra={"field": stray[0]}
        )
    missing = [name for name in accepted.inputs if name not in entry.inputs]
    if entry.mark == ACCEPTED and complete and missing:
        raise Invalid(
            f"an accepted candidacy needs {', '.join(missing)}", extra={"field": missing[0]}
        )
    for name, value in entry.inputs.items():
        field = kind.inputs_form.field(name)
        if field is not None and field.options and value not in field.options:
            raise Invalid(f"{name} is one of {', '.join(field.options)}", extra={"field": name})


def _proposed(submission_id: int, given: Sequence[SelectionMark]) -> Entry:
    counts = Counter(m.mark for m in given).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return Entry(submission_id, WAITLISTED, {})
    top = counts[0][0]
    if top != ACCEPTED:
        return Entry(submission_id, top, {})
    inputs: dict[str, Any] = {}
    for name in {name for m in given if m.mark == ACCEPTED for name in m.inputs}:
        said = Counter(str(m.inputs[name]) for m in given if name in m.inputs)
        inputs[name] = said.most_common(1)[0][0]
    return Entry(submission_id, ACCEPTED, inputs)


def _said(given: str, inputs: Mapping[str, Any]) -> str:
    return "; ".join([given, *(f"{name}: {value}" for name, value in sorted(inputs.items()))])
