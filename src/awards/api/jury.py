"""The jury: panels, conflicts, assignments, closing and reopening rounds and reviews
(Secretariat); assignments and reviews (jurors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import msgspec
from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from awards.api.schemas import FireTransition
from awards.db.tables import Review
from awards.db.types import StoredInt
from awards.errors import Conflict, NotFound
from awards.http.auth import juror, secretariat, signed_in
from awards.http.params import RowId
from awards.jury.assignment import assign_round, close_round
from awards.jury.conflicts import Finding
from awards.jury.documents import jury_document
from awards.jury.dossier import Dossier, dossier, titles
from awards.jury.exports import as_csv, ranking_rows, review_rows
from awards.jury.membership import presided_candidacy
from awards.jury.panel import panel_conflicts, set_panel
from awards.jury.reopening import reopen_review, reopen_round
from awards.jury.reviews import (
    ReviewInput,
    assignments_of,
    declare_conflict,
    save_review,
)
from awards.jury.standings import Standing, standings
from awards.submissions.service import SubmissionService
from awards.transitions.actor import Actor
from awards.transitions.apply import TransitionRefused
from awards.transitions.runtime import Runtime


class PanelIn(msgspec.Struct, forbid_unknown_fields=True):
    jurors: list[str]
    president: str | None = None
    categories: dict[str, str] = {}
    """Juror e-mail -> the one category they sit for; absent: every category."""


class PanelMemberOut(msgspec.Struct):
    user_id: int
    role: str
    category: str | None


class CandidatesIn(msgspec.Struct, forbid_unknown_fields=True):
    jurors: list[str] | None = None
    """E-mails of would-be jurors; none: the current panel."""


class FindingOut(msgspec.Struct):
    juror: str
    organisation: str
    rule: str
    reason: str

    @classmethod
    def of(cls, finding: Finding) -> FindingOut:
        return cls(finding.juror_email, finding.organisation, str(finding.rule), finding.reason)


class AssignIn(msgspec.Struct, forbid_unknown_fields=True):
    round: str | None = None


class AssignmentReportOut(msgspec.Struct):
    round: str
    created: int
    short: dict[int, int]


class AssignmentOut(msgspec.Struct):
    id: int
    call_id: int
    call_title: dict[str, str]
    round: str
    pseudonym: str
    title: str | dict[str, str] | None
    """As the dossier shows it: redacted unless the jury may know who applied."""
    review_by: datetime | None
    """The round's review deadline, once set."""
    review: str
    """`none`, `draft` or `final`."""


class ReopenReviewIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class ReopenedReviewOut(msgspec.Struct):
    assignment_id: int
    version: int
    """The draft's version."""


class ReopenRoundIn(msgspec.Struct, forbid_unknown_fields=True):
    review_by: datetime
    """The new deadline, an instant with its offset."""
    reason: str


class ReopenedRoundOut(msgspec.Struct):
    round: str
    review_by: datetime
    reopened: int
    """Final reviews returned to draft."""


class ReviewIn(msgspec.Struct, forbid_unknown_fields=True):
    scores: dict[str, float]
    comment: str = ""
    """For the jury."""
    comment_for_applicant: str = ""
    final: bool = False
    version: StoredInt | None = None


class ReviewOut(msgspec.Struct):
    scores: dict[str, float]
    comment: str
    comment_for_applicant: str
    final: bool
    version: int

    @classmethod
    def of(cls, review: Review) -> ReviewOut:
        return cls(
            review.scores,
            review.comment_for_jury,
            review.comment_for_applicant,
            review.final,
            review.version,
        )


class ConflictIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class CriterionOut(msgspec.Struct):
    name: str
    weight: float
    required: bool
    label: dict[str, str]
    help: dict[str, str]


class LevelOut(msgspec.Struct):
    """A band of the rubric's scale, `min` to `max`, and what a score in it means."""

    min: float
    max: float
    label: dict[str, str]
    description: dict[str, str]


class PeerCommentOut(msgspec.Struct):
    juror: str
    comment: str
    final: bool


class DossierOut(msgspec.Struct):
    """An assigned submission as its juror reads it (anonymised unless `revealed`)."""

    assignment_id: int
    call_id: int
    call_title: dict[str, str]
    round: str
    pseudonym: str
    revealed: bool
    organisation: str | None
    answers: dict[str, Any]
    scale: dict[str, int]
    criteria: list[CriterionOut]
    levels: list[LevelOut]
    review: ReviewOut | None
    comments: list[PeerCommentOut]

    @classmethod
    def of(cls, dossier: Dossier) -> DossierOut:
        rubric = dossier.round.rubric
        return cls(
            assignment_id=dossier.assignment_id,
            call_id=dossier.call.id or 0,
            call_title=dossier.call.title,
            round=dossier.round.name,
            pseudonym=dossier.pseudonym,
            revealed=dossier.revealed,
            organisation=dossier.organisation,
            answers=dossier.answers,
            scale={"min": rubric.scale_min, "max": rubric.scale_max},
            criteria=[
                CriterionOut(c.name, c.weight, c.required, dict(c.label), dict(c.help))
                for c in rubric.criteria
            ],
            levels=[
                LevelOut(lv.low, lv.high, dict(lv.label), dict(lv.description))
                for lv in rubric.levels
            ],
            review=ReviewOut.of(dossier.review) if dossier.review else None,
            comments=[PeerCommentOut(c.juror, c.comment, c.final) for c in dossier.comments],
        )


class SpreadOut(msgspec.Struct):
    sd: float
    low: float
    high: float


class RankedOut(msgspec.Struct):
    submission_id: int | None
    """The Secretariat's handle; none for the jury president, who acts by `pseudonym`: an
    id follows the order candidacies came in."""
    pseudonym: str
    organisation: str | None
    rank: int
    score: float
    raw_score: float | None
    spread: SpreadOut
    reviews: int
    tied_with: list[str]
    tie_break_order: int | None


class JurorStatisticsOut(msgspec.Struct):
    juror: str
    count: int
    mean: float
    sd: float
    leniency: float
    scores: list[float]


class StandingOut(msgspec.Struct):
    round: str
    category: str | None
    entries: list[RankedOut]
    jurors: list[JurorStatisticsOut]
    agreement: float | None
    """Krippendorff's alpha (interval)."""

    @classmethod
    def of(cls, standing: Standing) -> StandingOut:
        names = standing.pseudonyms
        organisations = standing.organisations
        return cls(
            round=standing.round,
            category=standing.category,
            entries=[
                RankedOut(
                    submission_id=e.submission_id if organisations else None,
                    pseudonym=names[e.submission_id],
                    organisation=organisations[e.submission_id] if organisations else None,
                    rank=e.rank,
                    score=round(e.score, 3),
                    raw_score=None if e.raw_score is None else round(e.raw_score, 3),
                    spread=SpreadOut(round(e.spread.sd, 3), e.spread.low, e.spread.high),
                    reviews=e.reviews,
                    tied_with=[names[other] for other in e.tied_with],
                    tie_break_order=e.tie_break_order,
                )
                for e in standing.ranking.entries
            ],
            jurors=[
                JurorStatisticsOut(
                    juror=standing.jurors.get(j.juror_id, str(j.juror_id)),
                    count=j.count,
                    mean=round(j.mean, 3),
                    sd=round(j.sd, 3),
                    leniency=round(j.leniency, 3),
                    scores=list(j.scores),
                )
                for j in standing.ranking.jurors
            ],
            agreement=standing.ranking.agreement,
        )


@get("/calls/{call_id:int}/ranking", guards=[signed_in], tags=["jury"])
async def ranking(
    call_id: RowId,
    runtime: NamedDependency[Runtime],
    actor: NamedDependency[Actor],
    round: FromQuery[str | None] = None,
) -> list[StandingOut]:
    """Secretariat, jury president: the round's ranking (per category), per-juror statistics
    and agreement; the president sees pseudonyms only."""
    found = await standings(runtime, call_id, round_name=round, actor=actor)
    return [StandingOut.of(standing) for standing in found]


class CandidacyStateOut(msgspec.Struct):
    """Where a candidacy of the ranking stands after the president's transition."""

    call_id: int
    pseudonym: str
    state: str
    version: int


@post(
    "/calls/{call_id:int}/ranking/{pseudonym:str}/transitions",
    guards=[juror],
    tags=["jury"],
    status_code=HTTP_200_OK,
)
async def fire_ranked(
    call_id: RowId,
    pseudonym: FromPath[str],
    data: JSONBody[FireTransition],
    runtime: NamedDependency[Runtime],
    submissions: NamedDependency[SubmissionService],
    actor: NamedDependency[Actor],
) -> CandidacyStateOut:
    """Jury president: fire a transition (e.g. `propose_laureate`) on a candidacy of the
    ranking, named by its pseudonym, a refusal too (the engine's names its id)."""
    submission_id = await presided_candidacy(runtime, call_id, pseudonym, actor=actor)
    try:
        submission = await submissions.fire(
            submission_id,
            data.name,
            actor=actor,
            reason=data.reason,
            inputs=data.inputs,
            by_pseudonym=True,
        )
    except TransitionRefused as refused:
        extra = refused.extra
        reasons = "; ".join(guard["reason"] for guard in extra["failed_guards"])
        raise Conflict(
            f"cannot {extra['transition']} {pseudonym} from {extra['state']}: {reasons}",
            extra=extra,
        ) from None
    return CandidacyStateOut(
        submission.call_id, submission.pseudonym, submission.state, submission.version
    )


class CallJuryController(Controller):
    path = "/calls/{call_id:int}"
    tags = ("jury",)
    guards = (secretariat,)

    @put("/panel")
    async def put_panel(
        self,
        call_id: RowId,
        data: JSONBody[PanelIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> list[PanelMemberOut]:
        """Secretariat: the jurors of the call, its president and the category a juror sits
        for; newcomers are invited."""
        members = await set_panel(
            runtime,
            call_id,
            jurors=data.jurors,
            president=data.president,
            categories=data.categories,
            actor=actor,
        )
        return [PanelMemberOut(m.user_id, m.role, m.category) for m in members]

    @post("/conflicts", status_code=HTTP_200_OK)
    async def check_conflicts(
        self,
        call_id: RowId,
        data: JSONBody[CandidatesIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> list[FindingOut]:
        """Secretariat: conflicts detected for would-be jurors (or the panel); writes nothing."""
        findings = await panel_conflicts(runtime, call_id, candidates=data.jurors, actor=actor)
        return [FindingOut.of(finding) for finding in findings]

    @post("/assignments", status_code=HTTP_200_OK)
    async def assign(
        self,
        call_id: RowId,
        data: JSONBody[AssignIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> AssignmentReportOut:
        """Secretariat: assign the round's submissions, balanced, never across a conflict."""
        report = await assign_round(runtime, call_id, round_name=data.round, actor=actor)
        return AssignmentReportOut(report.round, report.created, report.short)

    @get("/exports/{table:str}")
    async def export(
        self,
        call_id: RowId,
        table: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
        round: FromQuery[str | None] = None,
        anonymised: FromQuery[bool] = True,
    ) -> Response[str]:
        """Secretariat: `reviews.csv`, `reviews.json`, `ranking.csv` or `ranking.json` of a
        round; pseudonyms only unless `anonymised=false`."""
        name, _, extension = table.partition(".")
        makers = {"reviews": review_rows, "ranking": ranking_rows}
        if name not in makers or extension not in ("csv", "json"):
            raise NotFound(f"no export '{table}': reviews or ranking, as .csv or .json")
        rows = await makers[name](
            runtime, call_id, round_name=round, anonymised=anonymised, actor=actor
        )
        if extension == "json":
            return Response(msgspec.json.encode(rows).decode(), media_type="application/json")
        return Response(
            as_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="call-{call_id}-{table}"'},
        )

    @post("/rounds/{round_name:str}/close", status_code=HTTP_200_OK)
    async def close(
        self,
        call_id: RowId,
        round_name: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> None:
        """Secretariat: close a round; its reviews no longer change and its jurors are told."""
        await close_round(runtime, call_id, round_name=round_name, actor=actor)

    @post("/rounds/{round_name:str}/reopen", status_code=HTTP_200_OK)
    async def reopen_all(
        self,
        call_id: RowId,
        round_name: FromPath[str],
        data: JSONBody[ReopenRoundIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> ReopenedRoundOut:
        """Secretariat of the call's network: open the round again until `review_by`, its
        final reviews back to draft; its jurors are told, with the reason."""
        count = await reopen_round(
            runtime,
            call_id,
            round_name=round_name,
            review_by=data.review_by,
            reason=data.reason,
            actor=actor,
        )
        return ReopenedRoundOut(round_name, data.review_by, count)

    @post("/assignments/{assignment_id:int}/reopen", status_code=HTTP_200_OK)
    async def reopen_one(
        self,
        call_id: RowId,
        assignment_id: RowId,
        data: JSONBody[ReopenReviewIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> ReopenedReviewOut:
        """Secretariat of the call's network: return a final review to draft; its juror is
        told, with the reason, and may change it and finalise it again."""
        done = await reopen_review(runtime, call_id, assignment_id, reason=data.reason, actor=actor)
        return ReopenedReviewOut(assignment_id, done.version)


class JurorController(Controller):
    path = "/jury/assignments"
    tags = ("jury",)
    guards = (juror,)

    @get("/")
    async def my_assignments(
        self, runtime: NamedDependency[Runtime], actor: NamedDependency[Actor]
    ) -> list[AssignmentOut]:
        """Juror: own active assignments, under pseudonyms, with their titles as the dossier
        shows them and their rounds' deadlines."""
        views = await assignments_of(runtime, actor=actor)
        shown = await titles(runtime, views)
        return [
            AssignmentOut(
                id=view.assignment.id or 0,
                call_id=view.call.id or 0,
                call_title=view.call.title,
                round=view.assignment.round,
                pseudonym=view.pseudonym,
                title=cast("str | dict[str, str] | None", shown.get(view.assignment.id or 0)),
                review_by=view.review_by,
                review="none" if view.review is None else "final" if view.review.final else "draft",
            )
            for view in views
        ]

    @get("/{assignment_id:int}")
    async def get_dossier(
        self,
        assignment_id: RowId,
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> DossierOut:
        """Juror: the assigned submission, anonymised as the call says, beside the rubric."""
        return DossierOut.of(await dossier(runtime, assignment_id, actor=actor))

    @get("/{assignment_id:int}/documents/{field:str}")
    async def get_document(
        self,
        assignment_id: RowId,
        field: FromPath[str],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> Response[bytes]:
        """Juror: the document answering `field` of the assigned submission, under a neutral
        name and without its metadata in an anonymised call."""
        document = await jury_document(runtime, assignment_id, field, actor=actor)
        return Response(
            document.content,
            media_type=document.content_type,
            headers={"Content-Disposition": f'attachment; filename="{document.name}"'},
        )

    @put("/{assignment_id:int}/review")
    async def put_review(
        self,
        assignment_id: RowId,
        data: JSONBody[ReviewIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> ReviewOut:
        """Juror: save a draft or final review at `version` (409 when stale)."""
        review = await save_review(
            runtime,
            assignment_id,
            ReviewInput(
                scores=data.scores,
                comment_for_jury=data.comment,
                comment_for_applicant=data.comment_for_applicant,
                final=data.final,
                version=data.version,
            ),
            actor=actor,
        )
        return ReviewOut.of(review)

    @post("/{assignment_id:int}/conflict", status_code=HTTP_200_OK)
    async def post_conflict(
        self,
        assignment_id: RowId,
        data: JSONBody[ConflictIn],
        runtime: NamedDependency[Runtime],
        actor: NamedDependency[Actor],
    ) -> None:
        """Juror: declare a conflict; the assignment is withdrawn and given to another juror."""
        await declare_conflict(runtime, assignment_id, reason=data.reason, actor=actor)
