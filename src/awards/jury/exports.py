"""The jury's work as tables for the Secretariat: every review, and the ranking; anonymised
(pseudonyms only) or not, as asked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from awards.db.tables import Assignment, Organisation, Review, Submission, User
from awards.errors import Forbidden
from awards.formats import csv_text
from awards.jury.membership import call_with_jury
from awards.jury.standings import Standing, standings
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime

Row = dict[str, Any]


async def review_rows(
    runtime: Runtime, call_id: int, *, round_name: str | None, anonymised: bool, actor: Actor
) -> list[Row]:
    """One row per review of the round: who scored what, with both comments."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat exports reviews")
    async with runtime.db.read() as session:
        _, jury = await call_with_jury(session, runtime, call_id)
        round_ = jury.round(round_name)
        rows = await session.execute(
            select(Review, Assignment, Submission, Organisation, User)
            .join(Assignment, col(Assignment.id) == col(Review.assignment_id))
            .join(Submission, col(Submission.id) == col(Assignment.submission_id))
            .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
            .join(User, col(User.id) == col(Assignment.juror_id))
            .where(col(Assignment.call_id) == call_id, col(Assignment.round) == round_.name)
            .order_by(col(Submission.pseudonym), col(User.name))
        )
        criteria = [criterion.name for criterion in round_.rubric.criteria]
        return [
            {
                "round": round_.name,
                "pseudonym": submission.pseudonym,
                **({} if anonymised else {"organisation": organisation.name}),
                "juror": user.name or user.email,
                "active": assignment.active,
                "final": review.final,
                **{name: review.scores.get(name) for name in criteria},
                "comment_for_jury": review.comment_for_jury,
                "comment_for_applicant": review.comment_for_applicant,
            }
            for review, assignment, submission, organisation, user in rows
        ]


async def ranking_rows(
    runtime: Runtime, call_id: int, *, round_name: str | None, anonymised: bool, actor: Actor
) -> list[Row]:
    """One row per ranked submission of the round (per category)."""
    if not actor.is_secretariat:
        raise Forbidden("only the Secretariat exports the ranking")
    found = await standings(runtime, call_id, round_name=round_name, actor=actor)
    return [row for standing in found for row in _ranked(standing, anonymised=anonymised)]


def as_csv(rows: Sequence[Row]) -> str:
    """CSV with a header row (the keys of the first row); empty text for no rows."""
    if not rows:
        return ""
    header = list(rows[0])
    return csv_text(header, ([row[name] for name in header] for row in rows))


def _ranked(standing: Standing, *, anonymised: bool) -> list[Row]:
    organisations = standing.organisations or {}
    return [
        {
            "round": standing.round,
            "category": standing.category or "",
            "rank": entry.rank,
            "pseudonym": standing.pseudonyms[entry.submission_id],
            **({} if anonymised else {"organisation": organisations[entry.submission_id]}),
            "score": round(entry.score, 3),
            "raw_score": None if entry.raw_score is None else round(entry.raw_score, 3),
            "reviews": entry.reviews,
            "spread_sd": round(entry.spread.sd, 3),
            "tied_with": " ".join(standing.pseudonyms[s] for s in entry.tied_with),
        }
        for entry in standing.ranking.entries
    ]
