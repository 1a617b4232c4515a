"""Ranking a round's submissions from its reviews.

Pure: no database, no I/O, no clock. The jury service reads a round's reviews and passes them
here with the round's rubric; what comes back is what a ranking page, an export and a
deliberation need, computed once: the order with its ties, how far each submission's reviews
are apart, each juror's habits and how much the jury agrees.

A review's weighted score is sum(weight_i * score_i) / sum(weight_i) over the criteria it
scores, so a missing optional criterion neither helps nor hurts. A submission's score
aggregates its reviews' weighted scores (mean, median or trimmed mean), after putting every
juror on the panel's footing when the call normalises (`leniency.normalise`). Scores are
compared rounded to 3 decimals, so that submissions equal on paper are tied whatever the order
of the float additions, and tied submissions share a rank ("1224").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from awards.calls.jury_spec import Criterion
from awards.errors import Invalid
from awards.jury.agreement import interval_alpha
from awards.jury.leniency import JurorStatistics, juror_statistics, normalise
from awards.jury.statistics import (
    Aggregate,
    Spread,
    aggregate,
    mean,
    population_sd,
    spread,
)

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

SCORE_DECIMALS = 3


@dataclass(frozen=True, slots=True)
class ScoredReview:
    """One juror's review of one submission, as the ranking needs it."""

    submission_id: int
    juror_id: int
    scores: Mapping[str, float]
    """Criterion name -> score on the rubric's scale; a criterion that is not required may be
    absent."""


@dataclass(frozen=True)
class RankingPolicy:
    """How a call ranks: the call kind's `jury:` section, for one round."""

    aggregate: Aggregate = Aggregate.MEAN
    normalise: bool = False
    """Rank on per-juror z-scores rescaled to the scale (`leniency.normalise`)."""
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


@dataclass(frozen=True)
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
    `criteria`, a review scoring no weighted criterion, a juror reviewing a submission twice,
    and a tie-break criterion not in `criteria`.
    """
    reviews = tuple(reviews)
    _check(criteria, scale=scale, policy=policy)
    table = _weighted_scores(reviews, criteria=criteria, scale=scale)
    raw = {submission_id: list(row.values()) for submission_id, row in table.items()}
    everything = [score for scores in raw.values() for score in scores]
    if not everything:
        return Ranking(entries=(), jurors=(), agreement=None, panel_mean=None, panel_sd=None)
    panel_mean = mean(everything)
    panel_sd = population_sd(everything, panel_mean)
    jurors = juror_statistics(table, panel_mean=panel_mean)
    ranked = raw
    if policy.normalise:
        ranked = normalise(
            table, jurors=jurors, panel_mean=panel_mean, panel_sd=panel_sd, scale=scale
        )
    scores = {
        submission_id: aggregate(values, policy.aggregate, trim=policy.trim)
        for submission_id, values in ranked.items()
    }
    groups = _order_ties(_ties(scores), reviews, policy=policy)
    entries: list[RankedSubmission] = []
    for group in groups:
        position = len(entries) + 1
        for submission_id, tie_break_order in group:
            values = ranked[submission_id]
            entries.append(
                RankedSubmission(
                    submission_id=submission_id,
                    rank=position,
                    score=scores[submission_id],
                    raw_score=(
                        aggregate(raw[submission_id], policy.aggregate, trim=policy.trim)
                        if policy.normalise
                        else None
                    ),
                    spread=spread(values),
                    reviews=len(values),
                    tied_with=tuple(other for other, _ in group if other != submission_id),
                    tie_break_order=tie_break_order,
                )
            )
    return Ranking(
        entries=tuple(entries),
        jurors=jurors,
        agreement=interval_alpha(row.values() for row in table.values()),
        panel_mean=panel_mean,
        panel_sd=panel_sd,
    )


def _check(criteria: Sequence[Criterion], *, scale: tuple[int, int], policy: RankingPolicy) -> None:
    low, high = scale
    if low > high:
        raise Invalid(f"cannot rank on the scale {low}-{high}: its minimum is above its maximum")
    names = [criterion.name for criterion in criteria]
    for criterion in criteria:
        if criterion.weight < 0:
            raise Invalid(f"cannot rank: criterion '{criterion.name}' has a negative weight")
    for name in policy.tie_break:
        if name not in names:
            raise Invalid(
                f"cannot rank: tie-break criterion '{name}' is not a criterion of the rubric "
                f"({', '.join(names)})",
                extra={"field": "tie_break"},
            )


def _weighted_scores(
    reviews: Sequence[ScoredReview], *, criteria: Sequence[Criterion], scale: tuple[int, int]
) -> dict[int, dict[int, float]]:
    """submission id -> juror id -> weighted score, checking each review on the way.

    The hot loop of a ranking (reviews x criteria): a criterion is looked up once per review,
    and unknown criteria are detected by counting, not by building a set per review.
    """
    weights = [(criterion.name, criterion.weight) for criterion in criteria]
    low, high = scale
    table: dict[int, dict[int, float]] = {}
    for review in reviews:
        scores = review.scores
        total = weight_sum = 0.0
        present = 0
        for name, weight in weights:
            score = scores.get(name)
            if score is None:
                continue
            if not low <= score <= high:
                raise _invalid(review, f"scores '{name}' {score}, outside the scale {low}-{high}")
            total += weight * score
            weight_sum += weight
            present += 1
        if present != len(scores):
            unknown = sorted(set(scores) - {name for name, _ in weights})
            raise _invalid(review, f"scores unknown criteria: {', '.join(unknown)}")
        if weight_sum <= 0:
            raise _invalid(review, "scores no criterion with a weight")
        row = table.setdefault(review.submission_id, {})
        if review.juror_id in row:
            raise _invalid(review, "is not the juror's only review of that submission")
        row[review.juror_id] = total / weight_sum
    return table


def _invalid(review: ScoredReview, problem: str) -> Invalid:
    return Invalid(
        f"cannot rank: the review of submission {review.submission_id} by juror "
        f"{review.juror_id} {problem}",
        extra={"submission_id": review.submission_id, "juror_id": review.juror_id},
    )


def _ties(scores: Mapping[int, float]) -> list[list[int]]:
    """Submission ids grouped by rounded score, best first; by id within a group."""
    groups: list[list[int]] = []
    previous: float | None = None
    # Sorting plain (negated score, id) tuples: no key function called per submission.
    for negated, submission_id in sorted(
        (-round(score, SCORE_DECIMALS), submission_id) for submission_id, score in scores.items()
    ):
        if negated == previous:
            groups[-1].append(submission_id)
        else:
            groups.append([submission_id])
            previous = negated
    return groups


TieBreakKey = tuple[tuple[int, float], ...]


def _order_ties(
    groups: list[list[int]], reviews: Sequence[ScoredReview], *, policy: RankingPolicy
) -> list[list[tuple[int, int | None]]]:
    """Each group as (submission id, position in the tie-break), ordered by the tie-break.

    A tie-break criterion compares the submissions' raw scores on that criterion, aggregated
    like the ranking (not normalised: normalising applies to weighted scores), best first; a
    submission no juror scored on it comes after those that were. Only the reviews of tied
    submissions are read, and only when the call has a tie-break.
    """
    tied = {submission_id for group in groups if len(group) > 1 for submission_id in group}
    if not policy.tie_break or not tied:
        return [[(submission_id, None) for submission_id in group] for group in groups]
    marks: dict[int, dict[str, list[float]]] = {submission_id: {} for submission_id in tied}
    for review in reviews:
        if review.submission_id in tied:
            for name in policy.tie_break:
                score = review.scores.get(name)
                if score is not None:
                    marks[review.submission_id].setdefault(name, []).append(score)

    def key(submission_id: int) -> TieBreakKey:
        given = marks[submission_id]
        return tuple(
            (0, -round(aggregate(given[name], policy.aggregate, trim=policy.trim), SCORE_DECIMALS))
            if name in given
            else (1, 0.0)
            for name in policy.tie_break
        )

    ordered: list[list[tuple[int, int | None]]] = []
    for group in groups:
        if len(group) == 1:
            ordered.append([(group[0], None)])
            continue
        keys = {submission_id: key(submission_id) for submission_id in group}
        members = sorted(group, key=lambda submission_id: (keys[submission_id], submission_id))
        positions = [1]
        for index in range(1, len(members)):
            same = keys[members[index]] == keys[members[index - 1]]
            positions.append(positions[-1] if same else index + 1)
        ordered.append(list(zip(members, positions, strict=True)))
    return ordered
