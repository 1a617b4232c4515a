"""Jury pages: assignments with progress (accepted, or to accept or decline), the anonymised
dossier beside the scoring form, declaring a conflict, and the president's deliberation on the
ranking.

Nothing here reads an applicant's identity: the dossier, the assignments and the ranking
come from the jury services, which give the jury pseudonyms (invariant 4). Refused
proposals show which rule stops them, not the rule's text, which may name the applicant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from awards import urls
from awards.db.tables import Call
from awards.errors import Invalid, NotFound
from awards.http.auth import juror
from awards.http.params import RowId, posted_version
from awards.jury.candidacies import seats
from awards.jury.deadlines import accept_assignment, decline_assignment
from awards.jury.documents import PDF, jury_document
from awards.jury.dossier import dossier, titles
from awards.jury.membership import presided_call, presided_calls, presided_candidacy
from awards.jury.reviews import (
    AssignmentView,
    ReviewInput,
    assignments_of,
    declare_conflict,
    save_review,
    unscored,
)
from awards.jury.standings import standings
from awards.kinds.jury_spec import Rubric
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime
from awards.web.charts import histogram
from awards.web.page import render, see_other, visitor
from awards.web.security import FRAMED_HERE
from awards.web.transitions import posted_transition
from awards.web.wording import Wording


@dataclass(frozen=True)
class CallWork:
    """A call's assignments of one juror, and how many of their reviews are final, drafts
    or not started."""

    call: Call
    assignments: list[AssignmentView]

    @property
    def final(self) -> int:
        return sum(1 for a in self.assignments if a.review is not None and a.review.final)

    @property
    def drafts(self) -> int:
        return sum(1 for a in self.assignments if a.review is not None and not a.review.final)

    @property
    def not_started(self) -> int:
        return sum(1 for a in self.assignments if a.review is None)


def _by_call(views: list[AssignmentView]) -> list[CallWork]:
    grouped: dict[int, CallWork] = {}
    for view in views:
        grouped.setdefault(view.call.id or 0, CallWork(view.call, [])).assignments.append(view)
    return list(grouped.values())


@dataclass(frozen=True)
class Neighbours:
    """Where a dossier stands among its call's assignments, in the list's order."""

    position: int
    total: int
    previous: AssignmentView | None
    next: AssignmentView | None


def neighbours(views: list[AssignmentView], assignment_id: int) -> Neighbours:
    """The dossiers before and after `assignment_id` in the juror's list of its call."""
    work = next(
        w for w in _by_call(views) if any(a.assignment.id == assignment_id for a in w.assignments)
    )
    at = [a.assignment.id for a in work.assignments].index(assignment_id)
    around = work.assignments
    return Neighbours(
        position=at + 1,
        total=len(around),
        previous=around[at - 1] if at > 0 else None,
        next=around[at + 1] if at + 1 < len(around) else None,
    )


INCOMPLETE = "review_incomplete"
"""Asked to finalise without a required score: kept as a draft, the criteria marked."""


def parse_scores(form: Mapping[str, str], rubric: Rubric) -> dict[str, float]:
    """The scores typed for each criterion (`score.<name>`); an empty box scores nothing."""
    scores: dict[str, float] = {}
    for criterion in rubric.criteria:
        raw = str(form.get(f"score.{criterion.name}", "")).strip()
        if not raw:
            continue
        try:
            scores[criterion.name] = float(raw.replace(",", "."))
        except ValueError:
            raise Invalid(
                f"the score for '{criterion.name}' must be a number, not '{raw}'",
                extra={"field": f"scores.{criterion.name}"},
            ) from None
    return scores


class JuryPages(Controller):
    path = "/jury"
    guards = (juror,)

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The juror's assignments by call with their progress, each under its title as the
        dossier shows it and with its round's deadline; the panels they preside, and the
        bodies that vote or select on which they sit."""
        views = await assignments_of(runtime, actor=actor)
        work = _by_call(views)
        bodies = await seats(runtime, actor=actor)
        voting = {seat.call.id for seat in bodies}
        presided = [c for c in await presided_calls(runtime, actor=actor) if c.id not in voting]
        return render(
            request,
            "jury/index.html",
            work=work,
            kinds=runtime.kinds,
            titles=await titles(runtime, views),
            now=runtime.clock(),
            presided=presided,
            bodies=bodies,
            done=request.query_params.get("done", ""),
        )

    @get("/assignments/{assignment_id:int}")
    async def dossier_page(
        self,
        request: Request[Any, Any, Any],
        assignment_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Template:
        """The dossier (anonymised as the call says) and its documents beside the round's
        rubric, its levels and the total so far; a final review is shown, not edited."""
        found = await dossier(runtime, assignment_id, actor=actor)
        kind = runtime.kind(found.call.kind)
        done = request.query_params.get("done", "")
        return render(
            request,
            "jury/dossier.html",
            d=found,
            around=neighbours(await assignments_of(runtime, actor=actor), assignment_id),
            kind=kind,
            fields=[f for f in kind.form.fields if f.name in found.answers],
            w=Wording(kind, visitor(request)),
            done=done,
            missing=(
                unscored(found.round, found.review.scores)
                if done == INCOMPLETE and found.review
                else []
            ),
        )

    @get("/assignments/{assignment_id:int}/documents/{field:str}")
    async def document(
        self,
        assignment_id: RowId,
        field: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Response[bytes]:
        """A PDF of the dossier, shown inside the dossier's page (`<iframe>`) beside the
        rubric: as the API serves it for download, but inline and framed by this site only."""
        document = await jury_document(runtime, assignment_id, field, actor=actor)
        if document.content_type != PDF:
            raise NotFound(f"document '{field}' is not a PDF: download it")
        return Response(document.content, media_type=PDF, headers=FRAMED_HERE)

    @post("/assignments/{assignment_id:int}/review")
    async def review(
        self,
        request: Request[Any, Any, Any],
        assignment_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Save the review as a draft, or finalise it (the button pressed says which)."""
        form = {key: str(value) for key, value in (await request.form()).items()}
        found = await dossier(runtime, assignment_id, actor=actor)
        final = form.get("final") == "1"
        try:
            await save_review(
                runtime,
                assignment_id,
                ReviewInput(
                    scores=parse_scores(form, found.round.rubric),
                    comment_for_jury=form.get("comment", "").strip(),
                    comment_for_applicant=form.get("comment_for_applicant", "").strip(),
                    final=final,
                    version=posted_version(form.get("version", "")),
                ),
                actor=actor,
            )
        except Invalid as refused:
            if refused.extra.get("kept") != "draft":
                raise
            return see_other(urls.jury_assignment(assignment_id, done=INCOMPLETE))
        done = "review_final" if final else "review_saved"
        return see_other(urls.jury_assignment(assignment_id, done=done))

    @post("/assignments/{assignment_id:int}/conflict")
    async def conflict(
        self,
        request: Request[Any, Any, Any],
        assignment_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """Declare a conflict: the assignment goes to another juror."""
        reason = str((await request.form()).get("reason", ""))
        await declare_conflict(runtime, assignment_id, reason=reason, actor=actor)
        return see_other(urls.page(urls.JURY, done="conflict"))

    @post("/assignments/{assignment_id:int}/accept")
    async def accept(
        self, assignment_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> Redirect:
        """Take the assignment on."""
        await accept_assignment(runtime, assignment_id, actor=actor)
        return see_other(urls.page(urls.JURY, done="accepted"))

    @post("/assignments/{assignment_id:int}/decline")
    async def decline(
        self, assignment_id: RowId, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> Redirect:
        """Decline an assignment not yet accepted: it goes to another juror."""
        await decline_assignment(runtime, assignment_id, reason="", actor=actor)
        return see_other(urls.page(urls.JURY, done="declined"))

    @get("/calls/{call_id:int}")
    async def deliberation(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        runtime: NamedDependency[Runtime],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
        round: FromQuery[str | None] = None,
    ) -> Template:
        """The president: the round's ranking under pseudonyms, and the proposals to make."""
        call = await presided_call(runtime, call_id, actor=actor)
        kind = runtime.kind(call.kind)
        found = await standings(runtime, call_id, round_name=round, actor=actor)
        options = {
            entry.submission_id: await submissions.options(
                entry.submission_id, actor=actor, by_pseudonym=True
            )
            for standing in found
            for entry in standing.ranking.entries
        }
        return render(
            request,
            "jury/deliberation.html",
            call=call,
            kind=kind,
            standings=found,
            options=options,
            histogram=histogram,
            w=Wording(kind, visitor(request)),
            done=request.query_params.get("done", ""),
        )

    @post("/calls/{call_id:int}/ranking/{pseudonym:str}/transitions")
    async def propose(
        self,
        request: Request[Any, Any, Any],
        call_id: RowId,
        pseudonym: FromPath[str],
        runtime: NamedDependency[Runtime],
        submissions: NamedDependency[SubmissionService],
        actor: NamedDependency[Actor],
    ) -> Redirect:
        """The president proposes (or reconsiders) as the workflow allows, a candidacy named
        by its pseudonym."""
        submission_id = await presided_candidacy(runtime, call_id, pseudonym, actor=actor)
        posted = await posted_transition(request)
        await submissions.fire(
            submission_id, posted.name, actor=actor, reason=posted.reason, by_pseudonym=True
        )
        return see_other(urls.jury_call(call_id, done=posted.name))
