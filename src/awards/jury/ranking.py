"""Ranking a round's submissions from its reviews.

Pure: no database, no I/O, no clock. The jury service reads a round's reviews and passes them
here with the round's rubric; what comes back is what a ranking page, an export and a
deliberation need, computed once: the order with its ties, how far each submission's reviews
are apart, each juror's habits and how much the jury agrees.

A submission's score aggregates its reviews' weighted scores (`weighting`) by mean, median or
trimmed mean, after putting every juror on the panel's footing when the call normalises
(`leniency.Footing`). Tied submissions share a rank ("1224", `ties`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from awards.errors import Invalid
from awards.jury.agreement import interval_alpha
from awards.jury.leniency import Footing, JurorStatistics, juror_statistics
from awards.jury.statistics import Aggregate, Spread, aggregate, mean, population_sd, spread
from awards.jury.ties import SCORE_DECIMALS, tied_groups
from awards.jury.weighting import ScoredReview, check_rubric, weigh
from awards.kinds.jury_spec import Criterion

__all__ = [
    "Aggregate",
    "JurorStatistics",
    "RankedSubmission",
    "Ranking",
    "RankingPolicy",
    "ScoredReview",
    "Spread",
    "rank",
]


@dataclass(frozen=True)
class RankingPolicy:
    """How a call ranks: the call kind's `jury:` section, for one round."""

    aggregate: Aggregate = Aggregate.MEAN
    normalise: bool = False
    """Rank on per-juror z-scores rescaled to the scale (`leniency.Footing`)."""
    trim: float = 0.2
    """The fraction cut at each end by the trimmed mean; at least one review is kept."""
    tie_break: tuple[str, ...] = ()
    """Criteria compared in order to order tied submissions; they stay reported as tied."""

    def __post_init__(self) -> None:
        # The call kind stores the aggregate as text; an unknown one must not rank silently by
        # some other aggregate.
        try:
            object.__setattr__(self, "aggregate", Aggregate(self.aggregate))
        except ValueError:
            raise Invalid(
                f"cannot rank by '{self.aggregate}': the aggregate is one of "
                f"{', '.join(Aggregate)}",
                extra={"field": "aggregate"},
            ) from None
        if not 0 <= self.trim <= 0.5:
            raise Invalid(
                f"cannot rank with trim {self.trim}: a trimmed mean cuts between 0 and 0.5 "
                "of the reviews at each end",
                extra={"field": "trim"},
            )


@dataclass(frozen=True, slots=True)
class RankedSubmission:
    submission_id: int
    rank: int
    """Competition ranking: tied submissions share the best rank, the next rank skips."""
    score: float
    """Unrounded; `rounded` is what ranks and ties compare."""
    raw_score: float | None
    """The same aggregate of the raw weighted scores when the ranking is normalised, else None."""
    spread: Spread
    """Of the review scores that `score` aggregates (the normalised ones when normalised)."""
    reviews: int
    tied_with: tuple[int, ...]
    """The other submissions with the same rounded score, in ranking order."""
    tie_break_order: int | None
    """Position within its tie as the call's tie-break orders it (1 first; submissions equal on
    the tie-break criteria too share a position). None when not tied or without tie-break."""

    @property
    def rounded(self) -> float:
        return round(self.score, SCORE_DECIMALS)


@dataclass(frozen=True)
class Ranking:
    entries: tuple[RankedSubmission, ...]
    """In rank order; complete ties (the tie-break too) by submission id, so reruns agree."""
    jurors: tuple[JurorStatistics, ...]
    """By juror id, on the raw weighted scores."""
    agreement: float | None
    """Krippendorff's alpha (interval) over the submission x juror matrix of raw weighted
    scores; None when undefined (`agreement.interval_alpha`)."""
    panel_mean: float | None
    """Mean of every review's raw weighted score; None without reviews."""
    panel_sd: float | None
    """Their population standard deviation; None without reviews."""


def rank(
    reviews: Iterable[ScoredReview],
    *,
    criteria: Sequence[Criterion],
    scale: tuple[int, int],
    policy: RankingPolicy,
) -> Ranking:
    """Rank the submissions that `reviews` score, on the rubric `criteria` and `scale`.

    Raises `Invalid`, naming the review, for a score outside the scale or of a criterion not in
    `criteria`, a review scoring no weighted criterion, a juror reviewing a submission twice;
    and for a tie-break criterion not in `criteria`.
    """
    reviews = tuple(reviews)
    check_rubric(criteria, scale=scale)
    names = [criterion.name for criterion in criteria]
    for name in policy.tie_break:
        if name not in names:
            raise Invalid(
                f"cannot rank: tie-break criterion '{name}' is not a criterion of the rubric "
                f"({', '.join(names)})",
                extra={"field": "tie_break"},
            )
    table = weigh(reviews, criteria=criteria, scale=scale)
    everything = [score for row in table.values() for score in row.values()]
    if not everything:
        return Ranking(entries=(), jurors=(), agreement=None, panel_mean=None, panel_sd=None)
    panel_mean = mean(everything)
    panel_sd = population_sd(everything, panel_mean)
    jurors = juror_statistics(table, panel_mean=panel_mean)
    footing = (
        Footing.of(jurors, panel_mean=panel_mean, panel_sd=panel_sd, scale=scale)
        if policy.normalise
        else None
    )

    def ranked(submission_id: int) -> Collection[float]:
        """The scores a submission is ranked on. Normalised ones are computed again when
        needed rather than kept: fewer objects alive, shorter garbage-collector passes."""
        row = table[submission_id]
        return row.values() if footing is None else footing.normalised(row)

    def how(values: Collection[float]) -> float:
        return aggregate(values, policy.aggregate, trim=policy.trim)

    scores = {submission_id: how(ranked(submission_id)) for submission_id in table}
    groups = tied_groups(
        scores, reviews, tie_break=policy.tie_break, how=policy.aggregate, trim=policy.trim
    )
    entries: list[RankedSubmission] = []
    for group, tie_break_positions in groups:
        position = len(entries) + 1
        for submission_id in group:
            values = ranked(submission_id)
            entries.append(
                RankedSubmission(
                    submission_id=submission_id,
                    rank=position,
                    score=scores[submission_id],
                    raw_score=None if footing is None else how(table[submission_id].values()),
                    spread=spread(values),
                    reviews=len(values),
                    tied_with=(
                        tuple(other for other in group if other != submission_id)
                        if len(group) > 1
                        else ()
                    ),
                    tie_break_order=tie_break_positions.get(submission_id),
                )
            )
    return Ranking(
        entries=tuple(entries),
        jurors=jurors,
        agreement=interval_alpha(row.values() for row in table.values()),
        panel_mean=panel_mean,
        panel_sd=panel_sd,
    )
