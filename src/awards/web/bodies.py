"""The pages of a body that votes or selects: its members read the candidacies, declare a
conflict, vote or mark each candidacy; the chair reads the tally, settles a tie and closes
the vote, or confirms the programme.

What the pages show comes from the jury's services, anonymised as the body judges
(invariant 4); a refusal says its reason by code (quorum, tie, conflict), never a rule's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from awards import urls
from awards.errors import Invalid
from awards.http.auth import juror
from awards.http.params import RowId
from awards.jury.candidacies import candidacies, declare_conflict_on, seat_of
from awards.jury.membership import PRESIDENT
from awards.jury.selections import Entry, confirm_programme, mark, standings
from awards.jury.votes import cast_deciding_vote, cast_vote, close_vote, own_vote, tally
from awards.kinds.bodies import MARKS, Mode
from awards.kinds.forms import FormField
from awards.kinds.kind import CallKind
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.page import render, see_other, visitor
from awards.web.wording import Wording

ABSTAIN = "abstain"


def programme_fields(kind: CallKind) -> list[FormField]:
    """What an accepted candidacy is given (a format, a slot): the inputs of the kind's
    `accepted` transition."""
    body = kind.body
    assert body is not None and body.select is not None
    accepted = kind.submission_workflow.transitions[body.select.outcomes[MARKS[0]]]
    return [f for name in accepted.inputs if (f := kind.inputs_form.field(name)) is not None]


def posted_entry(kind: CallKind, form: Mapping[str, str], submission_id: int, suffix: str) -> Entry:
    """A candidacy's mark, and its format and slot when accepted, as a form posts them
    (`mark<suffix>`, `<input><suffix>`)."""
    given = form.get(f"mark{suffix}", "")
    inputs = {
        f.name: form[f"{f.name}{suffix}"]
        for f in programme_fields(kind)
        if given == MARKS[0] and form.get(f"{f.name}{suffix}")
    }
    return Entry(submission_id, given, inputs)


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in (await request.form()).items()}


def _submission(form: Mapping[str, str], name: str) -> int:
    try:
        return int(form.get(name, ""))
    except ValueError:
        raise Invalid(f"choose a candidacy ({name})", extra={"field": name}) from None


class BodyPages(Controller):
    path = "/jury/calls/{call_id:int}"
    guards = (juror,)

    @get("/vote")
    async def vote_page(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The candidacies on the ballot and the member's vote; the tally for the chair."""
        seat = await seat_of(runtime, call_id, actor=actor)
        kind = runtime.kind(seat.call.kind)
        chair = seat.role == PRESIDENT
        return render(
            request,
            "jury/vote.html",
            call=seat.call,
            kind=kind,
            w=Wording(kind, visitor(request)),
            candidacies=await candidacies(runtime, call_id, actor=actor),
            own=await own_vote(runtime, call_id, actor=actor),
            tally=await tally(runtime, call_id, actor=actor) if chair else None,
            done=request.query_params.get("done", ""),
        )

    @post("/vote")
    async def vote(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Cast the member's one vote, or abstain."""
        form = await _form(request)
        choice = None if form.get("choice") == ABSTAIN else _submission(form, "choice")
        await cast_vote(runtime, call_id, submission_id=choice, actor=actor)
        return see_other(urls.jury_vote(call_id, done="voted"))

    @post("/vote/deciding")
    async def deciding_vote(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """The chair settles a tie."""
        choice = _submission(await _form(request), "choice")
        await cast_deciding_vote(runtime, call_id, submission_id=choice, actor=actor)
        return see_other(urls.jury_vote(call_id, done="tie_settled"))

    @post("/vote/close")
    async def close(
        self, call_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> Redirect:
        """The chair closes the vote: the elected candidacy takes the kind's transition."""
        await close_vote(runtime, call_id, actor=actor)
        return see_other(urls.jury_vote(call_id, done="vote_closed"))

    @get("/selection")
    async def selection_page(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """Each candidacy with the members' marks and the member's own; the programme the
        chair confirms."""
        seat = await seat_of(runtime, call_id, actor=actor)
        kind = runtime.kind(seat.call.kind)
        before = await candidacies(runtime, call_id, actor=actor)
        return render(
            request,
            "jury/selection.html",
            call=seat.call,
            kind=kind,
            w=Wording(kind, visitor(request)),
            chair=seat.role == PRESIDENT,
            marks=MARKS,
            fields=programme_fields(kind),
            candidacies={c.submission_id: c for c in before},
            standings=await standings(runtime, call_id, actor=actor),
            done=request.query_params.get("done", ""),
        )

    @post("/selection/confirm")
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """The chair confirms the programme: every candidacy with its outcome."""
        form = await _form(request)
        kind = runtime.kind((await seat_of(runtime, call_id, actor=actor)).call.kind)
        programme = [
            posted_entry(kind, form, s.submission_id, f".{s.submission_id}")
            for s in await standings(runtime, call_id, actor=actor)
        ]
        await confirm_programme(runtime, call_id, programme, actor=actor)
        return see_other(urls.jury_selection(call_id, done="programme_confirmed"))

    @post("/selection/{submission_id:int}")
    async def mark_candidacy(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        submission_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """The member's mark on one candidacy, with its format and slot when accepted."""
        kind = runtime.kind((await seat_of(runtime, call_id, actor=actor)).call.kind)
        entry = posted_entry(kind, await _form(request), submission_id, "")
        await mark(
            runtime, call_id, submission_id, given=entry.mark, inputs=entry.inputs, actor=actor
        )
        return see_other(urls.jury_selection(call_id, done="marked"))

    @post("/candidacies/{submission_id:int}/conflict")
    async def conflict(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        submission_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Declare a conflict with a candidacy: the member no longer judges it."""
        form = await _form(request)
        await declare_conflict_on(
            runtime, call_id, submission_id, reason=form.get("reason", ""), actor=actor
        )
        seat = await seat_of(runtime, call_id, actor=actor)
        back = urls.jury_vote if seat.mode is Mode.VOTE else urls.jury_selection
        return see_other(back(call_id, done="body_conflict"))
