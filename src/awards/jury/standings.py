"""A round's ranking, read from its final reviews, for the Secretariat and the jury president.

Ranked per category when the call has categories. The president sees pseudonyms only; the
Secretariat also sees who is behind them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from awards.db.tables import (
    Assignment,
    Organisation,
    PanelMember,
    Review,
    Submission,
    User,
)
from awards.errors import Forbidden
from awards.jury.membership import PRESIDENT, call_with_jury, panel_role
from awards.jury.ranking import Aggregate, Ranking, RankingPolicy, ScoredReview, rank
from awards.transitions.actor import Actor
from awards.transitions.runtime import Runtime


@dataclass(frozen=True)
class Standing:
    """The ranking of one round (and category), with what each entry is called."""

    round: str
    category: str | None
    ranking: Ranking
    pseudonyms: dict[int, str]
    organisations: dict[int, str] | None
    """Submission id -> organisation name; None for the jury (anonymised)."""
    jurors: dict[int, str]
    """Juror id -> name, for the per-juror statistics."""


async def standings(
    runtime: Runtime, call_id: int, *, round_name: str | None, actor: Actor
) -> list[Standing]:
    """The round's ranking, one per category (one in all for a call without categories)."""
    async with runtime.db.read() as session:
        call, jury = await call_with_jury(session, runtime, call_id)
        if not (actor.is_secretariat or await panel_role(session, call_id, actor.id) == PRESIDENT):
            raise Forbidden("only the Secretariat and the jury president see the ranking")
        round_ = jury.round(round_name)
        reviews = await _final_reviews(session, call_id, round_.name)
        names = await _juror_names(session, call_id)
    kind = runtime.kind(call.kind)
    categories: list[str | None] = [c.name for c in kind.categories] or [None]
    policy = RankingPolicy(
        aggregate=Aggregate(jury.aggregate), normalise=jury.normalise, tie_break=jury.tie_break
    )
    pseudonyms = {review.scored.submission_id: review.pseudonym for review in reviews}
    return [
        Standing(
            round=round_.name,
            category=category,
            ranking=ties_by_pseudonym(
                rank(
                    (
                        review.scored
                        for review in reviews
                        if category is None or review.category == category
                    ),
                    criteria=round_.rubric.criteria,
                    scale=(round_.rubric.scale_min, round_.rubric.scale_max),
                    policy=policy,
                ),
                pseudonyms,
            ),
            pseudonyms=pseudonyms,
            organisations={review.scored.submission_id: review.organisation for review in reviews}
            if actor.is_secretariat
            else None,
            jurors=names,
        )
        for category in categories
    ]


def ties_by_pseudonym(ranking: Ranking, pseudonyms: Mapping[int, str]) -> Ranking:
    """The ranking with its complete ties (the tie-break too) in pseudonym order: by id,
    as `rank` leaves them, they would tell the jury the order candidacies came in."""
    entries = sorted(
        ranking.entries,
        key=lambda e: (e.rank, e.tie_break_order or 0, pseudonyms[e.submission_id]),
    )
    place = {entry.submission_id: index for index, entry in enumerate(entries)}
    return replace(
        ranking,
        entries=tuple(
            replace(entry, tied_with=tuple(sorted(entry.tied_with, key=place.__getitem__)))
            for entry in entries
        ),
    )


@dataclass(frozen=True, slots=True)
class _FinalReview:
    scored: ScoredReview
    category: str | None
    pseudonym: str
    organisation: str


async def _final_reviews(
    session: AsyncSession, call_id: int, round_name: str
) -> list[_FinalReview]:
    """The round's final reviews, as columns rather than rows of four tables: a round of a
    large call has hundreds of thousands of them, and objects cost more than their scores."""
    rows = await session.execute(
        select(
            col(Assignment.submission_id),
            col(Assignment.juror_id),
            col(Review.scores),
            col(Submission.answers)["category"].as_string(),
            col(Submission.pseudonym),
            col(Organisation.name),
        )
        .select_from(Review)
        .join(Assignment, col(Assignment.id) == col(Review.assignment_id))
        .join(Submission, col(Submission.id) == col(Assignment.submission_id))
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(
            col(Assignment.call_id) == call_id,
            col(Assignment.round) == round_name,
            col(Assignment.active),
            col(Review.final),
        )
    )
    return [
        _FinalReview(ScoredReview(submission_id, juror_id, scores), category, pseudonym, name)
        for submission_id, juror_id, scores, category, pseudonym, name in rows
    ]


async def _juror_names(session: AsyncSession, call_id: int) -> dict[int, str]:
    rows = await session.execute(
        select(col(User.id), col(User.name), col(User.email))
        .join(PanelMember, col(PanelMember.user_id) == col(User.id))
        .where(col(PanelMember.call_id) == call_id)
    )
    return {user_id or 0: name or email for user_id, name, email in rows}
